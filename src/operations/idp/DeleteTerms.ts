import type { DeleteTermsRequest } from '../../models/idp-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<DeleteTermsRequest>('idp', 'DeleteTerms', async (input, { app }) => {
  await app.terms.delete(input.UserPoolId, input.TermsId);
  return {};
});
