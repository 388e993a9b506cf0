// Logins of providers outside Tessera, checked the way Cognito checks them (identity-and-sync.md
// A.2). The pool names what it trusts: SupportedLoginProviders maps a public provider to the
// app's id at that provider; OpenIdConnectProviderARNs names OIDC issuers.
//
//   accounts.google.com  Google ID token: signature by a key of Google's JWKS (found through
//                        https://accounts.google.com discovery), iss https://accounts.google.com
//                        (or without scheme, as Google also writes it), aud = a configured client
//                        id, not expired; subject = sub
//   appleid.apple.com    Apple ID token: the same against https://appleid.apple.com, aud = the
//                        services / bundle id
//   graph.facebook.com   Facebook access token: Graph API GET /app (the app the token was issued
//                        to must be the configured app id) and GET /me (subject = id); Cognito
//                        holds no app secret, so debug_token is not available to it
//   www.amazon.com       Login with Amazon access token: GET api.amazon.com/auth/o2/tokeninfo,
//                        whose aud (client id) or app_id must be the configured value; subject =
//                        user_id
//   <issuer host/path>   an OIDC provider named by ARN `arn:aws:iam::<acct>:oidc-provider/<host/path>`:
//                        ID token of issuer https://<host/path>, keys by discovery. IAM keeps
//                        such a provider's client ids; Tessera has no IAM, so the pool names the
//                        client id as SupportedLoginProviders[<host/path>], and a provider with
//                        none named accepts no token.
// A token that does not check out is NotAuthorizedException ("Invalid login token. ..."); a
// provider that cannot be asked is ExternalServiceException.
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import { ExternalServiceException, NotAuthorizedException } from '../errors.js';
import type { VerifiedLogin } from './logins.js';
import type { IdentityPool } from './pools.js';
import { jsonOf, type ProviderFetch } from './provider-fetch.js';

export const GOOGLE = 'accounts.google.com';
export const APPLE = 'appleid.apple.com';
export const FACEBOOK = 'graph.facebook.com';
export const AMAZON = 'www.amazon.com';

const GRAPH = 'https://graph.facebook.com/v17.0';
const AMAZON_TOKENINFO = 'https://api.amazon.com/auth/o2/tokeninfo';
const OIDC_ARN = /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/(.+)$/;
const CACHE_MS = 10 * 60_000;
/** An unknown kid refetches the keys at most this often (key rotation at the provider). */
const REFETCH_MS = 60_000;

const invalid = (why: string) => new NotAuthorizedException(`Invalid login token. ${why}`);

/** The configured id of a SupportedLoginProviders value (as a list, for the comparisons). */
const idsOf = (value: string | undefined): string[] => (value ? [value] : []);

/** The provider name (issuer without scheme, the Logins key) of an OIDC provider ARN. */
export const oidcNameOf = (arn: string): string | undefined => OIDC_ARN.exec(arn)?.[1];

/** The OIDC provider names (issuer without scheme) of the pool's OpenIdConnectProviderARNs. */
export function oidcProviderNames(pool: IdentityPool): string[] {
  return (pool.settings.OpenIdConnectProviderARNs ?? []).map(oidcNameOf).filter((x): x is string => !!x);
}

/** Whether `key` names an external provider this pool trusts. */
export function isExternalLoginKey(pool: IdentityPool, key: string): boolean {
  if ([GOOGLE, APPLE, FACEBOOK, AMAZON].includes(key)) return idsOf(pool.settings.SupportedLoginProviders?.[key]).length > 0;
  return oidcProviderNames(pool).includes(key);
}

interface Discovered {
  at: number;
  jwksUri: string;
}

interface KeySet {
  at: number;
  jwks: JSONWebKeySet;
  kids: Set<string>;
}

export class ExternalLogins {
  private readonly discovered = new Map<string, Discovered>();
  private readonly keySets = new Map<string, KeySet>();

  constructor(
    private readonly fetchFrom: ProviderFetch,
    private readonly clock: Clock,
  ) {}

  /** Checks one login of a key for which isExternalLoginKey holds. */
  async verify(pool: IdentityPool, key: string, token: string): Promise<VerifiedLogin> {
    const ids = idsOf(pool.settings.SupportedLoginProviders?.[key]);
    switch (key) {
      case FACEBOOK:
        return login(key, await this.facebook(token, ids));
      case AMAZON:
        return login(key, await this.amazon(token, ids));
      case GOOGLE:
        return login(key, await this.idToken(token, 'https://accounts.google.com', ids, [GOOGLE]));
      case APPLE:
        return login(key, await this.idToken(token, 'https://appleid.apple.com', ids));
      default:
        if (!ids.length) throw invalid('Incorrect token audience.');
        return login(key, await this.idToken(token, `https://${key}`, ids));
    }
  }

  /** An OIDC ID token of `issuer` for one of `audiences`. */
  private async idToken(token: string, issuer: string, audiences: string[], otherIssuerForms: string[] = []): Promise<JWTPayload> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw invalid('Not a valid OpenId Connect identity token.');
    }
    const keys = await this.keysOf(issuer, typeof kid === 'string' ? kid : undefined);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, createLocalJWKSet(keys), {
        algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'],
        currentDate: new Date(this.clock.now()),
        // Without `exp` a token would be good forever; without `sub` there is no one to sign in.
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw invalid('Token expired.');
      throw invalid('Not a valid OpenId Connect identity token.');
    }
    if (payload.iss !== issuer && !otherIssuerForms.includes(payload.iss ?? '')) throw invalid("Issuer doesn't match providerName");
    const aud = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    if (!aud.some((a) => audiences.includes(a))) throw invalid('Incorrect token audience.');
    if (typeof payload.sub !== 'string' || !payload.sub) throw invalid('Missing a required claim: sub');
    return payload;
  }

  /** The issuer's keys: from its discovery document's jwks_uri, cached, refetched for a new kid. */
  private async keysOf(issuer: string, kid: string | undefined): Promise<JSONWebKeySet> {
    const now = this.clock.now();
    let d = this.discovered.get(issuer);
    if (!d || now - d.at > CACHE_MS) {
      const what = `The discovery document of ${issuer}`;
      // An issuer may end with a slash (`https://tenant.auth0.com/`); the document is under it once.
      const doc = await jsonOf(await this.ok(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, what), what);
      if (doc.issuer !== issuer || typeof doc.jwks_uri !== 'string') throw new ExternalServiceException(`The discovery document of ${issuer} does not name it with its keys.`);
      d = { at: now, jwksUri: doc.jwks_uri };
      this.discovered.set(issuer, d);
    }
    let set = this.keySets.get(d.jwksUri);
    const stale = !set || now - set.at > CACHE_MS || (kid !== undefined && !set.kids.has(kid) && now - set.at > REFETCH_MS);
    if (stale) {
      const what = `The keys of ${issuer}`;
      const jwks = (await jsonOf(await this.ok(d.jwksUri, what), what)) as unknown as JSONWebKeySet;
      if (!Array.isArray(jwks.keys)) throw new ExternalServiceException(`${what} are not a JWK set.`);
      set = { at: now, jwks, kids: new Set(jwks.keys.map((k) => k.kid).filter((x): x is string => !!x)) };
      this.keySets.set(d.jwksUri, set);
    }
    return set!.jwks;
  }

  /** A document the provider must serve: anything but 2xx is the provider's failure, not the token's. */
  private async ok(url: string, what: string): Promise<Response> {
    const res = await this.fetchFrom(url, what);
    if (!res.ok) throw new ExternalServiceException(`${what} could not be read (HTTP ${res.status}).`);
    return res;
  }

  /** Facebook: the app the token belongs to, then the user. */
  private async facebook(token: string, appIds: string[]): Promise<JWTPayload> {
    const q = `access_token=${encodeURIComponent(token)}`;
    const [app, me] = await Promise.all([
      this.fetchFrom(`${GRAPH}/app?${q}`, 'Facebook'),
      this.fetchFrom(`${GRAPH}/me?fields=id&${q}`, 'Facebook'),
    ]);
    const [appBody, meBody] = [await jsonOf(app, 'Facebook'), await jsonOf(me, 'Facebook')];
    if (!app.ok || !me.ok) throw invalid(graphError(app.ok ? meBody : appBody));
    if (typeof appBody.id !== 'string' || !appIds.includes(appBody.id)) throw invalid('Incorrect token audience.');
    if (typeof meBody.id !== 'string' || !meBody.id) throw invalid('Facebook did not name the user.');
    return { sub: meBody.id, aud: appBody.id };
  }

  /** Login with Amazon: tokeninfo names the client the token was issued to and the user. */
  private async amazon(token: string, appIds: string[]): Promise<JWTPayload> {
    const res = await this.fetchFrom(`${AMAZON_TOKENINFO}?access_token=${encodeURIComponent(token)}`, 'Login with Amazon');
    const body = await jsonOf(res, 'Login with Amazon');
    if (!res.ok) {
      const why = typeof body.error_description === 'string' ? body.error_description : String(body.error ?? `HTTP ${res.status}`);
      throw invalid(why);
    }
    const audiences = [body.aud, body.app_id].filter((x): x is string => typeof x === 'string');
    if (!audiences.some((a) => appIds.includes(a))) throw invalid('Incorrect token audience.');
    if (typeof body.user_id !== 'string' || !body.user_id) throw invalid('Login with Amazon did not name the user.');
    return { sub: body.user_id, aud: typeof body.aud === 'string' ? body.aud : audiences[0] };
  }
}

function graphError(body: Record<string, unknown>): string {
  const e = body.error as { message?: unknown } | undefined;
  return typeof e?.message === 'string' ? e.message : 'Facebook refused the token.';
}

/** A verified external login: one subject per provider per identity, role mappings by its name. */
function login(key: string, claims: JWTPayload): VerifiedLogin {
  const subject = claims.sub!;
  return { key, provider: key, subject, exclusive: true, claims, mappingKeys: [key], amr: [key, `${key}:${subject}`] };
}
