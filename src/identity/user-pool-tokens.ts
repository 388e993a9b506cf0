// User pool ID tokens as identity pools check them: through the tokens module's keys (no HTTP
// fetch of our own JWKS) and, for ServerSideTokenCheck, the sign-in family and the user in the
// store (revoked, signed out everywhere, deleted or disabled -> revoked).
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import type { UserPoolTokenVerifier } from './logins.js';

/** What identity pools use of app.tokens (src/tokens/tokens.ts). */
export interface UserPoolKeySource {
  issuer(poolId: string): string;
  keys: {
    verificationKey(poolId: string, kid: string): Promise<{ use: string; key: CryptoKey } | undefined>;
  };
}

export function userPoolTokenVerifier(keys: () => UserPoolKeySource | undefined, store: Store, clock: Clock): UserPoolTokenVerifier {
  return {
    async verify(poolId, token) {
      const source = keys();
      if (!source) return { error: 'User pool tokens cannot be verified by this server.' };
      let kid: unknown;
      try {
        kid = decodeProtectedHeader(token).kid;
      } catch {
        return { error: 'Not a valid OpenId Connect identity token.' };
      }
      if (typeof kid !== 'string') return { error: 'Not a valid OpenId Connect identity token.' };
      const key = await source.keys.verificationKey(poolId, kid).catch(() => undefined);
      if (!key || key.use !== 'id') return { error: 'Not a valid OpenId Connect identity token.' };
      try {
        const { payload } = await jwtVerify(token, key.key, { algorithms: ['RS256'], currentDate: new Date(clock.now()) });
        if (payload.iss !== source.issuer(poolId)) return { error: "Issuer doesn't match providerName" };
        return { claims: payload };
      } catch (e) {
        if (e instanceof joseErrors.JWTExpired) return { error: 'Token expired.' };
        return { error: 'Not a valid OpenId Connect identity token.' };
      }
    },

    async isRevoked(poolId: string, claims: JWTPayload) {
      if (typeof claims.sub !== 'string' || typeof claims.origin_jti !== 'string') return true;
      const found = await store.tokens.userForAccess(poolId, claims.sub, claims.origin_jti);
      return !found || found.familyRevoked || !found.user.enabled;
    },
  };
}
