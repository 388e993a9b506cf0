import type { CreateTermsRequest, CreateTermsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

// A terms-of-use or privacy-policy document of an app client: links by language, shown on the
// hosted sign-up page. One of each per client (TermsExistsException).
export default defineOperation<CreateTermsRequest, CreateTermsResponse>('idp', 'CreateTerms', async (input, { app }) => {
  return { Terms: await app.terms.create(input.UserPoolId, input.ClientId, input) };
});
