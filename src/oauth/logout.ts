// GET /logout (hosted-ui-oauth.md §5). Ends the hosted-UI session of this domain, then:
//   client_id + logout_uri     302 to logout_uri, which must equal one of the client's LogoutURLs
//   client_id + redirect_uri   (+ response_type, scope, state ...) 302 to /login to sign in again,
//                              the authorize parameters checked as /oauth2/authorize checks them
//   neither                    the signed-out page
// A client_id of another pool, or a URI not registered, gets the error page and no redirect
// (and the session stays). Tokens already issued are not revoked (as in Cognito).
import { recordHosted } from '../audit/hosted.js';
import { checkAuthorizeRequest, answerCheckFailure } from './authorize.js';
import { redirect, type Hosted } from './http.js';
import { endSession } from './session.js';
import { signedOutPage } from './ui/pages.js';
import { showError, showPage } from './ui/render.js';

export async function logout(h: Hosted) {
  const q = h.query;
  const clientId = q.get('client_id');
  if (!clientId) {
    await endAndAudit(h, clientId ?? undefined);
    return showPage(h, { title: 'page.signedOut.title', body: signedOutPage(h.lang) });
  }
  const client = await h.app.pools.getClient(h.domain.poolId, clientId).catch(() => undefined);
  if (!client) return showError(h, 'error.unknownClient');
  const logoutUri = q.get('logout_uri');
  if (logoutUri !== null) {
    if (!(client.settings.LogoutURLs ?? []).includes(logoutUri)) return showError(h, 'error.logoutMismatch', { client });
    await endAndAudit(h, clientId ?? undefined);
    return redirect(h, logoutUri);
  }
  if (q.get('redirect_uri') !== null) {
    const check = await checkAuthorizeRequest(h.app, h.domain, q);
    if (!check.ok) return answerCheckFailure(h, check);
    await endAndAudit(h, clientId ?? undefined);
    return redirect(h, `${h.base}/login?${q.toString()}`);
  }
  await endAndAudit(h, clientId ?? undefined);
  return showPage(h, { title: 'page.signedOut.title', body: signedOutPage(h.lang), client });
}

/** Ends the session and records a SignOut event for its user (src/audit/hosted.ts). */
async function endAndAudit(h: Hosted, clientId: string | undefined): Promise<void> {
  const ended = await endSession(h);
  if (!ended) return;
  const pool = await h.app.pools.get(ended.poolId).catch(() => undefined);
  const user = pool ? await h.app.users.findBySub(pool, ended.sub).catch(() => undefined) : undefined;
  await recordHosted(h.app, h.req, {
    poolId: ended.poolId,
    clientId,
    userId: ended.sub,
    username: user?.username,
    type: 'SignOut',
    outcome: 'Pass',
    detail: { op: 'HostedLogout' },
  });
}
