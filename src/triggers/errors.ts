// The three exceptions a trigger can end an operation with (invoke.ts maps them).
import { InvalidLambdaResponseException, UnexpectedLambdaException, UserLambdaValidationException } from '../errors.js';

/** Whether `e` is a trigger's failure, which callers pass on instead of remapping. */
export function isTriggerError(e: unknown): boolean {
  return e instanceof UserLambdaValidationException || e instanceof UnexpectedLambdaException || e instanceof InvalidLambdaResponseException;
}
