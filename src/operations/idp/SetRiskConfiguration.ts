import type { SetRiskConfigurationRequest, SetRiskConfigurationResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

// Threat protection settings of a pool or an app client (src/auth/risk.ts): stored as given; the
// IP-range exceptions act at sign-in. Only the UserPoolId (and ClientId) resets them.
export default defineOperation<SetRiskConfigurationRequest, SetRiskConfigurationResponse>('idp', 'SetRiskConfiguration', async (input, { app }) => {
  return { RiskConfiguration: await app.risk.set(input) };
});
