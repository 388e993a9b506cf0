import type { DescribeTermsRequest, DescribeTermsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DescribeTermsRequest, DescribeTermsResponse>('idp', 'DescribeTerms', async (input, { app }) => {
  return { Terms: await app.terms.describe(input.UserPoolId, input.TermsId) };
});
