// The gate of the self-service operations that act for a signed-in user (GetUser,
// UpdateUserAttributes, ChangePassword, ...): the AccessToken in the body decides who the caller is.
// In order:
//   1. the token: signature, expiry, an access token (not an ID token), the scope
//      aws.cognito.signin.user.admin, its sign-in not revoked, the user present and enabled
//      (app.tokens.verifyAccessToken)                        NotAuthorizedException / UserNotFoundException
//   2. the app client it was issued to still exists         NotAuthorizedException 'Invalid Access Token'
//   3. the user's state: a password reset pending or not confirmed
//                                                           PasswordResetRequiredException / UserNotConfirmedException
// Every operation that uses it declares all of these (tokens.md §3, api-surface.md §2.1).
import type { App } from '../../app.js';
import {
  NotAuthorizedException,
  PasswordResetRequiredException,
  ResourceNotFoundException,
  UserNotConfirmedException,
} from '../../errors.js';
import { ADMIN_SCOPE } from '../../tokens/claims.js';
import type { AppClient, UserPool } from '../../userpools/pools.js';
import type { User } from '../../userpools/user.js';

export interface Caller {
  pool: UserPool;
  /** The app client the token was issued to: its Read/WriteAttributes apply. */
  client: AppClient;
  user: User;
}

/**
 * The user an access token stands for, with its pool and client.
 * @example const { pool, client, user } = await authorizeCaller(app, input.AccessToken)
 */
export async function authorizeCaller(app: App, accessToken: string): Promise<Caller> {
  const { pool, user, clientId } = await app.tokens.verifyAccessToken(accessToken, { requireScope: ADMIN_SCOPE });
  const client = await app.pools.getClient(pool.id, clientId).catch((e: unknown) => {
    throw e instanceof ResourceNotFoundException ? new NotAuthorizedException('Invalid Access Token') : e;
  });
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
  return { pool, client, user };
}
