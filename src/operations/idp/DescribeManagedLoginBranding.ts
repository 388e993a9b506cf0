// DescribeManagedLoginBranding: by id (ReturnMergedResources: the stored document is returned either way).
import type { DescribeManagedLoginBrandingRequest, DescribeManagedLoginBrandingResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DescribeManagedLoginBrandingRequest, DescribeManagedLoginBrandingResponse>('idp', 'DescribeManagedLoginBranding', async (input, { app }) => {
  return { ManagedLoginBranding: await app.oauth.branding.describe(input.UserPoolId, input.ManagedLoginBrandingId) };
});
