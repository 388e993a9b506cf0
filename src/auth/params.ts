// Reading AuthParameters / ChallengeResponses: a missing one is InvalidParameterException in
// Cognito's words ("Missing required parameter USERNAME").
import { InvalidParameterException } from '../errors.js';

export function requireParam(params: Record<string, string>, name: string): string {
  const v = params[name];
  if (typeof v !== 'string' || v === '') throw new InvalidParameterException(`Missing required parameter ${name}`);
  return v;
}
