// DescribeIdentityProvider: the details with the presets filled in and secrets in the clear, as Cognito shows them.
import { federationOf } from '../../federation/index.js';
import { toIdentityProviderType } from '../../federation/providers.js';
import type { DescribeIdentityProviderRequest, DescribeIdentityProviderResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DescribeIdentityProviderRequest, DescribeIdentityProviderResponse>('idp', 'DescribeIdentityProvider', async (input, { app }) => {
  return { IdentityProvider: toIdentityProviderType(await federationOf(app).providers.get(input.UserPoolId, input.ProviderName)) };
});
