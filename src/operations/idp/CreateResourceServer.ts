// CreateResourceServer: an identifier and its custom scopes (<Identifier>/<ScopeName>) for app clients to allow.
import type { CreateResourceServerRequest, CreateResourceServerResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<CreateResourceServerRequest, CreateResourceServerResponse>('idp', 'CreateResourceServer', async (input, { app }) => {
  return { ResourceServer: await app.oauth.resourceServers.create(input) };
});
