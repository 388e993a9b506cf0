// AdminLinkProviderForUser (rules in src/federation/links.ts).
import { linkProviderForUser } from '../../federation/links.js';
import type { AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse>('idp', 'AdminLinkProviderForUser', async (input, { app }) => {
  await linkProviderForUser(app, input.UserPoolId, input.DestinationUser, input.SourceUser);
  return {};
});
