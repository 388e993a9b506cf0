// Where a code goes, by purpose, following Cognito's choices:
// - sign-up codes go to an auto-verified attribute the user has: e-mail first, else phone;
// - password reset codes go to a *verified* contact, in the order of the pool's
//   AccountRecoverySetting (without one, Cognito's older rule: verified phone, then e-mail);
//   `admin_only` recovery sends nothing;
// - attribute verification codes go to the attribute's current value.
import type { CodeDeliveryDetailsType } from '../models/idp-types.js';
import { maskDestination, type DeliveryMedium } from '../messaging/messages.js';
import { autoVerifiedAttributes } from './attributes.js';
import type { CodePurpose } from './codes.js';
import type { UserPool } from './pools.js';
import type { User } from './user.js';

export type ContactAttribute = 'email' | 'phone_number';

export interface Destination {
  attribute: ContactAttribute;
  medium: DeliveryMedium;
  /** The address or number, in clear (masked only in CodeDeliveryDetails). */
  to: string;
}

export const mediumOf = (attribute: ContactAttribute): DeliveryMedium => (attribute === 'email' ? 'EMAIL' : 'SMS');

function destinationOf(user: User, attribute: ContactAttribute, verifiedOnly: boolean): Destination | undefined {
  const to = user.attributes[attribute];
  if (!to) return undefined;
  if (verifiedOnly && user.attributes[`${attribute}_verified`] !== 'true') return undefined;
  return { attribute, medium: mediumOf(attribute), to };
}

/** Sign-up (and resend) codes: the first auto-verified attribute the user has, e-mail first. */
export function signUpDestination(pool: UserPool, user: User): Destination | undefined {
  const auto = new Set<string>(autoVerifiedAttributes(pool));
  for (const attribute of ['email', 'phone_number'] as const) {
    if (auto.has(attribute)) {
      const d = destinationOf(user, attribute, false);
      if (d) return d;
    }
  }
  return undefined;
}

/** Password reset codes: a verified contact, in the pool's recovery order. */
export function recoveryDestination(pool: UserPool, user: User): Destination | undefined {
  const mechanisms = pool.settings.AccountRecoverySetting?.RecoveryMechanisms;
  const order: string[] = mechanisms?.length
    ? [...mechanisms].sort((a, b) => a.Priority - b.Priority).map((m) => m.Name)
    : ['verified_phone_number', 'verified_email'];
  for (const name of order) {
    if (name === 'admin_only') return undefined;
    const d = destinationOf(user, name === 'verified_email' ? 'email' : 'phone_number', true);
    if (d) return d;
  }
  return undefined;
}

/** Where a code for `purpose` goes, or undefined when the user has no such destination. */
export function destinationFor(pool: UserPool, user: User, purpose: CodePurpose): Destination | undefined {
  if (purpose === 'signup') return signUpDestination(pool, user);
  if (purpose === 'reset') return recoveryDestination(pool, user);
  return destinationOf(user, purpose === 'verify:email' ? 'email' : 'phone_number', false);
}

/** CodeDeliveryDetails as the API returns them (destination masked). */
export function deliveryDetails(d: Destination): CodeDeliveryDetailsType {
  return { Destination: maskDestination(d.medium, d.to), DeliveryMedium: d.medium, AttributeName: d.attribute };
}
