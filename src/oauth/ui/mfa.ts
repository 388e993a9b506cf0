// The hosted UI's second factor: the pages between a proven password and the session, driven by
// the API's own state machine (src/auth: afterFirstFactor, respondToAuthChallenge, the MFA_SETUP
// Session steps). Nothing here decides which factor applies or whether a code is right; the
// hosted UI is one more client of RespondToAuthChallenge, computing SECRET_HASH itself for an app
// client with a secret, and its FlowContext says `hosted`, so a finished sign-in is `proven`
// instead of tokens (the authorization code brings those).
//
//   challenge            page                                             form fields
//   SMS_MFA, EMAIL_OTP   "we have sent a code to <masked destination>"   code
//   SOFTWARE_TOKEN_MFA   "enter the code your authenticator app shows"   code
//   SELECT_MFA_TYPE      one radio button per MFAS_CAN_CHOOSE             answer
//   MFA_SETUP            QR code (SVG) of the otpauth:// URI + the key    code
//                        (MFAS_CAN_SETUP with both: first a choice         answer
//                        between the app and e-mail)
//
// Each form posts to /mfa with the challenge's sealed Session, the challenge name and the
// canonical username (hidden fields; the Session is what the state machine trusts, the others
// only have to agree with it), plus the CSRF token. Setting up the app runs
// AssociateSoftwareToken's and VerifySoftwareToken's Session steps (auth/mfa-setup.ts) before
// answering MFA_SETUP; the new key travels sealed in the form so a wrong code can show the same
// QR code again. Setting up e-mail answers MFA_SETUP with the user's address (EMAIL), and the
// EMAIL_OTP page follows.
//
// A wrong code shows the page again with Cognito's message; the end of the challenge (too many
// wrong codes, an expired or used Session) and an expired code lead back to the sign-in page.
import QRCode from 'qrcode';
import { respondToAuthChallenge } from '../../auth/flows.js';
import { afterFirstFactor } from '../../auth/mfa.js';
import { openSetupSession, resealSetupSession } from '../../auth/mfa-setup.js';
import { secretHashOf } from '../../auth/secret-hash.js';
import { associateSoftwareToken, verifySoftwareToken } from '../../auth/software-token.js';
import type { AuthStep, ChallengeName, FlowContext } from '../../auth/types.js';
import { CognitoException } from '../../errors.js';
import type { User } from '../../userpools/user.js';
import type { AuthorizeRequest } from '../authorize.js';
import { csrfToken, type Hosted } from '../http.js';
import { flowContext, messageFor, pageUrl, withForm } from './flow.js';
import { esc } from './layout.js';
import { t, type MessageId } from './messages.js';
import { field, form, heading, links, messages, type FormPage } from './pages.js';
import { showNewPassword } from './new-password.js';
import { showPage } from './render.js';
import { afterPasswordSteps, auditPassword, renderLogin, signedIn } from './sign-in.js';

const SETUP_PURPOSE = 'hosted-ui-totp-setup';
const PAGES = new Set<ChallengeName>(['SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA', 'SELECT_MFA_TYPE', 'MFA_SETUP']);

/** Where the challenge stands, as the hidden fields of its page carry it. */
interface Pending {
  challenge: ChallengeName;
  session: string;
  username: string;
  /** SMS_MFA / EMAIL_OTP: the masked destination. */
  destination?: string;
  /** SELECT_MFA_TYPE: the factors offered. */
  options?: string[];
  /** MFA_SETUP: the sealed new key. */
  setup?: string;
}

interface SetupSeal {
  secret: string;
  sub: string;
  exp: number;
}

function hostedContext(h: Hosted, request: AuthorizeRequest): FlowContext {
  return { ...flowContext(h, request), hosted: true };
}

/**
 * The step run after every proven password (sign-in.ts): the new-password page for a temporary
 * password (new-password.ts, which comes back here for MFA), else a page when a second factor applies.
 */
async function secondFactor(h: Hosted, request: AuthorizeRequest, user: User): Promise<boolean> {
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    await showNewPassword(h, request, user);
    return true;
  }
  const ctx = hostedContext(h, request);
  try {
    const step = await afterFirstFactor(ctx, user, { typed: user.username });
    if (step.kind === 'proven') return false;
    await answerStep(h, request, ctx, step);
  } catch (e) {
    const m = messageFor(e);
    if (!m) throw e;
    await renderLogin(h, request, { username: user.username, error: m, status: 400 });
  }
  return true;
}
afterPasswordSteps.push(secondFactor);

/** The SignIn event of an answered MFA page, as the API's RespondToAuthChallenge records it (observe.ts). */
async function auditMfaStep(h: Hosted, request: AuthorizeRequest, answered: ChallengeName, username: string, outcome: 'Fail' | 'InProgress', detail: Record<string, string>) {
  const user = await h.app.users.find(request.pool, username);
  await auditPassword(h, request, { userId: user?.id, username: user?.username ?? username }, outcome, { factor: 'Mfa', step: answered, ...detail });
}

/**
 * The page of the next challenge, or the end of the sign-in. `answered`: the MFA page whose answer
 * led here (audited with factor Mfa, as its own step).
 */
export async function answerStep(h: Hosted, request: AuthorizeRequest, ctx: FlowContext, step: AuthStep, answered?: { challenge: ChallengeName; username: string }): Promise<unknown> {
  if (step.kind === 'proven') return signedIn(h, request, step.user, answered ? { factor: 'Mfa', step: answered.challenge } : {});
  if (answered && step.kind === 'challenge') await auditMfaStep(h, request, answered.challenge, answered.username, 'InProgress', { next: step.name });
  if (step.kind !== 'challenge' || !PAGES.has(step.name) || !step.session) throw new Error(`the hosted UI has no page for ${step.kind === 'challenge' ? step.name : step.kind}`);
  const p = step.parameters;
  const pending: Pending = { challenge: step.name, session: step.session, username: p.USER_ID_FOR_SRP ?? '' };
  if (step.name === 'SMS_MFA' || step.name === 'EMAIL_OTP') pending.destination = p.CODE_DELIVERY_DESTINATION;
  if (step.name === 'SELECT_MFA_TYPE') pending.options = JSON.parse(p.MFAS_CAN_CHOOSE ?? '[]') as string[];
  if (step.name === 'MFA_SETUP') {
    const canSetUp = (JSON.parse(p.MFAS_CAN_SETUP ?? '[]') as string[]).filter((f) => f === 'SOFTWARE_TOKEN_MFA' || f === 'EMAIL_OTP');
    if (canSetUp.length > 1) pending.options = canSetUp;
    else if (canSetUp[0] === 'EMAIL_OTP') return setUpEmail(h, request, ctx, pending);
    else if (canSetUp[0] === 'SOFTWARE_TOKEN_MFA') await startTotpSetup(h, ctx, pending);
    else return renderLogin(h, request, { error: { id: 'error.mfaUnavailable' }, status: 400 });
  }
  return showChallenge(h, request, pending);
}

/** AssociateSoftwareToken with the sign-in's Session: a new key, and the Session to verify it with. */
async function startTotpSetup(h: Hosted, ctx: FlowContext, pending: Pending): Promise<void> {
  const setup = await openSetupSession(h.app, pending.session, ctx.sourceIp);
  const secret = await associateSoftwareToken(h.app, setup.pool, setup.user);
  pending.session = resealSetupSession(setup, false);
  pending.options = undefined;
  pending.setup = h.app.sealer.sealJson(SETUP_PURPOSE, { secret, sub: setup.user.id, exp: setup.session.expiresAt } satisfies SetupSeal);
}

/** MFA_SETUP answered with the user's e-mail address: the state machine sends the first code. */
async function setUpEmail(h: Hosted, request: AuthorizeRequest, ctx: FlowContext, pending: Pending) {
  const user = await h.app.users.find(request.pool, pending.username);
  const responses = { ...baseResponses(request, pending.username), EMAIL: user?.attributes.email ?? '' };
  return answerStep(h, request, ctx, await respondToAuthChallenge(ctx, 'MFA_SETUP', responses, pending.session));
}

/** USERNAME, and SECRET_HASH over it for an app client with a secret. */
function baseResponses(request: AuthorizeRequest, username: string): Record<string, string> {
  const { client } = request;
  const responses: Record<string, string> = { USERNAME: username };
  if (client.secret) responses.SECRET_HASH = secretHashOf(client.secret, username, client.id);
  return responses;
}

/** POST /mfa: the answer to the challenge of the page. */
export function submitMfa(h: Hosted) {
  return withForm(h, async (request, f) => {
    const pending = pendingOf(f);
    if (!pending) return renderLogin(h, request, { error: { id: 'error.sessionExpired' }, status: 400 });
    const ctx = hostedContext(h, request);
    const responses = baseResponses(request, pending.username);
    const code = (f.get('code') ?? '').replace(/\s+/g, '');
    let session = pending.session;
    try {
      switch (pending.challenge) {
        case 'SMS_MFA':
          responses.SMS_MFA_CODE = code;
          break;
        case 'EMAIL_OTP':
          responses.EMAIL_OTP_CODE = code;
          break;
        case 'SOFTWARE_TOKEN_MFA':
          responses.SOFTWARE_TOKEN_MFA_CODE = code;
          break;
        case 'SELECT_MFA_TYPE': {
          const answer = f.get('answer') ?? '';
          if (!answer) return showChallenge(h, request, pending, { id: 'error.chooseOption' });
          responses.ANSWER = answer;
          break;
        }
        case 'MFA_SETUP': {
          if (!pending.setup) {
            // The choice between the app and e-mail.
            const answer = f.get('answer');
            if (answer === 'EMAIL_OTP') return await setUpEmail(h, request, ctx, pending);
            if (answer !== 'SOFTWARE_TOKEN_MFA') return showChallenge(h, request, pending, { id: 'error.chooseOption' });
            await startTotpSetup(h, ctx, pending);
            return showChallenge(h, request, pending);
          }
          // VerifySoftwareToken with the Session, then MFA_SETUP with the verified Session.
          const setup = await openSetupSession(h.app, session, ctx.sourceIp);
          await verifySoftwareToken(h.app, setup.pool, setup.user, code);
          session = resealSetupSession(setup, true);
          break;
        }
      }
      return await answerStep(h, request, ctx, await respondToAuthChallenge(ctx, pending.challenge, responses, session), { challenge: pending.challenge, username: pending.username });
    } catch (e) {
      if (!(e instanceof CognitoException)) throw e;
      await auditMfaStep(h, request, pending.challenge, pending.username, 'Fail', { reason: e.name });
      switch (e.name) {
        case 'CodeMismatchException':
        case 'EnableSoftwareTokenMFAException':
          return showChallenge(h, request, pending, { id: 'error.codeMismatch', detail: e.message });
        case 'InvalidParameterException':
          if (pending.challenge === 'SELECT_MFA_TYPE' || (pending.challenge === 'MFA_SETUP' && !pending.setup)) {
            return showChallenge(h, request, pending, { id: 'error.chooseOption', detail: e.message });
          }
          break;
        case 'NotAuthorizedException':
        case 'SoftwareTokenMFANotFoundException':
          return renderLogin(h, request, { error: { id: 'error.mfaEnded' }, status: 400 });
        case 'ExpiredCodeException':
          return renderLogin(h, request, { error: { id: 'error.codeExpired' }, status: 400 });
      }
      return renderLogin(h, request, { error: messageFor(e) ?? { id: 'error.internal' }, status: 400 });
    }
  });
}

function pendingOf(f: URLSearchParams): Pending | undefined {
  const challenge = f.get('challenge') as ChallengeName | null;
  const session = f.get('session');
  const username = f.get('username');
  if (!challenge || !PAGES.has(challenge) || !session || !username) return undefined;
  const options = f.get('options');
  return {
    challenge,
    session,
    username,
    destination: f.get('destination') ?? undefined,
    options: options ? options.split(',').filter(Boolean) : undefined,
    setup: f.get('setup') ?? undefined,
  };
}

function hiddenOf(p: Pending): Record<string, string> {
  const out: Record<string, string> = { challenge: p.challenge, session: p.session, username: p.username };
  if (p.destination) out.destination = p.destination;
  if (p.options) out.options = p.options.join(',');
  if (p.setup) out.setup = p.setup;
  return out;
}

async function showChallenge(h: Hosted, request: AuthorizeRequest, p: Pending, error?: { id: MessageId; detail?: string }) {
  const page: FormPage = { lang: h.lang, action: pageUrl(h, 'mfa'), csrf: csrfToken(h), error };
  const back = links(h.lang, [{ href: pageUrl(h, 'login'), id: 'link.backToSignIn' }]);
  const codeField = (label: MessageId) => field(page, { label, name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true });
  let title: MessageId = 'page.mfa.title';
  let body: string;
  switch (p.challenge) {
    case 'SMS_MFA':
    case 'EMAIL_OTP':
      body = `${heading(h.lang, title, p.challenge === 'SMS_MFA' ? 'page.mfa.sms' : 'page.mfa.email', { destination: p.destination ?? '' })}
${messages(page)}
${form(page, codeField('field.code'), 'action.signIn', hiddenOf(p))}
${back}`;
      break;
    case 'SOFTWARE_TOKEN_MFA':
      body = `${heading(h.lang, title, 'page.mfa.totp')}
${messages(page)}
${form(page, codeField('field.totpCode'), 'action.signIn', hiddenOf(p))}
${back}`;
      break;
    case 'SELECT_MFA_TYPE': {
      title = 'page.selectMfa.title';
      body = `${heading(h.lang, title)}
${messages(page)}
${form(page, choices(h, p.options ?? [], 'page.selectMfa.heading'), 'action.continue', hiddenOf(p))}
${back}`;
      break;
    }
    case 'MFA_SETUP': {
      if (!p.setup) {
        title = 'page.mfaSetupChoice.title';
        body = `${heading(h.lang, title)}
${messages(page)}
${form(page, choices(h, p.options ?? [], 'page.mfaSetupChoice.heading'), 'action.continue', hiddenOf(p))}
${back}`;
        break;
      }
      title = 'page.mfaSetup.title';
      const seal = p.setup ? h.app.sealer.openJson<SetupSeal>(SETUP_PURPOSE, p.setup) : undefined;
      if (!seal || h.app.clock.now() > seal.exp) return renderLogin(h, request, { error: { id: 'error.mfaEnded' }, status: 400 });
      const label = request.pool.name;
      const uri = `otpauth://totp/${encodeURIComponent(label)}:${encodeURIComponent(p.username)}?secret=${seal.secret}&issuer=${encodeURIComponent(label)}`;
      // The SVG is the library's drawing of the URI (paths only); no request text reaches it.
      const svg = (await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })).replace(
        '<svg ',
        `<svg class="qr" role="img" aria-label="${esc(t(h.lang, 'a11y.qr'))}" `,
      );
      const key = `<p class="label-customizable" id="secret-label">${esc(t(h.lang, 'field.secretKey'))}</p>\n<code class="secret" aria-labelledby="secret-label">${esc(seal.secret)}</code>`;
      body = `${heading(h.lang, title, 'page.mfaSetup.heading')}
${messages(page)}
${svg}
${key}
${form(page, codeField('field.totpCode'), 'action.verify', hiddenOf(p))}
${back}`;
      break;
    }
    default:
      throw new Error(`no page for ${p.challenge}`);
  }
  return showPage(h, { title, body, client: request.client, status: error ? 400 : 200, formTarget: request.redirectUri });
}

/** One radio button per factor, the first checked, under a legend. */
function choices(h: Hosted, options: string[], legend: MessageId): string {
  const radios = options
    .filter((o): o is 'SMS_MFA' | 'EMAIL_OTP' | 'SOFTWARE_TOKEN_MFA' => o === 'SMS_MFA' || o === 'EMAIL_OTP' || o === 'SOFTWARE_TOKEN_MFA')
    .map(
      (o, i) =>
        `<label class="choice label-customizable" for="c-${o}"><input type="radio" id="c-${o}" name="answer" value="${o}"${i === 0 ? ' checked autofocus' : ''}> ${esc(t(h.lang, `option.${o}`))}</label>`,
    )
    .join('\n');
  return `<fieldset class="choices"><legend class="textDescription-customizable">${esc(t(h.lang, legend))}</legend>\n${radios}\n</fieldset>`;
}
