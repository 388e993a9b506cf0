// InboundFederation_ExternalProvider: on every federated sign-in (a new user's and a returning
// one's), once the provider's answer is checked and before the user is created or updated. The
// function sees what the provider said and may decide the user's attributes instead of the
// provider's AttributeMapping.
//   request   providerName, providerType (OIDC, SAML, Google, Facebook, LoginWithAmazon,
//             SignInWithApple), attributes: { tokenResponse (the token endpoint's answer: OIDC and
//             social), idToken (its verified claims), userInfo (the userinfo or profile answer),
//             samlResponse (the assertion's attributes) }, each a map of strings and present only
//             when the sign-in had it (OIDC: userinfo is asked whenever the pool has this trigger)
//   response  userAttributesToMap: the federated user's attributes from this sign-in, instead of
//             the mapped ones. As AWS documents it, the set is whole: on a returning sign-in a
//             mutable attribute left out is removed (not identities, a required or immutable one,
//             or the sign-in username); "" leaves one out. {} or none keeps the mapping. A linked
//             (native) user's attributes are written by neither (federated-user.ts).
// A throw stops the sign-in (UserLambdaValidationException, invalid_request on the app's
// redirect URI); a response that is not a map of strings, or holds a value an administrator's
// write could not store, is InvalidLambdaResponseException.
import type { UserPool } from '../userpools/pools.js';
import { envelope, optStringMap, responseOf } from './event.js';
import type { TriggerRunner } from './invoke.js';

/** What the provider answered, as the function is shown it. */
export interface IdpAnswer {
  tokenResponse?: Record<string, unknown>;
  idToken?: Record<string, unknown>;
  userInfo?: Record<string, unknown>;
  samlResponse?: Record<string, unknown>;
}

export interface InboundFederationInput {
  pool: UserPool;
  clientId: string;
  /** The user the identity signs in as: `<ProviderName>_<id>`, or the linked user's name. */
  userName: string;
  providerName: string;
  providerType: string;
  answer: IdpAnswer;
}

/** A map of strings: strings as they are, anything else as JSON (arrays, numbers, booleans). */
function stringMap(o: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** The attributes the function decided, or undefined to keep the mapped ones. */
export async function runInboundFederation(runner: TriggerRunner, a: InboundFederationInput): Promise<Record<string, string> | undefined> {
  if (!runner.has(a.pool, 'InboundFederation')) return undefined;
  const attributes: Record<string, Record<string, string>> = {};
  for (const key of ['tokenResponse', 'idToken', 'userInfo', 'samlResponse'] as const) {
    const part = a.answer[key];
    if (part) attributes[key] = stringMap(part);
  }
  const event = envelope({
    pool: a.pool,
    triggerSource: 'InboundFederation_ExternalProvider',
    userName: a.userName,
    clientId: a.clientId,
    request: { providerName: a.providerName, providerType: a.providerType, attributes },
    response: { userAttributesToMap: {} },
  });
  const r = responseOf(await runner.invoke(a.pool, 'InboundFederation', event));
  const map = optStringMap(r.userAttributesToMap);
  return map && Object.keys(map).length > 0 ? map : undefined;
}
