import type { TagResourceRequest, TagResourceResponse } from '../../models/idp-types.js';
import { tagPool } from '../../userpools/pool-tags.js';
import { defineOperation } from '../operation.js';

export default defineOperation<TagResourceRequest, TagResourceResponse>('idp', 'TagResource', async (input, { app }) => {
  await tagPool(app.pools, input.ResourceArn, input.Tags);
  return {};
});
