import type { GetIdInput, GetIdResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetIdInput, GetIdResponse>('identity', 'GetId', async (input, { app }) => {
  return { IdentityId: await app.identity.identities.getId(input.IdentityPoolId, input.Logins) };
});
