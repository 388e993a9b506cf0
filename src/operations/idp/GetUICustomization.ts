// GetUICustomization: the client's customization, else the pool's.
import type { GetUICustomizationRequest, GetUICustomizationResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetUICustomizationRequest, GetUICustomizationResponse>('idp', 'GetUICustomization', async (input, { app }) => {
  return { UICustomization: await app.oauth.ui.get(input.UserPoolId, input.ClientId) };
});
