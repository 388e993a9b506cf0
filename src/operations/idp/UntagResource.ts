import type { UntagResourceRequest, UntagResourceResponse } from '../../models/idp-types.js';
import { untagPool } from '../../userpools/pool-tags.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UntagResourceRequest, UntagResourceResponse>('idp', 'UntagResource', async (input, { app }) => {
  await untagPool(app.pools, input.ResourceArn, input.TagKeys);
  return {};
});
