// DeleteResourceServer.
import type { DeleteResourceServerRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteResourceServerRequest, Record<string, never>>('idp', 'DeleteResourceServer', async (input, { app }) => {
  await app.oauth.resourceServers.delete(input.UserPoolId, input.Identifier);
  return {};
});
