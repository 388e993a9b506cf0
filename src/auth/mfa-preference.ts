// SetUserMFAPreference / AdminSetUserMFAPreference: which second factors a user has on, and which
// one is preferred (asked for without SELECT_MFA_TYPE). Each settings member given changes its
// factor; members left out leave theirs alone. In order:
//   more than one PreferredMfa true                          InvalidParameterException
//   PreferredMfa true with Enabled false                     InvalidParameterException
//   SMS on without a phone_number / e-mail on without email  InvalidParameterException "User does not have delivery config set to turn on <factor>"
//   software token on before VerifySoftwareToken             InvalidParameterException "User has not verified software token mfa"
//   Enabled false takes the preference away if it was this factor's; PreferredMfa false likewise.
// WebAuthnMfaSettings (passkeys as a second factor) is kept as a flag and shown, not yet asked for.
import type { App } from '../app.js';
import { InvalidParameterException } from '../errors.js';
import type { SetUserMFAPreferenceRequest } from '../models/idp-types.js';
import type { MfaFactor } from '../userpools/mfa-config.js';
import type { UserPool } from '../userpools/pools.js';
import type { User, UserMfa } from '../userpools/user.js';

type Settings = { Enabled?: boolean; PreferredMfa?: boolean } | undefined;
export type MfaPreferenceInput = Pick<SetUserMFAPreferenceRequest, 'SMSMfaSettings' | 'SoftwareTokenMfaSettings' | 'EmailMfaSettings' | 'WebAuthnMfaSettings'>;

const FLAG: Record<MfaFactor, 'smsEnabled' | 'totpEnabled' | 'emailEnabled'> = {
  SMS_MFA: 'smsEnabled',
  SOFTWARE_TOKEN_MFA: 'totpEnabled',
  EMAIL_OTP: 'emailEnabled',
};

/** The user's MFA settings after the request (rules above); not saved. */
export function applyMfaPreference(user: User, input: MfaPreferenceInput): UserMfa {
  const given: [MfaFactor, Settings][] = [
    ['SMS_MFA', input.SMSMfaSettings],
    ['SOFTWARE_TOKEN_MFA', input.SoftwareTokenMfaSettings],
    ['EMAIL_OTP', input.EmailMfaSettings],
  ];
  if (given.filter(([, s]) => s?.PreferredMfa === true).length > 1) {
    throw new InvalidParameterException('Only one MFA method can be preferred.');
  }
  const mfa: UserMfa = { ...user.mfa };
  for (const [factor, s] of given) {
    if (!s) continue;
    if (s.PreferredMfa === true && s.Enabled === false) throw new InvalidParameterException(`${factor} cannot be preferred while it is disabled.`);
    const enable = s.Enabled ?? (s.PreferredMfa === true ? true : undefined);
    if (enable === true) {
      checkCanEnable(user, factor);
      mfa[FLAG[factor]] = true;
    } else if (enable === false) {
      delete mfa[FLAG[factor]];
      if (mfa.preferred === factor) delete mfa.preferred;
    }
    if (s.PreferredMfa === true) mfa.preferred = factor;
    else if (s.PreferredMfa === false && mfa.preferred === factor) delete mfa.preferred;
  }
  if (input.WebAuthnMfaSettings?.Enabled !== undefined) mfa.webAuthnMfaEnabled = input.WebAuthnMfaSettings.Enabled;
  return mfa;
}

function checkCanEnable(user: User, factor: MfaFactor): void {
  if (factor === 'SMS_MFA' && !user.attributes.phone_number) {
    throw new InvalidParameterException('User does not have delivery config set to turn on SMS_MFA');
  }
  if (factor === 'EMAIL_OTP' && !user.attributes.email) {
    throw new InvalidParameterException('User does not have delivery config set to turn on EMAIL_OTP');
  }
  if (factor === 'SOFTWARE_TOKEN_MFA' && !user.mfa.totpSecret) {
    throw new InvalidParameterException('User has not verified software token mfa');
  }
}

/** Applies and saves the preference. */
export async function setMfaPreference(app: App, pool: UserPool, user: User, input: MfaPreferenceInput): Promise<void> {
  // Applied to the user as it stands when written (users.modify), not to the copy read earlier.
  const saved = await app.users.modify(pool, user.id, (u) => {
    u.mfa = applyMfaPreference(u, input);
    u.updatedAt = app.clock.now();
  });
  Object.assign(user, saved);
}

/**
 * SetUserSettings / AdminSetUserSettings, the legacy setter from before SetUserMFAPreference:
 * MFAOptions lists at most SMS to phone_number; an empty list turns SMS MFA off. Only SMS was
 * ever an option there (InvalidParameterException otherwise).
 */
export async function setLegacyMfaOptions(app: App, pool: UserPool, user: User, options: { DeliveryMedium?: string; AttributeName?: string }[]): Promise<void> {
  for (const o of options) {
    if (o.DeliveryMedium !== 'SMS' || (o.AttributeName ?? 'phone_number') !== 'phone_number') {
      throw new InvalidParameterException('MFAOptions can only name SMS to phone_number.');
    }
  }
  await setMfaPreference(app, pool, user, { SMSMfaSettings: { Enabled: options.length > 0 } });
}
