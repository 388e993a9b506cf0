import type { DescribeRiskConfigurationRequest, DescribeRiskConfigurationResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DescribeRiskConfigurationRequest, DescribeRiskConfigurationResponse>('idp', 'DescribeRiskConfiguration', async (input, { app }) => {
  return { RiskConfiguration: await app.risk.describe(input.UserPoolId, input.ClientId) };
});
