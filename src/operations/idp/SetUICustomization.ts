// SetUICustomization: classic hosted-UI CSS (documented classes only) and logo, pool-wide or per client.
import type { SetUICustomizationRequest, SetUICustomizationResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<SetUICustomizationRequest, SetUICustomizationResponse>('idp', 'SetUICustomization', async (input, { app }) => {
  return { UICustomization: await app.oauth.ui.set(input) };
});
