// AdminDisableProviderForUser: unlinks a linked identity, or disables an unlinked federated user (src/federation/links.ts).
import { disableProviderForUser } from '../../federation/links.js';
import type { AdminDisableProviderForUserRequest, AdminDisableProviderForUserResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminDisableProviderForUserRequest, AdminDisableProviderForUserResponse>('idp', 'AdminDisableProviderForUser', async (input, { app }) => {
  await disableProviderForUser(app, input.UserPoolId, input.User);
  return {};
});
