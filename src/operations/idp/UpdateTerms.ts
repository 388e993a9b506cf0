import type { UpdateTermsRequest, UpdateTermsResponse } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

// The members given replace the stored ones; the others stay.
export default defineOperation<UpdateTermsRequest, UpdateTermsResponse>('idp', 'UpdateTerms', async (input, { app }) => {
  return { Terms: await app.terms.update(input.UserPoolId, input.TermsId, input) };
});
