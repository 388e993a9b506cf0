// Identifiers in the forms the clients parse (api-surface.md §1.5).
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `us-east-1_AbC123xyz`: region, underscore, 9 alphanumerics (client libraries split on `_`). */
export const newUserPoolId = (region: string): string => `${region}_${randomString(9)}`;
/** App client ids are 26 lowercase alphanumerics, like Cognito's. */
export const newClientId = (): string => randomString(26, LOWER_ALNUM);
/** Client secrets: 51 characters of base36, like Cognito's. */
export const newClientSecret = (): string => randomString(51, LOWER_ALNUM);
export const newUuid = (): string => randomUUID();
export const newRequestId = (): string => randomUUID();
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export function userPoolArn(region: string, accountId: string, poolId: string): string {
  return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;
}
