// SAML federation on the hosted UI (saml-sp.ts does the protocol), installed over the OAuth
// layer's seams after registerFederation (routes.ts):
//
//   /oauth2/authorize?identity_provider=P   P of type SAML: 302 to P's SSO URL with an AuthnRequest
//                                           and a sealed RelayState (pool, provider, the authorize
//                                           query, the request id, expiry, id); others go on to
//                                           the OIDC/social start
//   POST /saml2/idpresponse                 SAMLResponse + RelayState:
//       RelayState opens (SP-initiated)     state for this pool, unexpired, from the browser that
//                                           started it (browser-binding.ts), used once, the
//                                           response answers its request id
//       else (IdP-initiated)                RelayState is the authorize query (client_id,
//                                           redirect_uri, response_type, scope, identity_provider
//                                           or idp_identifier), checked as /oauth2/authorize
//                                           checks it; the provider must have IDPInit=true and the
//                                           response must answer no request
//     then the user is found or made (federated-user.ts), a hosted session starts, and the
//     authorize request is answered. A bad response goes to the app as invalid_request.
//   GET /saml2/metadata                     the pool's SP metadata (entity id, ACS, SLO, certificate)
//   GET /logout                             after a SAML sign-in whose provider has IDPSignout=true
//                                           and a valid client_id + logout_uri: the session ends and
//                                           the browser goes to the IdP with a LogoutRequest; the
//                                           IdP's LogoutResponse on /saml2/logout goes on to
//                                           logout_uri. Anything else: the plain /logout.
//   /saml2/logout                           LogoutResponse (above), or the IdP's own LogoutRequest
//                                           (HTTP-Redirect or HTTP-POST, both in /saml2/metadata):
//                                           its Issuer names the provider (IDPSignout=true), and the
//                                           sessions of its NameID (and SessionIndex, if given) end
//                                           server-side, cookies or not (session.ts); a
//                                           LogoutResponse goes back.
// The SAML sign-in's NameID, format and SessionIndex ride in their own sealed cookie, for /logout.
import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import { newUuid } from '../ids.js';
import { answerCheckFailure, checkAuthorizeRequest, federation, type AuthorizeRequest } from '../oauth/authorize.js';
import { clearCookie, formOf, redirect, setCookie, type Hosted } from '../oauth/http.js';
import { hostedRoutes, type HostedHandler } from '../oauth/routes.js';
import { SESSION_SECONDS, endSamlSessions, endSession } from '../oauth/session.js';
import { recordHosted } from '../audit/hosted.js';
import { autoPostPage } from '../oauth/ui/auto-post.js';
import { showError } from '../oauth/ui/render.js';
import { bindToBrowser, checkBrowser, unbind } from './browser-binding.js';
import { userForIdentity } from './federated-user.js';
import { federationOf } from './index.js';
import { completeFederatedSignIn, preAuthenticationOf, refuse } from './routes.js';
import { FederationError } from './oidc-client.js';
import type { IdentityProvider } from './providers.js';
import type { IdpMetadata } from './saml-metadata.js';
import { authnRequest, issuerOfLogoutRequest, logoutRequestUrl, logoutResponseUrl, metadataFor, spMetadata, verifyLogoutMessage, verifySamlResponse } from './saml-sp.js';

const STATE_PURPOSE = 'saml-state';
const LOGOUT_PURPOSE = 'saml-logout-state';
const SSO_PURPOSE = 'saml-sso';
const SSO_COOKIE = 'cognito-saml';
const STATE_MS = 10 * 60_000;

interface SamlState {
  pool: string;
  provider: string;
  query: string;
  requestId: string;
  exp: number;
  jti: string;
  /** The browser binding (browser-binding.ts). */
  bind: string;
}

interface LogoutState {
  pool: string;
  provider: string;
  requestId: string;
  then: string;
  exp: number;
}

interface SsoCookie {
  pool: string;
  provider: string;
  nameID: string;
  nameIDFormat?: string;
  sessionIndex?: string;
}

let plainLogout: HostedHandler | undefined;

export function registerSaml(_app: App): void {
  const hook = federation.hook;
  if (hook) {
    const next = hook.start;
    hook.start = async (h, request, providerName) => {
      const p = await federationOf(h.app).providers.find(request.pool.id, providerName);
      return p?.type === 'SAML' ? startSaml(h, request, p) : next(h, request, providerName);
    };
  }
  hostedRoutes['saml2/idpresponse'] = { POST: idpResponse };
  hostedRoutes['saml2/metadata'] = { GET: metadata };
  hostedRoutes['saml2/logout'] = { GET: samlLogout, POST: samlLogout };
  // The table is one per process: wrap the plain /logout once, however many Apps register.
  plainLogout ??= hostedRoutes.logout?.GET;
  const plain = plainLogout;
  if (plain) hostedRoutes.logout = { ...hostedRoutes.logout, GET: (h) => logoutWithIdp(h, plain) };
}

async function startSaml(h: Hosted, request: AuthorizeRequest, p: IdentityProvider) {
  let bind: string | undefined;
  try {
    const md = await metadataFor(h.app, p);
    const requestId = `_${randomBytes(20).toString('hex')}`;
    bind = bindToBrowser(h, STATE_MS);
    const state: SamlState = { pool: request.pool.id, provider: p.name, query: h.query.toString(), requestId, exp: h.app.clock.now() + STATE_MS, jti: newUuid(), bind };
    const sent = await authnRequest(h, p, md, requestId, h.app.sealer.sealJson(STATE_PURPOSE, state));
    return 'redirect' in sent ? redirect(h, sent.redirect) : autoPostPage(h, sent.post.action, Object.entries(sent.post.fields));
  } catch (e) {
    if (bind) unbind(h, bind);
    if (e instanceof FederationError) return refuse(h, request, e.message);
    throw e;
  }
}

async function idpResponse(h: Hosted) {
  const form = formOf(h);
  const samlResponse = form.get('SAMLResponse');
  const relay = form.get('RelayState') ?? form.get('Relaystate');
  if (!samlResponse || !relay) return showError(h, 'error.federationUnavailable', { detail: 'SAMLResponse and RelayState are required.' });
  const state = h.app.sealer.openJson<SamlState>(STATE_PURPOSE, relay);
  let request: AuthorizeRequest;
  let provider: IdentityProvider | undefined;
  if (state) {
    if (state.pool !== h.domain.poolId) return showError(h, 'error.federationUnavailable', { detail: 'The sign-in state is invalid.' });
    if (h.app.clock.now() >= state.exp) return showError(h, 'error.federationUnavailable', { detail: 'The sign-in took too long; please start again.' });
    const bound = checkBrowser(h, state.bind, { path: '/saml2/idpresponse', form });
    if (!bound.ok) return bound.answer();
    if (!(await h.app.store.auth.useOnce(`saml-state:${state.jti}`, state.exp))) {
      return showError(h, 'error.federationUnavailable', { detail: 'This sign-in response was already used.' });
    }
    const check = await checkAuthorizeRequest(h.app, h.domain, new URLSearchParams(state.query));
    if (!check.ok) return answerCheckFailure(h, check);
    request = check.request;
    provider = await federationOf(h.app).providers.find(request.pool.id, state.provider);
    if (!provider) return refuse(h, request, `The identity provider ${state.provider} is not available.`);
  } else {
    // IdP-initiated: the relay state is the authorize request's query.
    const check = await checkAuthorizeRequest(h.app, h.domain, new URLSearchParams(relay));
    if (!check.ok) return answerCheckFailure(h, check);
    request = check.request;
    if (!request.identityProvider) return refuse(h, request, 'IdP-initiated sign-in needs identity_provider or idp_identifier in the RelayState.');
    provider = await federationOf(h.app).providers.find(request.pool.id, request.identityProvider);
    if (!provider || provider.type !== 'SAML') return refuse(h, request, `The identity provider ${request.identityProvider} is not available.`);
    if (provider.details.IDPInit !== 'true') return refuse(h, request, `IdP-initiated sign-in is not enabled for ${provider.name}.`);
  }
  const idp = provider;
  return completeFederatedSignIn(h, request, idp, async () => {
    const md = await metadataFor(h.app, idp);
    const signIn = await verifySamlResponse(h, idp, md, samlResponse, state?.requestId);
    // identities[].issuer of a SAML user is the IdP's entity id, as Cognito shows it.
    const found = await userForIdentity(h.app, request.pool, idp, signIn.claims, request.client.id, {
      issuer: md.entityId,
      signingIn: preAuthenticationOf(h, request),
      answer: { samlResponse: signIn.claims },
    });
    const sso: SsoCookie = { pool: request.pool.id, provider: idp.name, nameID: signIn.nameID, nameIDFormat: signIn.nameIDFormat, sessionIndex: signIn.sessionIndex };
    return {
      ...found,
      saml: { provider: idp.name, nameID: signIn.nameID, sessionIndex: signIn.sessionIndex },
      started: () => setCookie(h, SSO_COOKIE, h.app.sealer.sealJson(SSO_PURPOSE, sso), SESSION_SECONDS),
    };
  });
}


/** Ends the hosted session and records a SignOut event for its user (SAML single logout). */
async function endSamlSession(h: Hosted, op: string): Promise<void> {
  const ended = await endSession(h);
  if (!ended) return;
  const pool = await h.app.pools.get(ended.poolId).catch(() => undefined);
  const user = pool ? await h.app.users.findBySub(pool, ended.sub).catch(() => undefined) : undefined;
  await recordHosted(h.app, h.req, { poolId: ended.poolId, userId: ended.sub, username: user?.username, type: 'SignOut', outcome: 'Pass', detail: { op } });
}

async function metadata(h: Hosted) {
  const xml = await spMetadata(h);
  return h.reply.code(200).header('content-type', 'application/samlmetadata+xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(xml);
}

/** GET /logout: single logout through the IdP when the file comment's conditions hold. */
async function logoutWithIdp(h: Hosted, plain: HostedHandler) {
  const sealed = h.cookies[SSO_COOKIE];
  const sso = sealed ? h.app.sealer.openJson<SsoCookie>(SSO_PURPOSE, sealed) : undefined;
  const clientId = h.query.get('client_id');
  const logoutUri = h.query.get('logout_uri');
  if (!sso || sso.pool !== h.domain.poolId || !clientId || logoutUri === null) return plain(h);
  const client = await h.app.pools.getClient(h.domain.poolId, clientId).catch(() => undefined);
  if (!client || !(client.settings.LogoutURLs ?? []).includes(logoutUri)) return plain(h);
  const provider = await federationOf(h.app).providers.find(h.domain.poolId, sso.provider);
  if (!provider || provider.type !== 'SAML' || provider.details.IDPSignout !== 'true') return plain(h);
  let md;
  try {
    md = await metadataFor(h.app, provider);
  } catch (e) {
    if (e instanceof FederationError) return plain(h);
    throw e;
  }
  if (!md.sloRedirect) return plain(h);
  await endSamlSession(h, 'HostedLogout');
  clearCookie(h, SSO_COOKIE);
  const requestId = `_${randomBytes(20).toString('hex')}`;
  const state: LogoutState = { pool: h.domain.poolId, provider: provider.name, requestId, then: logoutUri, exp: h.app.clock.now() + STATE_MS };
  return redirect(h, await logoutRequestUrl(h, provider, md, sso, requestId, h.app.sealer.sealJson(LOGOUT_PURPOSE, state)));
}

/** /saml2/logout: the IdP's LogoutResponse to Tessera's request, or its own LogoutRequest. */
async function samlLogout(h: Hosted) {
  const params = h.req.method === 'POST' ? formOf(h) : h.query;
  const rawQuery = (h.req.raw.url ?? '').split('?')[1] ?? '';
  const relay = params.get('RelayState') ?? '';
  if (params.get('SAMLResponse')) {
    const state = relay ? h.app.sealer.openJson<LogoutState>(LOGOUT_PURPOSE, relay) : undefined;
    if (!state || state.pool !== h.domain.poolId || h.app.clock.now() >= state.exp) return showError(h, 'error.federationUnavailable', { detail: 'The sign-out state is invalid.' });
    const provider = await federationOf(h.app).providers.find(state.pool, state.provider);
    if (!provider) return showError(h, 'error.federationUnavailable', { detail: `The identity provider ${state.provider} is not available.` });
    try {
      await verifyLogoutMessage(h, provider, await metadataFor(h.app, provider), params, rawQuery, state.requestId);
    } catch (e) {
      if (e instanceof FederationError) return showError(h, 'error.federationUnavailable', { detail: e.message });
      throw e;
    }
    return redirect(h, state.then);
  }
  if (params.get('SAMLRequest')) {
    // IdPs mostly send this from their own site (an HTTP-POST): SameSite=Lax cookies stay behind,
    // so the request's Issuer names the provider, and the sessions to end are found server-side.
    const issuer = issuerOfLogoutRequest(h.req.method, params.get('SAMLRequest')!);
    const found = issuer ? await samlProviderOfIssuer(h, issuer) : undefined;
    if (!found) return showError(h, 'error.federationUnavailable', { detail: 'No SAML sign-in to end.' });
    const { provider, md } = found;
    const sealed = h.cookies[SSO_COOKIE];
    const opened = sealed ? h.app.sealer.openJson<SsoCookie>(SSO_PURPOSE, sealed) : undefined;
    const sso = opened && opened.pool === h.domain.poolId && opened.provider === provider.name ? opened : undefined;
    try {
      const { request } = await verifyLogoutMessage(h, provider, md, params, rawQuery);
      if (!request?.nameID) throw new FederationError('Invalid SAML logout message received: no NameID');
      // A browser that did bring its cookies and is signed in as someone else keeps its session.
      if (sso && request.nameID !== sso.nameID) throw new FederationError('Invalid SAML logout message received: another subject');
      // Each LogoutRequest once (its signature would let a copy end a later session too).
      if (!request.ID || !(await h.app.store.auth.useOnce(`saml-logout:${h.domain.poolId}:${md.entityId}:${request.ID}`, h.app.clock.now() + STATE_MS))) {
        throw new FederationError('Invalid SAML logout message received: the request was already used');
      }
      await endSamlSessions(h.app, { poolId: h.domain.poolId, provider: provider.name, nameID: request.nameID, sessionIndex: request.sessionIndex });
      if (sso) {
        await endSamlSession(h, 'SamlLogoutRequest');
        clearCookie(h, SSO_COOKIE);
      } else {
        await auditIdpLogout(h, provider, request.nameID);
      }
      return redirect(h, await logoutResponseUrl(h, provider, md, request, relay));
    } catch (e) {
      if (e instanceof FederationError) return showError(h, 'error.federationUnavailable', { detail: e.message });
      throw e;
    }
  }
  return showError(h, 'error.federationUnavailable', { detail: 'SAMLRequest or SAMLResponse is required.' });
}

/** A SignOut event for the user of `nameID` (linked, else `<provider>_<NameID>`), when the LogoutRequest came without cookies. */
async function auditIdpLogout(h: Hosted, provider: IdentityProvider, nameID: string): Promise<void> {
  const pool = await h.app.pools.get(h.domain.poolId).catch(() => undefined);
  if (!pool) return;
  const linked = await h.app.store.federation.findLink(pool.id, provider.name, nameID);
  const user = linked ? await h.app.users.findBySub(pool, linked.user_id) : await h.app.users.find(pool, `${provider.name}_${nameID}`).catch(() => undefined);
  if (!user) return;
  await recordHosted(h.app, h.req, { poolId: pool.id, userId: user.id, username: user.username, type: 'SignOut', outcome: 'Pass', detail: { op: 'SamlLogoutRequest' } });
}

/** The pool's SAML provider with IDPSignout=true whose metadata's entity id is `issuer`. */
async function samlProviderOfIssuer(h: Hosted, issuer: string): Promise<{ provider: IdentityProvider; md: IdpMetadata } | undefined> {
  const providers = federationOf(h.app).providers;
  let after: string | undefined;
  for (;;) {
    const rows = await h.app.store.federation.listProviders(h.domain.poolId, 100, after);
    for (const row of rows) {
      if (row.type !== 'SAML') continue;
      const provider = await providers.find(h.domain.poolId, row.name);
      if (!provider || provider.details.IDPSignout !== 'true') continue;
      try {
        const md = await metadataFor(h.app, provider);
        if (md.entityId === issuer) return { provider, md };
      } catch (e) {
        if (!(e instanceof FederationError)) throw e;
      }
    }
    if (rows.length < 100) return undefined;
    after = rows[rows.length - 1]!.name;
  }
}

