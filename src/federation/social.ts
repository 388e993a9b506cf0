// Sign-in through the four social providers, each with its own protocol, as Cognito speaks it:
//
//   Google           OIDC: authorize (scope, nonce), code -> POST token (client_secret_post),
//                    id_token verified against Google's JWKS (iss accounts.google.com, aud, nonce);
//                    mapped names the ID token lacks come from the People API
//                    (attributes_url + personFields=<those names>, bearer access token)
//   Facebook         OAuth 2.0 dialog; code -> GET oauth/access_token (client id/secret as query);
//                    the Graph API /me?fields=id,<mapped names> with the access token and its
//                    appsecret_proof. Username Facebook_<id>.
//   LoginWithAmazon  /ap/oa; code -> POST /auth/o2/token; GET /user/profile (bearer).
//                    Username LoginWithAmazon_<user_id>.
//   SignInWithApple  authorize with response_mode=form_post (the answer is a POST to
//                    /oauth2/idpresponse); the token request's client_secret is an ES256 JWT
//                    (kid key_id, iss team_id, sub client_id, aud appleid.apple.com) signed with
//                    the provider's private_key; id_token verified against Apple's JWKS; the
//                    `user` form field (first sign-in only) gives firstName / lastName.
//
// The providers' origins are fixed (presets.ts); `TESSERA_IDENTITY_PROVIDER_ENDPOINTS` may send a
// real origin to another place (local doubles in tests, an egress proxy).
//
// Verified e-mail (what auto-linking trusts, links.ts): Google's and Apple's ID tokens carry
// `email_verified`; the Graph API and Amazon's profile carry no such flag, so their e-mails are
// never taken as verified (Cognito likewise leaves a mapped e-mail unverified unless the provider
// gives a verification attribute to map).
import type { IdpAnswer } from '../triggers/inbound-federation.js';
import { createHmac, createPrivateKey } from 'node:crypto';
import { SignJWT, importPKCS8, type JWTPayload } from 'jose';
import type { App } from '../app.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import { FederationError, IDP_TIMEOUT_MS, callIdp, postTokenForm, verifyProviderIdToken } from './oidc-client.js';
import type { IdentityProvider } from './providers.js';

const GOOGLE_JWKS = 'https://www.googleapis.com/oauth2/v3/certs';
const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];
const APPLE_JWKS = 'https://appleid.apple.com/auth/keys';
const APPLE_ISSUER = 'https://appleid.apple.com';

/** The provider's user id claim: what `username` maps to unless the caller maps it otherwise. */
export const SOCIAL_USER_ID_CLAIM: Record<string, string> = { Google: 'sub', Facebook: 'id', LoginWithAmazon: 'user_id', SignInWithApple: 'sub' };

/** `url` with its origin replaced per the endpoint overrides (the path and query kept). */
export function routed(config: Config, url: string): string {
  const overrides = (config as { identityProviderEndpoints?: Record<string, string> }).identityProviderEndpoints ?? {};
  const u = new URL(url);
  const to = overrides[u.origin];
  if (!to) return url;
  return `${to.replace(/\/+$/, '')}${u.pathname}${u.search}`;
}

/** The URL that sends the browser to the social provider. */
export function socialAuthorizeUrl(app: App, p: IdentityProvider, redirectUri: string, state: string, nonce: string): string {
  const d = p.details;
  const u = new URL(routed(app.config, d.authorize_url));
  const scopes = d.authorize_scopes.split(/[\s,]+/).filter(Boolean);
  u.searchParams.set('client_id', d.client_id);
  u.searchParams.set('redirect_uri', redirectUri);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('state', state);
  switch (p.type) {
    case 'Google':
      u.searchParams.set('scope', (scopes.includes('openid') ? scopes : ['openid', ...scopes]).join(' '));
      u.searchParams.set('nonce', nonce);
      break;
    case 'Facebook':
      u.searchParams.set('scope', scopes.join(','));
      break;
    case 'LoginWithAmazon':
      u.searchParams.set('scope', scopes.join(' '));
      break;
    case 'SignInWithApple':
      u.searchParams.set('scope', scopes.join(' '));
      u.searchParams.set('response_mode', 'form_post');
      u.searchParams.set('nonce', nonce);
      break;
    default:
      throw new FederationError(`${p.name} Error - not a social identity provider`);
  }
  return u.toString();
}

/**
 * The verified attributes of the user who signed in at the social provider: exchanges `code`
 * and reads the profile as the provider's protocol has it. `form` is the callback's parameters
 * (Apple's `user`).
 */
export async function socialClaims(app: App, p: IdentityProvider, code: string, form: URLSearchParams, nonce: string, redirectUri: string, answer: IdpAnswer = {}): Promise<Record<string, unknown>> {
  let claims: Record<string, unknown>;
  switch (p.type) {
    case 'Google':
      claims = await google(app, p, code, nonce, redirectUri, answer);
      break;
    case 'Facebook':
      claims = await facebook(app, p, code, redirectUri, answer);
      break;
    case 'LoginWithAmazon':
      claims = await amazon(app, p, code, redirectUri, answer);
      break;
    case 'SignInWithApple':
      claims = await apple(app, p, code, form, nonce, redirectUri, answer);
      break;
    default:
      throw new FederationError(`${p.name} Error - not a social identity provider`);
  }
  // A Facebook or Amazon provider stored while every type's `username` defaulted to `sub`: the
  // provider's own user id stands for it.
  const own = SOCIAL_USER_ID_CLAIM[p.type];
  if (p.attributeMapping.username === 'sub' && claims.sub === undefined && own && claims[own] !== undefined) claims = { ...claims, sub: claims[own] };
  return claims;
}

async function google(app: App, p: IdentityProvider, code: string, nonce: string, redirectUri: string, answer: IdpAnswer): Promise<Record<string, unknown>> {
  const d = p.details;
  const tokens = await postToken(app, p, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: d.client_id, client_secret: d.client_secret });
  answer.tokenResponse = tokens;
  if (typeof tokens.id_token !== 'string') throw new FederationError(`${p.name} Error - no id_token in the token response`);
  const claims: Record<string, unknown> = await verify(app, p, tokens.id_token, GOOGLE_JWKS, GOOGLE_ISSUERS, nonce);
  answer.idToken = claims;
  const missing = wanted(p).filter((name) => claims[name] === undefined);
  if (missing.length === 0 || typeof tokens.access_token !== 'string') return claims;
  // The People API: each requested field is a list; the first entry's value is the attribute.
  const url = d.attributes_url_add_attributes === 'false' ? d.attributes_url : `${d.attributes_url}${missing.join(',')}`;
  const person = await getJson(app, p, 'user attributes', routed(app.config, url), { authorization: `Bearer ${tokens.access_token}` });
  answer.userInfo = person;
  const extra: Record<string, unknown> = {};
  for (const name of missing) {
    const v = person[name];
    const first = Array.isArray(v) ? v[0] : v;
    if (first === undefined || first === null) continue;
    extra[name] = typeof first === 'object' ? ((first as Record<string, unknown>).value ?? (first as Record<string, unknown>).formattedValue ?? first) : first;
  }
  return { ...extra, ...claims };
}

async function facebook(app: App, p: IdentityProvider, code: string, redirectUri: string, answer: IdpAnswer): Promise<Record<string, unknown>> {
  const d = p.details;
  const tokenUrl = new URL(routed(app.config, versioned(d.token_url, d.api_version)));
  for (const [k, v] of Object.entries({ client_id: d.client_id, redirect_uri: redirectUri, client_secret: d.client_secret, code })) tokenUrl.searchParams.set(k, v);
  const tokens = await getJson(app, p, 'token', tokenUrl.toString(), {});
  answer.tokenResponse = tokens;
  if (typeof tokens.access_token !== 'string') throw new FederationError(`${p.name} Error - no access_token in the token response`);
  const fields = [...new Set(['id', ...wanted(p)])];
  const me = new URL(routed(app.config, `${versioned(d.attributes_url, d.api_version)}${fields.join(',')}`));
  me.searchParams.set('access_token', tokens.access_token);
  me.searchParams.set('appsecret_proof', createHmac('sha256', d.client_secret).update(tokens.access_token).digest('hex'));
  return (answer.userInfo = await getJson(app, p, 'user attributes', me.toString(), {}));
}

async function amazon(app: App, p: IdentityProvider, code: string, redirectUri: string, answer: IdpAnswer): Promise<Record<string, unknown>> {
  const d = p.details;
  const tokens = await postToken(app, p, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: d.client_id, client_secret: d.client_secret });
  answer.tokenResponse = tokens;
  if (typeof tokens.access_token !== 'string') throw new FederationError(`${p.name} Error - no access_token in the token response`);
  return (answer.userInfo = await getJson(app, p, 'user attributes', routed(app.config, d.attributes_url), { authorization: `Bearer ${tokens.access_token}` }));
}

async function apple(app: App, p: IdentityProvider, code: string, form: URLSearchParams, nonce: string, redirectUri: string, answer: IdpAnswer): Promise<Record<string, unknown>> {
  const d = p.details;
  const clientSecret = await appleClientSecret(p, app.clock);
  const tokens = await postToken(app, p, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: d.client_id, client_secret: clientSecret });
  answer.tokenResponse = tokens;
  if (typeof tokens.id_token !== 'string') throw new FederationError(`${p.name} Error - no id_token in the token response`);
  const claims: Record<string, unknown> = await verify(app, p, tokens.id_token, APPLE_JWKS, [APPLE_ISSUER], nonce);
  answer.idToken = claims;
  // `user` comes with the first authorization only, from the browser: its name is shown as the
  // user typed it, never its e-mail (the ID token's is the verified one).
  const user = parseUser(form.get('user'));
  const first = typeof user?.name?.firstName === 'string' ? user.name.firstName : undefined;
  const last = typeof user?.name?.lastName === 'string' ? user.name.lastName : undefined;
  const names: Record<string, unknown> = {};
  if (first) names.firstName = first;
  if (last) names.lastName = last;
  if (first || last) names.name = [first, last].filter(Boolean).join(' ');
  return { ...names, ...claims };
}

/** Apple's client_secret: an ES256 JWT from the provider's key, valid five minutes. */
export async function appleClientSecret(p: IdentityProvider, clock: Clock): Promise<string> {
  const d = p.details;
  let key: CryptoKey;
  try {
    key = (await importPKCS8(pem(d.private_key), 'ES256')) as CryptoKey;
  } catch {
    throw new FederationError(`${p.name} Error - the private_key is not an ES256 (P-256) PKCS #8 key`);
  }
  const now = Math.floor(clock.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: d.key_id })
    .setIssuer(d.team_id)
    .setSubject(d.client_id)
    .setAudience(APPLE_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key);
}

/** Whether `key` (ProviderDetails private_key) is a P-256 private key, as Apple's .p8 files hold. */
export function isApplePrivateKey(key: string): boolean {
  try {
    const k = createPrivateKey(pem(key));
    return k.asymmetricKeyType === 'ec' && k.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}

/** The .p8 file's text; the PEM armour is added when the caller gave the base64 only. */
function pem(key: string): string {
  if (key.includes('-----BEGIN')) return key.replace(/\\n/g, '\n');
  const body = key.replace(/\s+/g, '');
  return `-----BEGIN PRIVATE KEY-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END PRIVATE KEY-----`;
}

function parseUser(raw: string | null): { name?: { firstName?: unknown; lastName?: unknown } } | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw);
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Facebook's URLs carry the Graph API version; `api_version` replaces it. */
function versioned(url: string, version: string | undefined): string {
  return version && /^v\d+\.\d+$/.test(version) ? url.replace(/\/v\d+\.\d+\//, `/${version}/`) : url;
}

/** The provider attribute names the mapping asks for (besides the user id). */
function wanted(p: IdentityProvider): string[] {
  return [...new Set(Object.values(p.attributeMapping))];
}

function verify(app: App, p: IdentityProvider, idToken: string, jwks: string, issuers: string[], nonce: string): Promise<JWTPayload> {
  return verifyProviderIdToken(p, routed(app.config, jwks), issuers, idToken, nonce, app.clock);
}

function postToken(app: App, p: IdentityProvider, form: Record<string, string>): Promise<Record<string, unknown>> {
  return postTokenForm(p, routed(app.config, p.details.token_url), new URLSearchParams(form));
}

async function getJson(app: App, p: IdentityProvider, what: 'token' | 'user attributes', url: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await callIdp(p, what === 'token' ? 'token' : 'userinfo', () => fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(IDP_TIMEOUT_MS) }));
  if (!res.ok) throw new FederationError(`${p.name} Error - ${res.status} error getting ${what === 'token' ? 'token' : 'user attributes'}`);
  const json = (await res.json().catch(() => undefined)) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FederationError(`${p.name} Error - the ${what} response is not a JSON object`);
  return json as Record<string, unknown>;
}
