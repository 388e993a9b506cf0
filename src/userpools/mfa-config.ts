// A pool's MFA configuration (SetUserPoolMfaConfig / GetUserPoolMfaConfig) and what sign-in reads
// from it: the mode (OFF / ON / OPTIONAL) and which factors the pool offers.
//
// Where it lives: in the pool's settings document, so sign-in reads it from the pool cache for free.
// MfaConfiguration, SmsAuthenticationMessage and SmsConfiguration are UserPoolType members
// (DescribeUserPool shows them, UpdateUserPool sets them). The members UserPoolType lacks are kept
// under GetUserPoolMfaConfig's own names, which DescribeUserPool leaves out and UpdateUserPool
// carries over (MFA_ONLY_MEMBERS):
//   SmsMfaConfiguration            {} when SMS MFA is on (its content is read from the two members above)
//   SoftwareTokenMfaConfiguration  { Enabled }
//   EmailMfaConfiguration          { Message?, Subject? } when e-mail MFA is on
//   WebAuthnConfiguration          { RelyingPartyId?, UserVerification, FactorConfiguration? }
//
// SetUserPoolMfaConfig, in order:
//   the factors given replace the pool's SMS / TOTP / e-mail factors (one omitted is off), unless
//   the request names none of them nor MfaConfiguration (then they stay as they are);
//   WebAuthnConfiguration is set independently of MFA (omitted: unchanged);
//   MfaConfiguration omitted keeps the current mode;
//   ON / OPTIONAL with no factor on                        InvalidParameterException
//   e-mail MFA on a LITE pool                              FeatureUnavailableInTierException
//   a message without {####}, UserVerification not required/preferred  InvalidParameterException
//   ON while the sign-in policy allows EMAIL_OTP or SMS_OTP first   InvalidParameterException
//     (checkFirstFactorsWithMfa, also run by CreateUserPool and UpdateUserPool: a one-time code
//     would sign a user in with no second factor in a pool that requires one)
// A pool that never went through SetUserPoolMfaConfig but has MFA ON or OPTIONAL (CreateUserPool /
// UpdateUserPool) offers SMS, as Cognito's pools did before TOTP existed.
import { FeatureUnavailableInTierException, InvalidParameterException } from '../errors.js';
import type {
  EmailMfaConfigType,
  GetUserPoolMfaConfigResponse,
  SetUserPoolMfaConfigRequest,
  SoftwareTokenMfaConfigType,
  WebAuthnConfigurationType,
} from '../models/idp-types.js';
import type { PoolSettings, UserPool } from './pools.js';

export type MfaMode = 'OFF' | 'ON' | 'OPTIONAL';
export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';

/** The settings members that only SetUserPoolMfaConfig writes. */
export interface MfaOnlySettings {
  SmsMfaConfiguration?: Record<string, never>;
  SoftwareTokenMfaConfiguration?: SoftwareTokenMfaConfigType;
  EmailMfaConfiguration?: EmailMfaConfigType;
  WebAuthnConfiguration?: WebAuthnConfigurationType;
}

export const MFA_ONLY_MEMBERS = ['SmsMfaConfiguration', 'SoftwareTokenMfaConfiguration', 'EmailMfaConfiguration', 'WebAuthnConfiguration'] as const;

const CODE = '{####}';

export function mfaMode(pool: UserPool): MfaMode {
  return (pool.settings.MfaConfiguration as MfaMode | undefined) ?? 'OFF';
}

/** The second factors the pool offers, whatever its mode. */
export function poolFactors(pool: UserPool): Set<MfaFactor> {
  const s = pool.settings;
  const configured = s.SmsMfaConfiguration || s.SoftwareTokenMfaConfiguration || s.EmailMfaConfiguration;
  const out = new Set<MfaFactor>();
  if (s.SmsMfaConfiguration || (!configured && mfaMode(pool) !== 'OFF')) out.add('SMS_MFA');
  if (s.SoftwareTokenMfaConfiguration?.Enabled) out.add('SOFTWARE_TOKEN_MFA');
  if (s.EmailMfaConfiguration) out.add('EMAIL_OTP');
  return out;
}

/** The pool's WebAuthn settings with Cognito's default user verification ('preferred'). */
export function webAuthnConfig(pool: UserPool): WebAuthnConfigurationType & { UserVerification: 'required' | 'preferred' } {
  const c = pool.settings.WebAuthnConfiguration ?? {};
  return { ...c, UserVerification: c.UserVerification ?? 'preferred' };
}

/** GetUserPoolMfaConfig / SetUserPoolMfaConfig's reply. */
export function mfaConfigOf(pool: UserPool): GetUserPoolMfaConfigResponse {
  const s = pool.settings;
  const factors = poolFactors(pool);
  const sms = factors.has('SMS_MFA')
    ? {
        SmsMfaConfiguration: {
          ...(s.SmsAuthenticationMessage ? { SmsAuthenticationMessage: s.SmsAuthenticationMessage } : {}),
          ...(s.SmsConfiguration ? { SmsConfiguration: s.SmsConfiguration } : {}),
        },
      }
    : {};
  return {
    ...sms,
    SoftwareTokenMfaConfiguration: { Enabled: factors.has('SOFTWARE_TOKEN_MFA') },
    ...(s.EmailMfaConfiguration ? { EmailMfaConfiguration: s.EmailMfaConfiguration } : {}),
    MfaConfiguration: mfaMode(pool),
    WebAuthnConfiguration: webAuthnConfig(pool),
  };
}

/** The settings after SetUserPoolMfaConfig (rules in the file comment). */
export function applyMfaConfig(current: PoolSettings, input: SetUserPoolMfaConfigRequest): PoolSettings {
  const next: PoolSettings = { ...current };
  const touchesMfa =
    input.SmsMfaConfiguration !== undefined ||
    input.SoftwareTokenMfaConfiguration !== undefined ||
    input.EmailMfaConfiguration !== undefined ||
    input.MfaConfiguration !== undefined;
  if (touchesMfa) {
    const sms = input.SmsMfaConfiguration;
    if (sms?.SmsAuthenticationMessage !== undefined && !sms.SmsAuthenticationMessage.includes(CODE)) {
      throw new InvalidParameterException(`SmsAuthenticationMessage must contain the placeholder ${CODE}.`);
    }
    const email = input.EmailMfaConfiguration;
    if (email?.Message !== undefined && !email.Message.includes(CODE)) {
      throw new InvalidParameterException(`EmailMfaConfiguration.Message must contain the placeholder ${CODE}.`);
    }
    if (email && (current.UserPoolTier ?? 'ESSENTIALS') === 'LITE') {
      throw new FeatureUnavailableInTierException('E-mail MFA needs the Essentials or Plus feature plan.');
    }
    next.SmsMfaConfiguration = sms ? {} : undefined;
    if (sms?.SmsAuthenticationMessage !== undefined) next.SmsAuthenticationMessage = sms.SmsAuthenticationMessage;
    if (sms?.SmsConfiguration !== undefined) next.SmsConfiguration = sms.SmsConfiguration;
    next.SoftwareTokenMfaConfiguration = { Enabled: input.SoftwareTokenMfaConfiguration?.Enabled ?? false };
    next.EmailMfaConfiguration = email ? { ...email } : undefined;
    next.MfaConfiguration = input.MfaConfiguration ?? current.MfaConfiguration ?? 'OFF';
    if (next.MfaConfiguration !== 'OFF' && !sms && !next.SoftwareTokenMfaConfiguration.Enabled && !email) {
      throw new InvalidParameterException(`MfaConfiguration ${next.MfaConfiguration} needs at least one of SMS, software token or e-mail MFA turned on.`);
    }
  }
  if (input.WebAuthnConfiguration !== undefined) next.WebAuthnConfiguration = checkWebAuthn(input.WebAuthnConfiguration);
  checkFirstFactorsWithMfa(next);
  return next;
}

/** The first factors that are one-time codes: they end a sign-in without a second factor. */
export const CODE_FIRST_FACTORS: ReadonlySet<string> = new Set(['EMAIL_OTP', 'SMS_OTP']);

/**
 * A pool that requires MFA allows only PASSWORD and WEB_AUTHN as first factors (Cognito refuses
 * the combination with this message, whichever of the two settings comes second).
 */
export function checkFirstFactorsWithMfa(settings: Pick<PoolSettings, 'MfaConfiguration' | 'Policies'>): void {
  if (settings.MfaConfiguration !== 'ON') return;
  const factors = (settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? []) as unknown as string[];
  if (factors.some((f) => CODE_FIRST_FACTORS.has(f))) {
    throw new InvalidParameterException('Only PASSWORD and WEB_AUTHN (if configured) can be enabled as an auth factor if MFA is enabled');
  }
}

function checkWebAuthn(c: WebAuthnConfigurationType): WebAuthnConfigurationType {
  const uv = c.UserVerification ?? 'preferred';
  if (uv !== 'required' && uv !== 'preferred') throw new InvalidParameterException('UserVerification must be required or preferred.');
  if (c.RelyingPartyId !== undefined && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(c.RelyingPartyId)) {
    throw new InvalidParameterException('RelyingPartyId must be a domain name.');
  }
  return { ...c, UserVerification: uv };
}
