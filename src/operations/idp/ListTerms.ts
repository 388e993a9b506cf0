import type { ListTermsRequest, ListTermsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<ListTermsRequest, ListTermsResponse>('idp', 'ListTerms', async (input, { app }) => {
  return app.terms.list(input.UserPoolId, input.MaxResults, input.NextToken);
});
