// The vocabulary of the sign-in state machine (see state-diagram.md): what every step knows about
// the request, and what a step ends in (tokens, or the next challenge with its Session).
import type { App } from '../app.js';
import type { AuthenticationResultType } from '../models/idp-types.js';
import type { AppClient, UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import type { GroupRow } from '../store/schema.js';

/** Everything a flow step needs about the request it serves. */
export interface FlowContext {
  app: App;
  pool: UserPool;
  client: AppClient;
  /** AdminInitiateAuth / AdminRespondToAuthChallenge (SigV4-signed, trusted). */
  admin: boolean;
  /** Where the failure counters of this request go (the end user's address). */
  sourceIp: string;
  /** The request's User-Agent (session tracking's DeviceType). */
  userAgent?: string;
  /** Accepted and carried for the triggers (issue: Lambda triggers); not stored. */
  clientMetadata?: Record<string, string>;
  /**
   * InitiateAuth's ClientMetadata, which Cognito gives only to PreAuthentication and UserMigration
   * (as validationData); flows.ts moves it here from clientMetadata.
   */
  validationData?: Record<string, string>;
  /** PreTokenGeneration's triggerSource when the step knows better than TokenGeneration_Authentication. */
  tokenSource?: string;
  /**
   * A sign-in of the hosted UI (src/oauth/ui/mfa.ts): it ends in `proven` instead of tokens (the
   * authorization code brings those later), and tracks no device.
   */
  hosted?: boolean;
  /**
   * The groups of the user this step signs in, when the step read them along with the user
   * (users.findForSignIn): token issue then needs no read of its own.
   */
  groupsOf?: { userId: string; groups: GroupRow[] };
}

/** Challenges this version answers; the others are refused by name in flows.ts. */
export type ChallengeName =
  | 'PASSWORD_VERIFIER'
  | 'NEW_PASSWORD_REQUIRED'
  | 'SMS_MFA'
  | 'SOFTWARE_TOKEN_MFA'
  | 'EMAIL_OTP'
  | 'SELECT_MFA_TYPE'
  | 'MFA_SETUP'
  | 'DEVICE_SRP_AUTH'
  | 'DEVICE_PASSWORD_VERIFIER'
  | 'SELECT_CHALLENGE'
  | 'SMS_OTP'
  | 'WEB_AUTHN'
  | 'CUSTOM_CHALLENGE';

/** Where a step ends: the tokens (for a hosted sign-in: the proven user), or the next challenge. */
export type AuthStep =
  | { kind: 'tokens'; result: AuthenticationResultType }
  | { kind: 'proven'; user: User }
  | { kind: 'challenge'; name: ChallengeName; parameters: Record<string, string>; session?: string; available?: AvailableChallenge[] };

/** USER_AUTH's first factors, as SELECT_CHALLENGE offers them (AvailableChallenges). */
export type AvailableChallenge = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/** The wire shape shared by the four operations' replies. */
export interface AuthReply {
  ChallengeName?: ChallengeName;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: AuthenticationResultType;
  /** SELECT_CHALLENGE of InitiateAuth (USER_AUTH). */
  AvailableChallenges?: AvailableChallenge[];
}

export function toReply(step: AuthStep): AuthReply {
  if (step.kind === 'tokens') return { ChallengeParameters: {}, AuthenticationResult: step.result };
  if (step.kind === 'proven') throw new Error('a hosted sign-in step reached an API reply');
  const reply: AuthReply = { ChallengeName: step.name, Session: step.session, ChallengeParameters: step.parameters };
  if (step.available) reply.AvailableChallenges = step.available;
  return reply;
}
