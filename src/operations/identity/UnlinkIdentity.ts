import type { UnlinkIdentityInput } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UnlinkIdentityInput>('identity', 'UnlinkIdentity', async (input, { app }) => {
  await app.identity.identities.unlink(input.IdentityId, input.Logins, input.LoginsToRemove);
  return {};
});
