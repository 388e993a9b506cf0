import type { ListTagsForResourceInput, ListTagsForResourceResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ListTagsForResourceInput, ListTagsForResourceResponse>('identity', 'ListTagsForResource', async (input, { app }) => {
  const pool = await app.identity.pools.get(app.identity.pools.idOfArn(input.ResourceArn));
  return { Tags: await app.identity.pools.tagsOf(pool) };
});
