import type { UpdateUserPoolClientRequest, UpdateUserPoolClientResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toClientType } from './pool-shapes.js';

export default defineOperation<UpdateUserPoolClientRequest, UpdateUserPoolClientResponse>('idp', 'UpdateUserPoolClient', async (input, { app }) => {
  return { UserPoolClient: toClientType(await app.pools.replaceClient(input)) };
});
