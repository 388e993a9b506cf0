// AdminDeleteSoftwareToken (newer than the botocore model): removes a user's TOTP authenticator;
// software token MFA goes off with it, and so does a preference for it.
import { deleteSoftwareToken } from '../../auth/software-token.js';
import { defineOperation } from '../operation.js';
import { POOL_ID, USERNAME, str } from './session-input.js';

export default defineOperation<Record<string, unknown>>('idp', 'AdminDeleteSoftwareToken', async (input, { app }) => {
  // The model gives this operation untyped members: they are checked as the other operations'
  // UserPoolIdType and UsernameType are (a NUL or a control character is refused here).
  const pool = await app.pools.get(str(input, 'UserPoolId', { pattern: POOL_ID, max: 55 }));
  const user = await app.users.get(pool, str(input, 'Username', { pattern: USERNAME, max: 128 }));
  await deleteSoftwareToken(app, pool, user);
  return {};
});
