// Tessera as a relying party of an upstream OIDC (or social) provider: its endpoints (explicit in
// ProviderDetails, else from the issuer's discovery document), the authorize URL, the code
// exchange at the token endpoint (client_secret_post, as Cognito sends it), and the ID token
// check: signature against the provider's JWKS, iss, aud, exp/iat (on app.clock), and the nonce
// Tessera sealed into the state. Failures are FederationError with Cognito-like texts, which
// the callback puts on the app's redirect URI as error_description.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import { safeEqual } from '../crypto/compare.js';
import type { IdentityProvider } from './providers.js';

export class FederationError extends Error {}

export interface Endpoints {
  authorize: string;
  token: string;
  jwks: string;
  userinfo?: string;
}

/** How long a call to a provider may take. */
export const IDP_TIMEOUT_MS = 10_000;
const DISCOVERY_TTL_MS = 10 * 60_000;
const discovered = new Map<string, { at: number; doc: Record<string, unknown> }>();
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** The provider's endpoints: explicit details first, then its discovery document. */
export async function endpointsOf(p: IdentityProvider, clock: Clock): Promise<Endpoints> {
  const d = p.details;
  let doc: Record<string, unknown> = {};
  if (!d.authorize_url || !d.token_url || !d.jwks_uri) doc = await discover(p, clock);
  const pick = (explicit: string | undefined, key: string) => explicit ?? (typeof doc[key] === 'string' ? (doc[key] as string) : undefined);
  const authorize = pick(d.authorize_url, 'authorization_endpoint');
  const token = pick(d.token_url, 'token_endpoint');
  const jwks = pick(d.jwks_uri, 'jwks_uri');
  if (!authorize || !token || !jwks) throw new FederationError(`${p.name} Error - the identity provider's endpoints are not known`);
  return { authorize, token, jwks, userinfo: pick(d.attributes_url, 'userinfo_endpoint') };
}

async function discover(p: IdentityProvider, clock: Clock): Promise<Record<string, unknown>> {
  const issuer = p.details.oidc_issuer;
  if (!issuer) return {};
  const hit = discovered.get(issuer);
  if (hit && clock.now() - hit.at < DISCOVERY_TTL_MS) return hit.doc;
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await callIdp(p, 'discovery', () => fetch(url, { signal: AbortSignal.timeout(IDP_TIMEOUT_MS) }));
  if (!res.ok) throw new FederationError(`${p.name} Error - ${res.status} error getting the discovery document`);
  const doc = (await res.json()) as Record<string, unknown>;
  if (doc.issuer !== issuer) throw new FederationError(`${p.name} Error - the discovery document names another issuer`);
  discovered.set(issuer, { at: clock.now(), doc });
  return doc;
}

/** The URL that sends the browser to the provider. */
export function authorizeUrl(p: IdentityProvider, e: Endpoints, redirectUri: string, state: string, nonce: string): string {
  const u = new URL(e.authorize);
  u.searchParams.set('client_id', p.details.client_id);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('scope', p.details.authorize_scopes.split(/[\s,]+/).filter(Boolean).join(' '));
  u.searchParams.set('redirect_uri', redirectUri);
  u.searchParams.set('state', state);
  u.searchParams.set('nonce', nonce);
  if (p.type === 'SignInWithApple') u.searchParams.set('response_mode', 'form_post');
  return u.toString();
}

export interface UpstreamTokens {
  idToken?: string;
  accessToken?: string;
  /** The token endpoint's answer as it came (for the InboundFederation trigger). */
  response: Record<string, unknown>;
}

/** Exchanges the provider's code at its token endpoint. */
export async function exchangeCode(p: IdentityProvider, e: Endpoints, code: string, redirectUri: string): Promise<UpstreamTokens> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: p.details.client_id });
  if (p.details.client_secret) body.set('client_secret', p.details.client_secret);
  const json = await postTokenForm(p, e.token, body);
  return { idToken: json.id_token as string | undefined, accessToken: json.access_token as string | undefined, response: json };
}

/**
 * A form POST to a provider's token endpoint; its JSON answer ({} when the body is not JSON).
 * Shared by the OIDC and the social providers.
 */
export async function postTokenForm(p: IdentityProvider, url: string, body: URLSearchParams): Promise<Record<string, unknown>> {
  const res = await callIdp(p, 'token', () =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(IDP_TIMEOUT_MS),
    }),
  );
  if (!res.ok) throw new FederationError(`${p.name} Error - ${res.status} error getting token`);
  return (await res.json().catch(() => ({}))) as Record<string, unknown>;
}

/** The verified claims of the provider's ID token. */
export async function verifyIdToken(p: IdentityProvider, e: Endpoints, idToken: string, nonce: string, clock: Clock): Promise<JWTPayload> {
  return verifyProviderIdToken(p, e.jwks, p.details.oidc_issuer, idToken, nonce, clock);
}

/**
 * An ID token checked against the keys at `jwksUrl` (cached per URL): signature, iss (one of
 * `issuer`), aud (the provider's client id), exp/iat on `clock` with 30 s of leeway, and the nonce.
 * Shared by the OIDC and the social (Google, Apple) providers.
 */
export async function verifyProviderIdToken(
  p: IdentityProvider,
  jwksUrl: string,
  issuer: string | string[] | undefined,
  idToken: string,
  nonce: string,
  clock: Clock,
): Promise<JWTPayload> {
  let keys = keySets.get(jwksUrl);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: IDP_TIMEOUT_MS });
    keySets.set(jwksUrl, keys);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keys, {
      issuer,
      audience: p.details.client_id,
      currentDate: new Date(clock.now()),
      clockTolerance: 30,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (err) {
    throw new FederationError(`Invalid identity token from ${p.name}: ${(err as Error).message}`);
  }
  if (typeof payload.nonce !== 'string' || !safeEqual(payload.nonce, nonce)) throw new FederationError(`Invalid identity token from ${p.name}: nonce mismatch`);
  return payload;
}

/** The provider's userinfo (attributes_request_method), merged under the ID token's claims. */
export async function fetchUserInfo(p: IdentityProvider, e: Endpoints, accessToken: string, sub: string): Promise<Record<string, unknown>> {
  if (!e.userinfo) return {};
  const post = p.details.attributes_request_method === 'POST';
  const res = await callIdp(p, 'userinfo', () =>
    fetch(e.userinfo!, {
      method: post ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(IDP_TIMEOUT_MS),
    }),
  );
  if (!res.ok) throw new FederationError(`${p.name} Error - ${res.status} error getting user attributes`);
  const info = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (info.sub !== undefined && info.sub !== sub) throw new FederationError(`${p.name} Error - the user attributes belong to another user`);
  return info;
}

/** A call to one of the provider's endpoints; a timeout or an unreachable host is a FederationError. */
export async function callIdp(p: IdentityProvider, what: string, go: () => Promise<Response>): Promise<Response> {
  try {
    return await go();
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') throw new FederationError(`Timeout occurred in calling IdP ${what} endpoint`);
    throw new FederationError(`${p.name} Error - the ${what} endpoint could not be reached`);
  }
}
