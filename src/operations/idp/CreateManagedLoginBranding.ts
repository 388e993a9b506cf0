// CreateManagedLoginBranding: one branding style per app client; Settings kept as given.
import type { CreateManagedLoginBrandingRequest, CreateManagedLoginBrandingResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<CreateManagedLoginBrandingRequest, CreateManagedLoginBrandingResponse>('idp', 'CreateManagedLoginBranding', async (input, { app }) => {
  return { ManagedLoginBranding: await app.oauth.branding.create(input) };
});
