// AdminDeleteSoftwareToken (newer than the botocore model): removes a user's TOTP authenticator;
// software token MFA goes off with it, and so does a preference for it.
import { deleteSoftwareToken } from '../../auth/software-token.js';
import { InvalidParameterException } from '../../errors.js';
import { defineOperation } from '../operation.js';

interface AdminDeleteSoftwareTokenRequest {
  UserPoolId?: unknown;
  Username?: unknown;
}

export default defineOperation<AdminDeleteSoftwareTokenRequest>('idp', 'AdminDeleteSoftwareToken', async (input, { app }) => {
  // The model gives this operation untyped members: check them here.
  if (typeof input.UserPoolId !== 'string' || !/^[\w-]+_[0-9a-zA-Z]+$/.test(input.UserPoolId)) throw new InvalidParameterException('UserPoolId is required.');
  if (typeof input.Username !== 'string' || !input.Username) throw new InvalidParameterException('Username is required.');
  const pool = await app.pools.get(input.UserPoolId);
  const user = await app.users.get(pool, input.Username);
  await deleteSoftwareToken(app, pool, user);
  return {};
});
