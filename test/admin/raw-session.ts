// A console session over plain HTTP (no browser): the sign-in form's token, the sign-in, and the
// session's CSRF token as the console's pages carry it. For tests that send hand-made requests.
import { ADMIN } from '../support/server.js';

export interface RawSession {
  /** The Cookie header to send. */
  cookie: string;
  /** The session's CSRF token (the forms' _csrf field). */
  csrf: string;
}

const cookiesOf = (r: Response) => r.headers.getSetCookie().map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

export async function consoleSession(url: string): Promise<RawSession> {
  const form = await fetch(`${url}/admin/login`);
  const loginCookie = cookiesOf(form).join('; ');
  const loginToken = csrfOf(await form.text());
  if (!loginToken) throw new Error('no CSRF token in the sign-in form');
  const signed = await fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    body: new URLSearchParams({ accessKeyId: ADMIN.accessKeyId, secretAccessKey: ADMIN.secretAccessKey, _csrf: loginToken }),
    redirect: 'manual',
  });
  if (signed.status !== 303) throw new Error(`sign-in answered ${signed.status}`);
  const cookie = cookiesOf(signed).join('; ');
  const home = await fetch(`${url}/admin`, { headers: { cookie } });
  const csrf = csrfOf(await home.text());
  if (!csrf) throw new Error('no CSRF token on the console home');
  return { cookie, csrf };
}
