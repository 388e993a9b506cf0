// What every hosted page handler does first, and how domain refusals become page messages.
//
// Each page (login, signup, confirm, forgotPassword, confirmForgotPassword, newPassword) is
// reached with the authorize parameters in its query string and checks them again (so a page can
// only ever finish the request that was allowed), then, for a POST, the CSRF token.
import { BLOCKED_MESSAGE } from '../../auth/risk.js';
import { PASSWORD_ATTEMPTS_EXCEEDED } from '../../auth/lockout.js';
import { TEMPORARY_PASSWORD_EXPIRED, USER_DISABLED } from '../../auth/user-status.js';
import type { FlowContext } from '../../auth/types.js';
import { CognitoException } from '../../errors.js';
import { model as idpModel } from '../../models/idp.js';
import { validateInput } from '../../models/validate.js';
import { answerCheckFailure, checkAuthorizeRequest, type AuthorizeRequest } from '../authorize.js';
import { CsrfError, checkCsrf, formOf, type Hosted } from '../http.js';
import type { MessageId } from './messages.js';
import { showError } from './render.js';

/** Runs `then` with the checked authorize request of the page's query (or answers the failure). */
export async function withAuthorize(h: Hosted, then: (request: AuthorizeRequest) => Promise<unknown>) {
  const check = await checkAuthorizeRequest(h.app, h.domain, h.query);
  if (!check.ok) return answerCheckFailure(h, check);
  return then(check.request);
}

/** As withAuthorize, for a form post: the CSRF token is checked first, and the form handed on. */
export async function withForm(h: Hosted, then: (request: AuthorizeRequest, form: URLSearchParams) => Promise<unknown>) {
  return withAuthorize(h, async (request) => {
    const form = formOf(h);
    try {
      checkCsrf(h, form);
    } catch (e) {
      if (e instanceof CsrfError) return showError(h, 'error.csrf', { client: request.client, status: 403 });
      throw e;
    }
    return then(request, form);
  });
}

/** `<base>/<page>?<the authorize parameters>` (plus `extra`). */
export function pageUrl(h: Hosted, page: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(h.query);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `${h.base}/${page}?${q.toString()}`;
}

export function flowContext(h: Hosted, request: AuthorizeRequest): FlowContext {
  return { app: h.app, pool: request.pool, client: request.client, admin: false, sourceIp: h.req.ip, userAgent: h.req.headers['user-agent'] };
}

/**
 * A hosted form's input to an operation, checked as the API checks that operation's request (the
 * username's pattern and length, the code's form...): a page takes nothing the API would refuse.
 * Throws the API's InvalidParameterException, which messageFor shows on the page.
 */
export function checkedAsApi<T extends object>(shape: string, input: T): T {
  validateInput(idpModel, shape, input);
  return input;
}

/** The page message for a refusal of the domain; undefined for anything that is not a CognitoException. */
export function messageFor(e: unknown): { id: MessageId; detail?: string } | undefined {
  if (!(e instanceof CognitoException)) return undefined;
  switch (e.name) {
    case 'NotAuthorizedException':
      if (e.message === PASSWORD_ATTEMPTS_EXCEEDED) return { id: 'error.attemptsExceeded' };
      if (e.message === USER_DISABLED) return { id: 'error.userDisabled' };
      if (e.message === TEMPORARY_PASSWORD_EXPIRED) return { id: 'error.temporaryPasswordExpired' };
      if (/SignUp is not permitted/.test(e.message)) return { id: 'error.signUpNotAllowed' };
      // ForgotPassword's refusals of who may reset: said as they are, not as a wrong password.
      if (/cannot be reset in the current state|recovery is done by an administrator/.test(e.message)) return { id: 'error.invalidParameter', detail: e.message };
      if (e.message === BLOCKED_MESSAGE) return { id: 'error.securityBlocked' };
      return { id: 'error.incorrectCredentials' };
    case 'UserNotFoundException':
      return { id: 'error.userNotFound' };
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return { id: 'error.tooManyRequests' };
    case 'InvalidPasswordException':
      return { id: 'error.invalidPassword', detail: e.message };
    case 'CodeMismatchException':
      return { id: 'error.codeMismatch' };
    case 'ExpiredCodeException':
      return { id: 'error.codeExpired' };
    case 'UsernameExistsException':
    case 'AliasExistsException':
      return { id: 'error.usernameExists' };
    default:
      return { id: 'error.invalidParameter', detail: e.message };
  }
}
