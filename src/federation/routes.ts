// Federated sign-in on the hosted UI (hosted-ui-oauth.md §1, §7), plugged into the OAuth layer
// through its two seams: `federation.hook` (authorize.ts) and `hostedRoutes` (routes.ts).
//
//   /oauth2/authorize?identity_provider=P      start: 302 to P's authorize endpoint with a
//                                              sealed state (pool, provider, the original
//                                              authorize query, nonce, expiry, id) and the nonce
//   /oauth2/idpresponse  GET ?code&state       callback, and POST (form_post, Apple)
//
// The callback checks, in order:
//   state opens, is ours, for this pool      error page (no redirect URI can be trusted yet)
//   state not expired                        error page
//   the browser is the one that started it   error page (browser-binding.ts; a POST without the
//                                            cookie is first re-posted from Tessera's own origin)
//   state never used before                  error page (used once, by primary key)
//   the original authorize request           re-checked as /oauth2/authorize checks it
//   the provider still exists                ?error=invalid_request on the app's redirect URI
//   provider answered no error               ?error=invalid_request
//   code exchanged, ID token verified        ?error=invalid_request (oidc-client.ts)
// then the user is found or made (federated-user.ts), a hosted session starts, and the original
// authorize request is answered (the code, or the tokens) as a password sign-in would be.
import type { IdpAnswer } from '../triggers/inbound-federation.js';
import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import { newUuid } from '../ids.js';
import { federation, finishAuthorize, checkAuthorizeRequest, answerCheckFailure, type AuthorizeRequest } from '../oauth/authorize.js';
import { invalidRequest } from '../oauth/errors.js';
import { errorRedirectUrl, formOf, redirect, type Hosted } from '../oauth/http.js';
import { hostedRoutes } from '../oauth/routes.js';
import { startSession } from '../oauth/session.js';
import { FEDERATED_FLOW, recordHosted } from '../audit/hosted.js';
import { flowContext } from '../oauth/ui/flow.js';
import { showError } from '../oauth/ui/render.js';
import { bindToBrowser, checkBrowser } from './browser-binding.js';
import { userForIdentity } from './federated-user.js';
import { federationOf } from './index.js';
import type { IdentityProvider } from './providers.js';
import type { User } from '../userpools/user.js';
import { FederationError, authorizeUrl, endpointsOf, exchangeCode, fetchUserInfo, verifyIdToken } from './oidc-client.js';
import { SOCIAL } from './presets.js';
import { socialAuthorizeUrl, socialClaims } from './social.js';

const STATE_PURPOSE = 'federation-state';
const STATE_MS = 10 * 60_000;
const SIGN_IN_TYPES: ReadonlySet<string> = new Set(['OIDC', 'Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple']);

interface FederationState {
  pool: string;
  provider: string;
  /** The original /oauth2/authorize query string. */
  query: string;
  nonce: string;
  exp: number;
  jti: string;
  /** The browser binding (browser-binding.ts). */
  bind: string;
}

/**
 * Installs the hook and the callback route. The hook is one per process (authorize.ts), so
 * idp_identifier is resolved in the store of the App registered last: one App per process.
 */
export function registerFederation(app: App): void {
  federation.hook = {
    resolveIdentifier: (poolId, identifier) => app.store.federation.providerOfIdentifier(poolId, identifier),
    start,
  };
  hostedRoutes['oauth2/idpresponse'] = { GET: idpResponse, POST: idpResponse };
}

/** The callback URL Tessera registers at providers for this domain. */
export function callbackUrl(h: Hosted): string {
  return `${h.baseUrl}/oauth2/idpresponse`;
}

async function start(h: Hosted, request: AuthorizeRequest, providerName: string) {
  const provider = await federationOf(h.app).providers.find(request.pool.id, providerName);
  // OIDC and the social providers (each with its own protocol, social.ts); SAML has its own binding.
  if (!provider || !SIGN_IN_TYPES.has(provider.type)) return refuse(h, request, `The identity provider ${providerName} is not available.`);
  try {
    const nonce = randomBytes(24).toString('base64url');
    const endpoints = SOCIAL.has(provider.type) ? undefined : await endpointsOf(provider, h.app.clock);
    const state: FederationState = { pool: request.pool.id, provider: provider.name, query: h.query.toString(), nonce, exp: h.app.clock.now() + STATE_MS, jti: newUuid(), bind: bindToBrowser(h, STATE_MS) };
    const sealed = h.app.sealer.sealJson(STATE_PURPOSE, state);
    return redirect(h, endpoints ? authorizeUrl(provider, endpoints, callbackUrl(h), sealed, nonce) : socialAuthorizeUrl(h.app, provider, callbackUrl(h), sealed, nonce));
  } catch (e) {
    if (e instanceof FederationError) return refuse(h, request, e.message);
    throw e;
  }
}

async function idpResponse(h: Hosted) {
  const params = h.req.method === 'POST' ? formOf(h) : h.query;
  const sealed = params.get('state');
  const state = sealed ? h.app.sealer.openJson<FederationState>(STATE_PURPOSE, sealed) : undefined;
  if (!state || state.pool !== h.domain.poolId) return showError(h, 'error.federationUnavailable', { detail: 'The sign-in state is invalid.' });
  if (h.app.clock.now() >= state.exp) return showError(h, 'error.federationUnavailable', { detail: 'The sign-in took too long; please start again.' });
  const bound = checkBrowser(h, state.bind, h.req.method === 'POST' ? { path: '/oauth2/idpresponse', form: params } : undefined);
  if (!bound.ok) return bound.answer();
  if (!(await h.app.store.auth.useOnce(`idp-state:${state.jti}`, state.exp))) {
    return showError(h, 'error.federationUnavailable', { detail: 'This sign-in response was already used.' });
  }
  const check = await checkAuthorizeRequest(h.app, h.domain, new URLSearchParams(state.query));
  if (!check.ok) return answerCheckFailure(h, check);
  const request = check.request;
  const provider = await federationOf(h.app).providers.find(request.pool.id, state.provider);
  if (!provider) return refuse(h, request, `The identity provider ${state.provider} is not available.`);
  const error = params.get('error');
  if (error) return refuse(h, request, `${provider.name} Error - ${params.get('error_description') ?? error}`);
  const code = params.get('code');
  if (!code) return refuse(h, request, `${provider.name} Error - no authorization code`);
  return completeFederatedSignIn(h, request, provider, async () => {
    const answer: IdpAnswer = {};
    const claims = SOCIAL.has(provider.type)
      ? await socialClaims(h.app, provider, code, params, state.nonce, callbackUrl(h), answer)
      : await oidcClaims(h, provider, code, state.nonce, answer, h.app.triggers.has(request.pool, 'InboundFederation'));
    return userForIdentity(h.app, request.pool, provider, claims, request.client.id, { signingIn: preAuthenticationOf(h, request), answer });
  });
}

/** What the provider-specific part of a federated sign-in gives the common end. */
export interface UpstreamSignIn {
  user: User;
  /** This sign-in made the user (the identity's first). */
  created: boolean;
  /** For SAML sign-ins: what single logout needs to find the hosted session. */
  saml?: { provider: string; nameID: string; sessionIndex?: string };
  /** Runs once the hosted session is started (a provider's own cookies). */
  started?: () => void;
}

/**
 * The common end of every federated sign-in (OIDC, social, SAML): `upstream` checks the
 * provider's answer and finds or creates the user; a disabled user is refused; then the triggers
 * of a federated sign-in, as Cognito documents them: the first one (the user was just made, after
 * PreSignUp_ExternalProvider) runs PostConfirmation_ConfirmSignUp here and its tokens no
 * PostAuthentication; every later one runs PreAuthentication_Authentication in `upstream` (before
 * anything of the sign-in is written to the user) and PostAuthentication when its tokens are
 * issued. The outcome is an audit event; then the hosted
 * session starts and the app's authorization request is answered. Failures (FederationError, a
 * Cognito exception such as a refusing trigger) go back to the app as invalid_request.
 */
export async function completeFederatedSignIn(h: Hosted, request: AuthorizeRequest, provider: IdentityProvider, upstream: () => Promise<UpstreamSignIn>) {
  try {
    const { user, created, saml, started } = await upstream();
    if (!user.enabled) {
      await auditFederated(h, request, provider.name, 'Fail', { userId: user.id, username: user.username, reason: 'UserDisabled' });
      return refuse(h, request, 'User is disabled.');
    }
    // As after ConfirmSignUp, a failing PostConfirmation leaves the user made: the next sign-in
    // is a returning one. (A returning user's PreAuthentication ran in `upstream`.)
    if (created) await h.app.triggers.postConfirmation({ pool: request.pool, source: 'ConfirmSignUp', user, clientId: request.client.id });
    await auditFederated(h, request, provider.name, 'Pass', { userId: user.id, username: user.username });
    const now = h.app.clock.now();
    const session = await startSession(h, user, now, request.client.id, saml);
    started?.();
    return await finishAuthorize(h, request, user, now, session.sid, created);
  } catch (e) {
    if (e instanceof FederationError) {
      await auditFederated(h, request, provider.name, 'Fail', { reason: 'FederationError' });
      return refuse(h, request, e.message);
    }
    if (e instanceof Error && e.name.endsWith('Exception')) {
      await auditFederated(h, request, provider.name, 'Fail', { reason: e.name });
      return refuse(h, request, e.message);
    }
    throw e;
  }
}

/** PreAuthentication_Authentication of a returning federated user, for userForIdentity. */
export function preAuthenticationOf(h: Hosted, request: AuthorizeRequest): (user: User) => Promise<void> {
  return (user) => h.app.triggers.preAuthentication(flowContext(h, request), user, user.username);
}

/** A SignIn audit event of a federated sign-in (src/audit/hosted.ts). */
function auditFederated(h: Hosted, request: AuthorizeRequest, provider: string, outcome: 'Pass' | 'Fail', o: { userId?: string; username?: string; reason?: string }) {
  return recordHosted(h.app, h.req, {
    poolId: request.pool.id,
    clientId: request.client.id,
    userId: o.userId,
    username: o.username,
    type: 'SignIn',
    outcome,
    detail: { op: 'HostedUI', flow: FEDERATED_FLOW, provider, reason: o.reason },
  });
}

/**
 * An OIDC provider's verified claims: code exchanged, ID token checked, userinfo when needed.
 * `answer` is told what came back (the InboundFederation trigger's attributes).
 */
async function oidcClaims(h: Hosted, provider: IdentityProvider, code: string, nonce: string, answer: IdpAnswer, wantUserInfo: boolean): Promise<Record<string, unknown>> {
  const endpoints = await endpointsOf(provider, h.app.clock);
  const tokens = await exchangeCode(provider, endpoints, code, callbackUrl(h));
  answer.tokenResponse = tokens.response;
  if (!tokens.idToken) throw new FederationError(`${provider.name} Error - no id_token in the token response`);
  const claims: Record<string, unknown> = await verifyIdToken(provider, endpoints, tokens.idToken, nonce, h.app.clock);
  answer.idToken = claims;
  const info = tokens.accessToken && (wantUserInfo || needsUserInfo(provider.attributeMapping, claims)) ? await fetchUserInfo(provider, endpoints, tokens.accessToken, String(claims.sub)) : undefined;
  if (info) answer.userInfo = info;
  return { ...info, ...claims };
}

/** Whether a mapped claim is missing from the ID token, so the userinfo endpoint is asked. */
function needsUserInfo(mapping: Record<string, string>, claims: Record<string, unknown>): boolean {
  return Object.values(mapping).some((claim) => claims[claim] === undefined);
}

/** Cognito's answer to an IdP failure: invalid_request with the text, on the app's redirect URI. */
/** The app's redirect URI with invalid_request and `description`. */
export function refuse(h: Hosted, request: AuthorizeRequest, description: string) {
  return redirect(h, errorRedirectUrl(request.redirectUri, invalidRequest(description), request.state, request.responseType === 'token'));
}
