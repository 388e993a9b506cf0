// An app client's terms document of one name (terms-of-use or privacy-policy). The model gives
// this newer operation untyped members, so their shapes are checked here.
import { defineOperation } from '../operation.js';
import { CLIENT_ID, POOL_ID, oneOf, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'DescribeTermsByClient', async (input, { app }) => {
  const poolId = str(input, 'UserPoolId', { pattern: POOL_ID, max: 55 });
  const clientId = str(input, 'ClientId', { pattern: CLIENT_ID, max: 128 });
  const name = oneOf(input, 'TermsName', ['terms-of-use', 'privacy-policy'] as const);
  return { Terms: await app.terms.ofClient(poolId, clientId, name) };
});
