// DeleteManagedLoginBranding.
import type { DeleteManagedLoginBrandingRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteManagedLoginBrandingRequest, Record<string, never>>('idp', 'DeleteManagedLoginBranding', async (input, { app }) => {
  await app.oauth.branding.delete(input.UserPoolId, input.ManagedLoginBrandingId);
  return {};
});
