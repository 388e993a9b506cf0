import type { ListTagsForResourceRequest, ListTagsForResourceResponse } from '../../models/idp-types.js';
import { listPoolTags } from '../../userpools/pool-tags.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ListTagsForResourceRequest, ListTagsForResourceResponse>('idp', 'ListTagsForResource', async (input, { app }) => {
  return { Tags: await listPoolTags(app.pools, input.ResourceArn) };
});
