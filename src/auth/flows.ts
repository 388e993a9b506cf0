// The sign-in state machine's entry points (drawn in state-diagram.md): a table from AuthFlow to
// the step that starts it, a table from ChallengeName to the step that answers it, and the
// pipeline both run through. Each operation (InitiateAuth, AdminInitiateAuth,
// RespondToAuthChallenge, AdminRespondToAuthChallenge) only builds the FlowContext and shapes
// the reply.
//
// InitiateAuth pipeline:
//   1. the flow exists and is implemented      UnsupportedOperationException naming it
//   2. it fits the operation (admin or public)  InvalidParameterException "Initiate Auth method not supported."
//   3. the client allows it                     InvalidParameterException "<FLOW> flow not enabled for this client"
//   4. SECRET_HASH sent if the client has one   NotAuthorizedException
//   5. DEVICE_KEY                               ResourceNotFoundException "Device does not exist."
//   6. the flow's own steps                     (srp.ts, password.ts, refresh.ts, user-auth.ts; then mfa.ts, devices.ts)
//   7. hide user existence (remap step)         UserNotFound -> NotAuthorized when ENABLED
// RespondToAuthChallenge runs 1 (by ChallengeName), 4, 5, the challenge's step and 7.
import { InvalidParameterException, UnsupportedOperationException } from '../errors.js';
import { refuseUnknownDevice } from './device-key.js';
import { answerDevicePasswordVerifier, answerDeviceSrpAuth } from './device-srp.js';
import { requireFlowEnabled, type AllowFlow } from './explicit-flows.js';
import { answerEmailOtp, answerSelectMfaType, answerSmsMfa, answerSoftwareToken } from './mfa.js';
import { answerMfaSetup } from './mfa-setup.js';
import { answerNewPassword } from './new-password.js';
import { startPasswordAuth } from './password.js';
import { startRefresh } from './refresh.js';
import { requireSecretHash } from './secret-hash.js';
import { answerPasswordVerifier, startSrp } from './srp.js';
import { answerSelectChallenge, answerSmsOtp, startUserAuth } from './user-auth.js';
import { answerWebAuthn } from './webauthn.js';
import { hideUserExistence } from './user-existence.js';
import type { AuthStep, FlowContext } from './types.js';

type Params = Record<string, string>;

interface InitiateFlow {
  /** The ExplicitAuthFlows value that enables it. */
  allow: AllowFlow;
  /** Only through AdminInitiateAuth (true) / only through InitiateAuth (false) / both (undefined). */
  admin?: boolean;
  start(ctx: FlowContext, params: Params): Promise<AuthStep>;
}

export const initiateFlows: Record<string, InitiateFlow> = {
  USER_SRP_AUTH: { allow: 'ALLOW_USER_SRP_AUTH', start: startSrp },
  USER_PASSWORD_AUTH: { allow: 'ALLOW_USER_PASSWORD_AUTH', admin: false, start: startPasswordAuth },
  ADMIN_USER_PASSWORD_AUTH: { allow: 'ALLOW_ADMIN_USER_PASSWORD_AUTH', admin: true, start: startPasswordAuth },
  ADMIN_NO_SRP_AUTH: { allow: 'ALLOW_ADMIN_USER_PASSWORD_AUTH', admin: true, start: startPasswordAuth },
  REFRESH_TOKEN_AUTH: { allow: 'ALLOW_REFRESH_TOKEN_AUTH', start: startRefresh },
  REFRESH_TOKEN: { allow: 'ALLOW_REFRESH_TOKEN_AUTH', start: (ctx, params) => startRefresh(ctx, params, 'REFRESH_TOKEN') },
  USER_AUTH: { allow: 'ALLOW_USER_AUTH', start: startUserAuth },
  // The custom challenge loop of the Lambda triggers (src/triggers/custom-auth.ts).
  CUSTOM_AUTH: { allow: 'ALLOW_CUSTOM_AUTH', start: (ctx, params) => ctx.app.triggers.startCustomAuth(ctx, params) },
};

/** Flows of the model that later issues bring, refused by name until then. */
const NOT_YET: Record<string, string> = {
};

type Answer = (ctx: FlowContext, responses: Params, session?: string) => Promise<AuthStep>;

export const challengeAnswers: Record<string, Answer> = {
  PASSWORD_VERIFIER: answerPasswordVerifier,
  NEW_PASSWORD_REQUIRED: answerNewPassword,
  SMS_MFA: answerSmsMfa,
  SOFTWARE_TOKEN_MFA: answerSoftwareToken,
  EMAIL_OTP: answerEmailOtp,
  SELECT_MFA_TYPE: answerSelectMfaType,
  MFA_SETUP: answerMfaSetup,
  DEVICE_SRP_AUTH: answerDeviceSrpAuth,
  DEVICE_PASSWORD_VERIFIER: answerDevicePasswordVerifier,
  SELECT_CHALLENGE: answerSelectChallenge,
  SMS_OTP: answerSmsOtp,
  WEB_AUTHN: answerWebAuthn,
  CUSTOM_CHALLENGE: (ctx, responses, session) => ctx.app.triggers.answerCustomChallenge(ctx, responses, session),
};

/** InitiateAuth / AdminInitiateAuth. */
export async function initiateAuth(ctx: FlowContext, authFlow: string, params: Params = {}): Promise<AuthStep> {
  ctx = { ...ctx, validationData: ctx.clientMetadata, clientMetadata: undefined };
  try {
    const flow = initiateFlows[authFlow];
    if (!flow) throw new UnsupportedOperationException(NOT_YET[authFlow] ?? `Unsupported AuthFlow ${authFlow}.`);
    if (flow.admin !== undefined && flow.admin !== ctx.admin) throw new InvalidParameterException('Initiate Auth method not supported.');
    requireFlowEnabled(ctx.client, authFlow, flow.allow);
    requireSecretHash(ctx.client, params.SECRET_HASH);
    await refuseBlockedAddress(ctx, authFlow);
    await refuseUnknownDevice(ctx, params, authFlow);
    return await flow.start(ctx, params);
  } catch (e) {
    throw hideUserExistence(ctx.client, e);
  }
}

/** RespondToAuthChallenge / AdminRespondToAuthChallenge. */
export async function respondToAuthChallenge(ctx: FlowContext, challengeName: string, responses: Params = {}, session?: string): Promise<AuthStep> {
  try {
    const answer = challengeAnswers[challengeName];
    if (!answer) throw new InvalidParameterException(`Tessera does not support the challenge ${challengeName} yet.`);
    requireSecretHash(ctx.client, responses.SECRET_HASH);
    await refuseUnknownDevice(ctx, responses);
    return await answer(ctx, responses, session);
  } catch (e) {
    throw hideUserExistence(ctx.client, e);
  }
}

/** Threat protection's IP-range exceptions (src/auth/risk.ts), for every flow but refresh. */
export async function refuseBlockedAddress(ctx: FlowContext, authFlow: string): Promise<void> {
  if (authFlow === 'REFRESH_TOKEN_AUTH' || authFlow === 'REFRESH_TOKEN') return;
  if ((await ctx.app.risk.check(ctx)) === 'audit-blocked') {
    ctx.app.log.warn({ poolId: ctx.pool.id, clientId: ctx.client.id, sourceIp: ctx.sourceIp }, 'threat protection (audit only): a sign-in from a blocked address range');
  }
}
