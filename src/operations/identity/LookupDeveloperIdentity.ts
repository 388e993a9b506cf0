import type { LookupDeveloperIdentityInput, LookupDeveloperIdentityResponse } from '../../models/identity-types.js';
import { decodePageToken, encodePageToken } from '../../userpools/page-token.js';
import { defineOperation } from '../operation.js';

const DEFAULT_LIMIT = 60;

export default defineOperation<LookupDeveloperIdentityInput, LookupDeveloperIdentityResponse>('identity', 'LookupDeveloperIdentity', async (input, { app }) => {
  const limit = input.MaxResults ?? DEFAULT_LIMIT;
  const scope = `LookupDeveloperIdentity|${input.IdentityPoolId}|${input.IdentityId ?? ''}|${input.DeveloperUserIdentifier ?? ''}`;
  const after = decodePageToken<string>(app.sealer, scope, input.NextToken);
  const found = await app.identity.developer.lookup(input.IdentityPoolId, input.IdentityId, input.DeveloperUserIdentifier, limit + 1, after);
  const page = found.developerUserIds.slice(0, limit);
  return {
    IdentityId: found.identityId,
    DeveloperUserIdentifierList: page,
    ...(found.developerUserIds.length > page.length ? { NextToken: encodePageToken(app.sealer, scope, page[page.length - 1]) } : {}),
  };
});
