import type { GetCredentialsForIdentityInput, GetCredentialsForIdentityResponse } from '../../models/identity-types.js';
import { defineOperation } from '../operation.js';

export default defineOperation<GetCredentialsForIdentityInput, GetCredentialsForIdentityResponse>(
  'identity',
  'GetCredentialsForIdentity',
  async (input, { app }) => {
    const authorized = await app.identity.identities.authorize(input.IdentityId, input.Logins);
    const c = await app.identity.credentialsFor(authorized, input.CustomRoleArn);
    return {
      IdentityId: authorized.identityId,
      // `SecretKey`, not SecretAccessKey: Amplify reads exactly these four members.
      Credentials: { AccessKeyId: c.accessKeyId, SecretKey: c.secretKey, SessionToken: c.sessionToken, Expiration: c.expiresAt / 1000 },
    };
  },
);
