// UpdateResourceServer: a full replacement of name and scopes.
import type { UpdateResourceServerRequest, UpdateResourceServerResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UpdateResourceServerRequest, UpdateResourceServerResponse>('idp', 'UpdateResourceServer', async (input, { app }) => {
  return { ResourceServer: await app.oauth.resourceServers.update(input) };
});
