import type { TagResourceInput, TagResourceResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<TagResourceInput, TagResourceResponse>('identity', 'TagResource', async (input, { app }) => {
  const pool = await app.identity.pools.get(app.identity.pools.idOfArn(input.ResourceArn));
  await app.store.tags.put(pool.arn, input.Tags);
  return {};
});
