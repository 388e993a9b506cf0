// Stand-ins for the login providers identity pools check tokens with, speaking each one's real
// protocol on one local HTTP server (one path prefix per real origin), so TESSERA_IDENTITY_PROVIDER_ENDPOINTS
// can point the real origins at it (`overrides`). Protocol peers of Tessera, not copies of its code.
//
//   Google    https://accounts.google.com/.well-known/openid-configuration -> jwks_uri on
//             https://www.googleapis.com/oauth2/v3/certs; RS256 ID tokens, iss https://accounts.google.com
//   Apple     https://appleid.apple.com/.well-known/openid-configuration -> /auth/keys; RS256 ID tokens
//   OIDC      https://login.example.test: discovery -> /jwks; https://tenant.example.test/ (an
//             issuer ending with a slash, as Auth0 tenants have) the same
//   Facebook  https://graph.facebook.com/vX.Y/app and /me with ?access_token=: the token's app and
//             user, or 400 {error: {message, type: OAuthException, code: 190}} for a token it did
//             not issue or that expired
//   Amazon    https://api.amazon.com/auth/o2/tokeninfo?access_token=: {iss, user_id, aud, app_id,
//             exp (seconds left), iat}, or 400 {error: invalid_token, error_description}
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export const OIDC_ISSUER = 'https://login.example.test';
export const TENANT_ISSUER = 'https://tenant.example.test/';

interface Signer {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

interface SocialToken {
  user: string;
  app: string;
  /** Amazon: the client id (tokeninfo aud). */
  client?: string;
  expiresAt: number;
}

export interface LoginProviders {
  url: string;
  /** Origin -> this server: the value of TESSERA_IDENTITY_PROVIDER_ENDPOINTS. */
  overrides: Record<string, string>;
  /** Paths requested, in order (query strings without their tokens). */
  requests: string[];
  /** An ID token of Google, Apple or the OIDC issuer; `key: 'rogue'` signs with a key no JWKS has. */
  /** `noExp` leaves the exp claim out (a token that never expires, which must be refused). */
  idToken(provider: 'google' | 'apple' | 'oidc' | 'tenant', claims: { sub: string; aud: string; ttlSeconds?: number; iss?: string; key?: 'rogue'; noExp?: boolean }): Promise<string>;
  facebookToken(user: string, appId: string, ttlSeconds?: number): string;
  amazonToken(user: string, clientId: string, appId: string, ttlSeconds?: number): string;
  close(): Promise<void>;
}

const ISSUERS = { google: 'https://accounts.google.com', apple: 'https://appleid.apple.com', oidc: OIDC_ISSUER, tenant: TENANT_ISSUER } as const;

async function newSigner(kid: string): Promise<Signer> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** `now` gives the providers' clock in ms (tests that move Tessera's clock pass the same). */
export async function startLoginProviders(now: () => number = Date.now): Promise<LoginProviders> {
  const signers = {
    google: await newSigner('google-1'),
    apple: await newSigner('apple-1'),
    oidc: await newSigner('oidc-1'),
    tenant: await newSigner('tenant-1'),
  };
  const rogue = await newSigner('google-1');
  const social = new Map<string, SocialToken>();
  const requests: string[] = [];

  const valid = (token: string | null) => {
    const t = token ? social.get(token) : undefined;
    return t && t.expiresAt > now() ? t : undefined;
  };

  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const token = u.searchParams.get('access_token');
    requests.push(u.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const discovery = (issuer: string, jwksUri: string) =>
      send(200, { issuer, jwks_uri: jwksUri, id_token_signing_alg_values_supported: ['RS256'], subject_types_supported: ['public'], response_types_supported: ['code'] });
    const p = u.pathname;
    // A provider having an outage: point an origin at `${url}/unavailable`.
    if (p.startsWith('/unavailable/') || p === '/unavailable') return send(503, { error: 'service unavailable' });
    if (p === '/google/.well-known/openid-configuration') return discovery(ISSUERS.google, 'https://www.googleapis.com/oauth2/v3/certs');
    if (p === '/googleapis/oauth2/v3/certs') return send(200, { keys: [signers.google.jwk] });
    if (p === '/apple/.well-known/openid-configuration') return discovery(ISSUERS.apple, 'https://appleid.apple.com/auth/keys');
    if (p === '/apple/auth/keys') return send(200, { keys: [signers.apple.jwk] });
    if (p === '/oidc/.well-known/openid-configuration') return discovery(OIDC_ISSUER, `${OIDC_ISSUER}/jwks`);
    if (p === '/oidc/jwks') return send(200, { keys: [signers.oidc.jwk] });
    if (p === '/tenant/.well-known/openid-configuration') return discovery(TENANT_ISSUER, `${TENANT_ISSUER}jwks`);
    if (p === '/tenant/jwks') return send(200, { keys: [signers.tenant.jwk] });
    const graph = /^\/facebook\/(?:v\d+\.\d+\/)?(app|me)$/.exec(p);
    if (graph) {
      const t = valid(token);
      if (!t) return send(400, { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'Atessera' } });
      return send(200, graph[1] === 'app' ? { id: t.app, name: 'test app', link: 'https://www.facebook.com/games/?app_id=' + t.app } : { id: t.user });
    }
    if (p === '/amazon/auth/o2/tokeninfo') {
      const t = valid(token);
      if (!t) return send(400, { error: 'invalid_token', error_description: 'The request has an invalid parameter : access_token' });
      return send(200, { iss: 'https://www.amazon.com', user_id: t.user, aud: t.client, app_id: t.app, exp: Math.floor((t.expiresAt - now()) / 1000), iat: Math.floor(now() / 1000) - 1 });
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;

  const socialToken = (prefix: string, t: SocialToken) => {
    const token = prefix + randomBytes(24).toString('base64url');
    social.set(token, t);
    return token;
  };

  return {
    url,
    overrides: {
      'https://accounts.google.com': `${url}/google`,
      'https://www.googleapis.com': `${url}/googleapis`,
      'https://appleid.apple.com': `${url}/apple`,
      [OIDC_ISSUER]: `${url}/oidc`,
      'https://tenant.example.test': `${url}/tenant`,
      'https://graph.facebook.com': `${url}/facebook`,
      'https://api.amazon.com': `${url}/amazon`,
    },
    requests,
    async idToken(provider, c) {
      const signer = c.key === 'rogue' ? rogue : signers[provider];
      const iat = Math.floor(now() / 1000);
      const jwt = new SignJWT({ email: `${c.sub}@example.test` })
        .setProtectedHeader({ alg: 'RS256', kid: signer.kid })
        .setIssuer(c.iss ?? ISSUERS[provider])
        .setSubject(c.sub)
        .setAudience(c.aud)
        .setIssuedAt(iat);
      if (!c.noExp) jwt.setExpirationTime(iat + (c.ttlSeconds ?? 3600));
      return jwt.sign(signer.privateKey);
    },
    facebookToken: (user, appId, ttlSeconds = 3600) => socialToken('EAA', { user, app: appId, expiresAt: now() + ttlSeconds * 1000 }),
    amazonToken: (user, clientId, appId, ttlSeconds = 3600) =>
      socialToken('Atza|', { user, app: appId, client: clientId, expiresAt: now() + ttlSeconds * 1000 }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
