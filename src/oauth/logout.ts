// GET /logout (hosted-ui-oauth.md §5). Ends the hosted-UI session of this domain, then:
//   client_id + logout_uri     302 to logout_uri, which must equal one of the client's LogoutURLs
//   client_id + redirect_uri   (+ response_type, scope, state ...) 302 to /login to sign in again,
//                              the authorize parameters checked as /oauth2/authorize checks them
//   neither                    the signed-out page
// A client_id of another pool, or a URI not registered, gets the error page and no redirect
// (and the session stays). Tokens already issued are not revoked (as in Cognito).
import { checkAuthorizeRequest, answerCheckFailure } from './authorize.js';
import { redirect, type Hosted } from './http.js';
import { endSession } from './session.js';
import { signedOutPage } from './ui/pages.js';
import { showError, showPage } from './ui/render.js';

export async function logout(h: Hosted) {
  const q = h.query;
  const clientId = q.get('client_id');
  if (!clientId) {
    await endSession(h);
    return showPage(h, { title: 'page.signedOut.title', body: signedOutPage(h.lang) });
  }
  const client = await h.app.pools.getClient(h.domain.poolId, clientId).catch(() => undefined);
  if (!client) return showError(h, 'error.unknownClient');
  const logoutUri = q.get('logout_uri');
  if (logoutUri !== null) {
    if (!(client.settings.LogoutURLs ?? []).includes(logoutUri)) return showError(h, 'error.logoutMismatch', { client });
    await endSession(h);
    return redirect(h, logoutUri);
  }
  if (q.get('redirect_uri') !== null) {
    const check = await checkAuthorizeRequest(h.app, h.domain, q);
    if (!check.ok) return answerCheckFailure(h, check);
    await endSession(h);
    return redirect(h, `${h.base}/login?${q.toString()}`);
  }
  await endSession(h);
  return showPage(h, { title: 'page.signedOut.title', body: signedOutPage(h.lang), client });
}
