// GET /oauth2/authorize (hosted-ui-oauth.md §1). The request is checked by a table of named
// steps, in order; the first failure decides the answer:
//
//   client            client_id names an app client of this domain's pool    error page, no redirect
//   redirect_uri      exactly one of the client's CallbackURLs                error page, no redirect
//   single values     no parameter given twice                                ?error=invalid_request
//   response_type     code or token                                           invalid_request / unsupported_response_type
//   flow allowed      OAuth enabled on the client, flow in AllowedOAuthFlows  unauthorized_client
//   scope             each in AllowedOAuthScopes; none given = all of them    invalid_scope
//   pkce              S256 only, a well-formed challenge                      invalid_request
//   prompt, max_age   none alone; max_age a whole number                      invalid_request
//   provider          identity_provider / idp_identifier allowed for client  invalid_request
//
// The same check runs again on every hosted page that carries the authorize parameters, so a
// form post can never widen what the original request was allowed.
//
// Then: another identity provider goes to federation (the hook below; refused until federation
// exists); a live session answers at once unless prompt=login or max_age has passed;
// prompt=none without one answers login_required; anything else goes to /login.
import type { App } from '../app.js';
import type { AppClient, UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import type { PoolDomain } from './domains.js';
import { OAuthError, invalidRequest, invalidScope, unauthorizedClient } from './errors.js';
import { issueAuthorizationCode } from './grants/authorization-code.js';
import { appendParams, errorRedirectUrl, redirect, type Hosted } from './http.js';
import { readSession, requestContext, type HostedSession } from './session.js';
import { isSsoSessionId, ssoReuseMs, tracksSessions } from '../sessions/sessions.js';
import { showError } from './ui/render.js';
import type { MessageId } from './ui/messages.js';

export interface AuthorizeRequest {
  pool: UserPool;
  client: AppClient;
  responseType: 'code' | 'token';
  redirectUri: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  prompt: Set<string>;
  maxAgeSeconds?: number;
  loginHint?: string;
  identityProvider?: string;
  idpIdentifier?: string;
}

export type AuthorizeCheck =
  | { ok: true; request: AuthorizeRequest }
  | { ok: false; page: MessageId; client?: AppClient }
  | { ok: false; redirectTo: string };

/**
 * Federation plugs in here (federation issue): `resolveIdentifier` maps an idp_identifier to a
 * provider name, `start` answers the redirect to that identity provider. Until it is set, any
 * provider but COGNITO is refused on the redirect URI.
 */
export interface FederationHook {
  resolveIdentifier(poolId: string, identifier: string): Promise<string | undefined>;
  start(h: Hosted, request: AuthorizeRequest, providerName: string): Promise<unknown>;
}
export const federation: { hook?: FederationHook } = {};

const SINGLE = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method', 'nonce', 'prompt', 'max_age', 'identity_provider', 'idp_identifier', 'login_hint'];
const CHALLENGE_RE = /^[A-Za-z0-9._~-]{43,128}$/;

type Step = (q: URLSearchParams, r: Partial<AuthorizeRequest> & { client: AppClient; redirectUri: string }) => void | Promise<void>;

/** Steps after the redirect URI is trusted: each throws an OAuthError or fills in the request. */
const steps: [name: string, step: Step][] = [
  ['single values', (q) => {
    const twice = SINGLE.find((p) => q.getAll(p).length > 1);
    if (twice) throw invalidRequest(`The parameter ${twice} was given more than once.`);
  }],
  ['response_type', (q, r) => {
    const rt = q.get('response_type');
    if (!rt) throw invalidRequest('response_type is required.');
    if (rt !== 'code' && rt !== 'token') throw new OAuthError('unsupported_response_type', `response_type ${rt} is not supported.`);
    r.responseType = rt;
  }],
  ['flow allowed', (_q, r) => {
    const flows = (r.client.settings.AllowedOAuthFlows ?? []) as string[];
    const flow = r.responseType === 'code' ? 'code' : 'implicit';
    if (!r.client.settings.AllowedOAuthFlowsUserPoolClient || !flows.includes(flow)) {
      throw unauthorizedClient(`The ${flow} flow is not enabled for this client.`);
    }
  }],
  ['scope', (q, r) => {
    const allowed = r.client.settings.AllowedOAuthScopes ?? [];
    const asked = q.get('scope')?.split(' ').filter(Boolean);
    const scopes = asked?.length ? [...new Set(asked)] : allowed;
    const bad = scopes.find((s) => !allowed.includes(s));
    if (bad) throw invalidScope(`The scope ${bad} is not allowed for this client.`);
    if (!scopes.length) throw invalidScope('The client allows no scopes.');
    r.scopes = scopes;
  }],
  ['pkce', (q, r) => {
    const challenge = q.get('code_challenge') ?? undefined;
    const method = q.get('code_challenge_method') ?? undefined;
    if (r.responseType !== 'code') return;
    if (method !== undefined && challenge === undefined) throw invalidRequest('code_challenge_method was given without code_challenge.');
    if (challenge === undefined) return;
    if (method !== 'S256') throw invalidRequest('Only the S256 code_challenge_method is supported.');
    if (!CHALLENGE_RE.test(challenge)) throw invalidRequest('code_challenge must be 43 to 128 characters of base64url.');
    r.codeChallenge = challenge;
  }],
  ['prompt, max_age', (q, r) => {
    const prompt = new Set((q.get('prompt') ?? '').toLowerCase().split(' ').filter(Boolean));
    if (prompt.has('none') && prompt.size > 1) throw invalidRequest('prompt=none cannot be combined with other values.');
    r.prompt = prompt;
    const maxAge = q.get('max_age');
    if (maxAge !== null) {
      if (!/^\d{1,9}$/.test(maxAge)) throw invalidRequest('max_age must be a whole number of seconds.');
      r.maxAgeSeconds = Number(maxAge);
    }
  }],
  ['provider', async (q, r) => {
    const supported = (r.client.settings.SupportedIdentityProviders ?? ['COGNITO']) as string[];
    const named = q.get('identity_provider') ?? undefined;
    const identifier = q.get('idp_identifier') ?? undefined;
    if (named && !supported.includes(named)) throw invalidRequest(`The identity provider ${named} is not enabled for this client.`);
    if (identifier && !named) {
      const resolved = await federation.hook?.resolveIdentifier(r.client.poolId, identifier);
      if (!resolved || !supported.includes(resolved)) throw invalidRequest(`No identity provider of this client has the identifier ${identifier}.`);
      r.identityProvider = resolved;
    } else {
      r.identityProvider = named;
    }
    r.idpIdentifier = identifier;
  }],
];

/** Runs the checks of the file comment over an authorize query string. */
export async function checkAuthorizeRequest(app: App, domain: PoolDomain, q: URLSearchParams): Promise<AuthorizeCheck> {
  const clientId = q.get('client_id');
  let client: AppClient | undefined;
  if (clientId && q.getAll('client_id').length === 1) {
    client = await app.pools.getClient(domain.poolId, clientId).catch(() => undefined);
  }
  if (!client) return { ok: false, page: 'error.unknownClient' };
  const redirectUri = q.get('redirect_uri');
  if (!redirectUri || q.getAll('redirect_uri').length !== 1 || !(client.settings.CallbackURLs ?? []).includes(redirectUri)) {
    return { ok: false, page: 'error.redirectMismatch', client };
  }
  const r: Partial<AuthorizeRequest> & { client: AppClient; redirectUri: string } = {
    client,
    redirectUri,
    state: q.get('state') ?? undefined,
    nonce: q.get('nonce') ?? undefined,
    loginHint: q.get('login_hint') ?? undefined,
  };
  try {
    for (const [, step] of steps) await step(q, r);
  } catch (e) {
    if (!(e instanceof OAuthError)) throw e;
    return { ok: false, redirectTo: errorRedirectUrl(redirectUri, e, r.state, q.get('response_type') === 'token') };
  }
  r.pool = await app.pools.get(domain.poolId);
  return { ok: true, request: r as AuthorizeRequest };
}

/** The outcome of a failed check, as the browser sees it. */
export function answerCheckFailure(h: Hosted, check: Exclude<AuthorizeCheck, { ok: true }>) {
  if ('redirectTo' in check) return redirect(h, check.redirectTo);
  return showError(h, check.page, { client: check.client });
}

/** GET /oauth2/authorize. */
export async function authorize(h: Hosted) {
  const check = await checkAuthorizeRequest(h.app, h.domain, h.query);
  if (!check.ok) return answerCheckFailure(h, check);
  const request = check.request;
  if (request.identityProvider && request.identityProvider !== 'COGNITO') {
    if (federation.hook) return federation.hook.start(h, request, request.identityProvider);
    return redirect(h, errorRedirectUrl(request.redirectUri, invalidRequest(`Federation with ${request.identityProvider} is not available.`), request.state, request.responseType === 'token'));
  }
  const session = await usableSession(h, request);
  if (session) return finishAuthorize(h, request, session.user, session.session.authTime, session.session.sid);
  if (request.prompt.has('none')) {
    return redirect(h, errorRedirectUrl(request.redirectUri, new OAuthError('login_required', 'The user is not signed in.'), request.state, request.responseType === 'token'));
  }
  return redirect(h, `${h.base}/login?${h.query.toString()}`);
}

/**
 * The session of this request if it may answer `request` without a password: not prompt=login,
 * within max_age, and its user still exists, is enabled and confirmed.
 */
export async function usableSession(h: Hosted, request: AuthorizeRequest): Promise<{ session: HostedSession; user: User } | undefined> {
  if (request.prompt.has('login')) return undefined;
  const session = await readSession(h);
  if (!session) return undefined;
  if (request.maxAgeSeconds !== undefined && h.app.clock.now() - session.authTime > request.maxAgeSeconds * 1000) return undefined;
  // A pool that tracks sessions: each client reuses one for its SSOSession.MaxValidityMinutes.
  if (tracksSessions(request.pool) && h.app.clock.now() - session.authTime > ssoReuseMs(request.client)) return undefined;
  const user = await h.app.users.findBySub(request.pool, session.sub);
  if (!user || !user.enabled || (user.status !== 'CONFIRMED' && user.status !== 'EXTERNAL_PROVIDER')) return undefined;
  // Reused: a tracked SSO session is active now.
  if (isSsoSessionId(session.sid)) await h.app.tokens.sessions.touchSso(session.sid, requestContext(h));
  return { session, user };
}

/**
 * Ends an authorize request for a signed-in user: the code, or (implicit) the tokens, on the
 * redirect URI. `sid`: the hosted session's id (a tracked SSO session is the tokens' origin).
 * `firstSignIn`: a federated user's first sign-in, whose tokens come without PostAuthentication.
 */
export async function finishAuthorize(h: Hosted, request: AuthorizeRequest, user: User, authTime: number, sid?: string, firstSignIn = false) {
  const state = request.state;
  const sso = sid && isSsoSessionId(sid) ? sid : undefined;
  if (request.responseType === 'code') {
    const code = issueAuthorizationCode(h.app, request, user, authTime, sso, firstSignIn);
    const p = new URLSearchParams({ code });
    if (state !== undefined) p.set('state', state);
    return redirect(h, appendParams(request.redirectUri, p, false));
  }
  const r = await h.app.tokens.issueForSignIn({
    pool: request.pool,
    client: request.client,
    user,
    scopes: request.scopes,
    nonce: request.nonce,
    authTime,
    atHash: true,
    context: { ...requestContext(h), ssoSessionId: sso },
    trigger: firstSignIn ? { source: 'TokenGeneration_HostedAuth', postAuthentication: false } : undefined,
  });
  const p = new URLSearchParams({ access_token: r.AccessToken!, token_type: 'Bearer', expires_in: String(r.ExpiresIn) });
  if (request.scopes.includes('openid')) p.set('id_token', r.IdToken!);
  if (state !== undefined) p.set('state', state);
  return redirect(h, appendParams(request.redirectUri, p, true));
}
