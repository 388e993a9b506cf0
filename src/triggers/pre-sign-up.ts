// PreSignUp: PreSignUp_SignUp (SignUp), PreSignUp_AdminCreateUser (AdminCreateUser) and
// PreSignUp_ExternalProvider (a first federated sign-in, src/federation), invoked after the
// request's own checks and before anything is written, so a refusal leaves no user.
//   request   userAttributes (as given; no sub yet), validationData (SignUp ValidationData as a
//             map), clientMetadata
//   response  autoConfirmUser, autoVerifyEmail, autoVerifyPhone (booleans, default false)
// Effects (applyPreSignUp): autoConfirmUser makes a SignUp user CONFIRMED with no code sent
// (AdminCreateUser users still start in FORCE_CHANGE_PASSWORD, federated ones in
// EXTERNAL_PROVIDER); autoVerify* sets the *_verified flag, which needs the attribute
// (InvalidParameterException otherwise).
import { InvalidParameterException } from '../errors.js';
import type { UserPool } from '../userpools/pools.js';
import type { User } from '../userpools/user.js';
import { envelope, optBool, responseOf } from './event.js';
import type { TriggerRunner } from './invoke.js';

export interface PreSignUpInput {
  pool: UserPool;
  source: 'SignUp' | 'AdminCreateUser' | 'ExternalProvider';
  /** The user about to be stored. */
  user: User;
  clientId?: string;
  validationData?: Record<string, string>;
  clientMetadata?: Record<string, string>;
}

export interface PreSignUpDecision {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

const NOTHING: PreSignUpDecision = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

export async function runPreSignUp(runner: TriggerRunner, a: PreSignUpInput): Promise<PreSignUpDecision> {
  if (!runner.has(a.pool, 'PreSignUp')) return NOTHING;
  const event = envelope({
    pool: a.pool,
    triggerSource: `PreSignUp_${a.source}`,
    userName: a.user.username,
    clientId: a.clientId,
    // validationData is null, not absent, when the request had none (as Cognito sends it).
    request: { userAttributes: { ...a.user.attributes }, validationData: a.validationData ?? null, clientMetadata: a.clientMetadata },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  const r = responseOf(await runner.invoke(a.pool, 'PreSignUp', event));
  return {
    autoConfirmUser: optBool(r.autoConfirmUser) ?? false,
    autoVerifyEmail: optBool(r.autoVerifyEmail) ?? false,
    autoVerifyPhone: optBool(r.autoVerifyPhone) ?? false,
  };
}

/** Applies the decision to the user not yet stored. Returns whether the user is now confirmed. */
export function applyPreSignUp(user: User, d: PreSignUpDecision, source: PreSignUpInput['source']): boolean {
  const verify = (flag: boolean, attribute: 'email' | 'phone_number', member: string) => {
    if (!flag) return;
    if (!user.attributes[attribute]) throw new InvalidParameterException(`${member} was set by PreSignUp but the user has no ${attribute}.`);
    user.attributes[`${attribute}_verified`] = 'true';
  };
  verify(d.autoVerifyEmail, 'email', 'autoVerifyEmail');
  verify(d.autoVerifyPhone, 'phone_number', 'autoVerifyPhone');
  if (source === 'SignUp' && d.autoConfirmUser) {
    user.status = 'CONFIRMED';
    return true;
  }
  return false;
}
