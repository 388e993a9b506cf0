import type { DescribeIdentityInput, IdentityDescription } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';
import { identityShape } from './identity-shape.js';

export default defineOperation<DescribeIdentityInput, IdentityDescription>('identity', 'DescribeIdentity', async (input, { app }) => {
  return identityShape(await app.identity.identities.describe(input.IdentityId));
});
