/**
 * The one error type a client can cause. `name` is the contract (the exception name as the
 * AWS model spells it, sent as `__type`); `message` is for people. `extra` carries modeled
 * members beside `message` (for example `reasonCode` of InvalidParameterException).
 */
export class CognitoException extends Error {
  override readonly name: string;
  readonly extra?: Record<string, unknown>;

  constructor(name: string, message: string, extra?: Record<string, unknown>) {
    super(message);
    this.name = name;
    this.extra = extra;
  }
}
