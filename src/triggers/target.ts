// Where a pool's trigger goes: its LambdaConfig names, per trigger, either a Lambda function
// (an ARN, passed to the Lambda Invoke API unchanged) or, Tessera's addition, a webhook URL
// (https, or http to localhost) that receives the same event JSON (invoke-webhook.ts).
//
// Rules checked when a pool is created or updated (checkLambdaConfig):
// - a URL is https, or http only for localhost / 127.0.0.1 / [::1];
// - PreTokenGeneration and PreTokenGenerationConfig.LambdaArn, when both are set, are the same;
// - custom senders need KMSKeyID (Cognito's rule; the codes are encrypted under it, sender-code.ts).
// The model's ArnType pattern refuses URLs before this check runs; src/models/validate.ts lets
// http(s) URLs through for LambdaConfig members only (its WEBHOOK_URL exception).
import { InvalidParameterException } from '../errors.js';
import type { LambdaConfigType } from '../models/idp-types.js';
import type { UserPool } from '../userpools/pools.js';

/** The trigger names of LambdaConfig, as Cognito's error messages name them. */
export type TriggerName =
  | 'PreSignUp'
  | 'CustomMessage'
  | 'PostConfirmation'
  | 'PreAuthentication'
  | 'PostAuthentication'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'PreTokenGeneration'
  | 'UserMigration'
  | 'CustomEmailSender'
  | 'CustomSMSSender'
  | 'InboundFederation';

export interface Target {
  kind: 'lambda' | 'webhook';
  /** The function ARN / name, or the URL. */
  ref: string;
  /** LambdaVersion of versioned triggers (PreTokenGeneration V1_0/V2_0/V3_0, custom senders V1_0). */
  version: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https://..., or http:// to this machine. */
export function isWebhookUrl(value: string): boolean {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  return u.protocol === 'https:' || (u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname));
}

const targetOf = (ref: string | undefined, version = 'V1_0'): Target | undefined =>
  ref ? { kind: /^https?:\/\//i.test(ref) ? 'webhook' : 'lambda', ref, version } : undefined;

/** The pool's target for `name`, or undefined when the trigger is not configured. */
export function triggerTarget(pool: UserPool, name: TriggerName): Target | undefined {
  const c = pool.settings.LambdaConfig;
  if (!c) return undefined;
  switch (name) {
    case 'PreTokenGeneration':
      // PreTokenGenerationConfig wins (it carries the version); the legacy member means V1_0.
      if (c.PreTokenGenerationConfig) return targetOf(c.PreTokenGenerationConfig.LambdaArn, c.PreTokenGenerationConfig.LambdaVersion);
      return targetOf(c.PreTokenGeneration);
    case 'CustomEmailSender':
      return targetOf(c.CustomEmailSender?.LambdaArn, c.CustomEmailSender?.LambdaVersion);
    case 'CustomSMSSender':
      return targetOf(c.CustomSMSSender?.LambdaArn, c.CustomSMSSender?.LambdaVersion);
    case 'InboundFederation':
      return targetOf(c.InboundFederation?.LambdaArn, c.InboundFederation?.LambdaVersion);
    default:
      return targetOf(c[name]);
  }
}

/** The checks of a LambdaConfig on CreateUserPool / UpdateUserPool (see the file comment). */
export function checkLambdaConfig(c: LambdaConfigType | undefined): void {
  if (!c) return;
  const refs: [string, string | undefined][] = [
    ...Object.entries(c).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'KMSKeyID'),
    ['PreTokenGenerationConfig.LambdaArn', c.PreTokenGenerationConfig?.LambdaArn],
    ['CustomSMSSender.LambdaArn', c.CustomSMSSender?.LambdaArn],
    ['CustomEmailSender.LambdaArn', c.CustomEmailSender?.LambdaArn],
    ['InboundFederation.LambdaArn', c.InboundFederation?.LambdaArn],
  ];
  for (const [member, ref] of refs) {
    if (ref && /^https?:\/\//i.test(ref) && !isWebhookUrl(ref)) {
      throw new InvalidParameterException(`LambdaConfig.${member}: a webhook URL must be https (http only to localhost).`);
    }
  }
  if (c.PreTokenGeneration && c.PreTokenGenerationConfig && c.PreTokenGeneration !== c.PreTokenGenerationConfig.LambdaArn) {
    throw new InvalidParameterException('PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must name the same function.');
  }
  if (/^https?:\/\//i.test(c.KMSKeyID ?? '')) throw new InvalidParameterException('LambdaConfig.KMSKeyID must be a key ARN.');
  if ((c.CustomEmailSender || c.CustomSMSSender) && !c.KMSKeyID) {
    throw new InvalidParameterException('KMSKeyID is required when a custom sender is configured.');
  }
}
