import type { UntagResourceInput, UntagResourceResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UntagResourceInput, UntagResourceResponse>('identity', 'UntagResource', async (input, { app }) => {
  const pool = await app.identity.pools.get(app.identity.pools.idOfArn(input.ResourceArn));
  await app.store.tags.remove(pool.arn, input.TagKeys);
  return {};
});
