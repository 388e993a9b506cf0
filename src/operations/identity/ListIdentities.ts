import type { ListIdentitiesInput, ListIdentitiesResponse } from '../../models/identity-types.js';
import { decodePageToken, encodePageToken } from '../../userpools/page-token.js';
import { defineOperation } from '../operation.js';
import { identityShape } from './identity-shape.js';

export default defineOperation<ListIdentitiesInput, ListIdentitiesResponse>('identity', 'ListIdentities', async (input, { app }) => {
  const scope = `ListIdentities|${input.IdentityPoolId}|${input.HideDisabled ? 1 : 0}`;
  const after = decodePageToken<string>(app.sealer, scope, input.NextToken);
  const rows = await app.identity.identities.list(input.IdentityPoolId, input.MaxResults + 1, after, !!input.HideDisabled);
  const page = rows.slice(0, input.MaxResults);
  return {
    IdentityPoolId: input.IdentityPoolId,
    Identities: page.map(identityShape),
    ...(rows.length > page.length ? { NextToken: encodePageToken(app.sealer, scope, page[page.length - 1].id) } : {}),
  };
});
