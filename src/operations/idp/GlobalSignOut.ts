// Signs the caller out everywhere: every refresh token of the user is refused, and so are the
// access tokens already issued (this one included).
import { CognitoException, NotAuthorizedException } from '../../errors.js';
import type { GlobalSignOutRequest, GlobalSignOutResponse } from '../../models/idp-types.js';
import { ADMIN_SCOPE } from '../../tokens/claims.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GlobalSignOutRequest, GlobalSignOutResponse>('idp', 'GlobalSignOut', async (input, { app }) => {
  const { pool, user } = await app.tokens.verifyAccessToken(input.AccessToken, { requireScope: ADMIN_SCOPE }).catch((e: unknown) => {
    // GlobalSignOut does not declare UserNotFoundException: a deleted user's token is simply not authorized.
    throw e instanceof CognitoException && e.name === 'UserNotFoundException' ? new NotAuthorizedException(e.message) : e;
  });
  await app.tokens.signOutUser(pool.id, user.id);
  return {};
});
