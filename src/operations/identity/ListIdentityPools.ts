import type { ListIdentityPoolsInput, ListIdentityPoolsResponse } from '../../models/identity-types.js';
import { decodePageToken, encodePageToken } from '../../userpools/page-token.js';
import { defineOperation } from '../operation.js';

const SCOPE = 'ListIdentityPools';

export default defineOperation<ListIdentityPoolsInput, ListIdentityPoolsResponse>('identity', 'ListIdentityPools', async (input, { app }) => {
  const after = decodePageToken<string>(app.sealer, SCOPE, input.NextToken);
  const rows = await app.identity.pools.list(input.MaxResults + 1, after);
  const page = rows.slice(0, input.MaxResults);
  return {
    IdentityPools: page.map((p) => ({ IdentityPoolId: p.id, IdentityPoolName: p.name })),
    ...(rows.length > page.length ? { NextToken: encodePageToken(app.sealer, SCOPE, page[page.length - 1].id) } : {}),
  };
});
