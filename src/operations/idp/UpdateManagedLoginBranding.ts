// UpdateManagedLoginBranding: Settings, UseCognitoProvidedValues and Assets, each replaced when given.
import type { UpdateManagedLoginBrandingRequest, UpdateManagedLoginBrandingResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<UpdateManagedLoginBrandingRequest, UpdateManagedLoginBrandingResponse>('idp', 'UpdateManagedLoginBranding', async (input, { app }) => {
  return { ManagedLoginBranding: await app.oauth.branding.update(input) };
});
