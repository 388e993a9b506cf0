// DescribeManagedLoginBrandingByClient: the branding of one app client.
import type { DescribeManagedLoginBrandingByClientRequest, DescribeManagedLoginBrandingByClientResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DescribeManagedLoginBrandingByClientRequest, DescribeManagedLoginBrandingByClientResponse>('idp', 'DescribeManagedLoginBrandingByClient', async (input, { app }) => {
  return { ManagedLoginBranding: await app.oauth.branding.describeByClient(input.UserPoolId, input.ClientId) };
});
