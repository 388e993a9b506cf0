import type { CreateUserPoolClientRequest, CreateUserPoolClientResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toClientType } from './pool-shapes.js';

export default defineOperation<CreateUserPoolClientRequest, CreateUserPoolClientResponse>('idp', 'CreateUserPoolClient', async (input, { app }) => {
  return { UserPoolClient: toClientType(await app.pools.createClient(input)) };
});
