import type { CreateUserPoolRequest, CreateUserPoolResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';
import { toUserPoolType } from './pool-shapes.js';

export default defineOperation<CreateUserPoolRequest, CreateUserPoolResponse>('idp', 'CreateUserPool', async (input, { app }) => {
  return { UserPool: await toUserPoolType(app, await app.pools.create(input)) };
});
