// Every failure a client can cause is a CognitoException named exactly as the models name it.
// The model exceptions are generated (src/models/exceptions.ts); the protocol-level ones below
// are AWS-wide conventions that no service model lists (api-surface.md §1.3).
import { CognitoException } from './cognito-exception.js';
import { faultExceptionNames } from './models/exceptions.js';

export { CognitoException };
export * from './models/exceptions.js';

export class UnknownOperationException extends CognitoException {
  constructor(message: string) {
    super('UnknownOperationException', message);
  }
}
export class SerializationException extends CognitoException {
  constructor(message: string) {
    super('SerializationException', message);
  }
}
export class MissingAuthenticationTokenException extends CognitoException {
  constructor(message = 'Missing Authentication Token') {
    super('MissingAuthenticationTokenException', message);
  }
}
export class IncompleteSignatureException extends CognitoException {
  constructor(message: string) {
    super('IncompleteSignatureException', message);
  }
}
export class UnrecognizedClientException extends CognitoException {
  constructor(message = 'The security token included in the request is invalid.') {
    super('UnrecognizedClientException', message);
  }
}
export class InvalidSignatureException extends CognitoException {
  constructor(message: string) {
    super('InvalidSignatureException', message);
  }
}
export class ExpiredTokenException extends CognitoException {
  constructor(message = 'The security token included in the request is expired') {
    super('ExpiredTokenException', message);
  }
}
export class RequestEntityTooLargeException extends CognitoException {
  constructor(message: string) {
    super('RequestEntityTooLargeException', message);
  }
}

/** Names thrown by the protocol layer for any operation, whatever the model lists. */
export const protocolExceptionNames: ReadonlySet<string> = new Set([
  'UnknownOperationException',
  'SerializationException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'RequestEntityTooLargeException',
  'AccessDeniedException',
  'InternalErrorException',
  'InternalServerException',
  'UnsupportedOperationException',
]);

/**
 * The HTTP status of an error on the JSON 1.1 services. The real service answers 400 for every
 * client error (even those the Smithy model tags 403/404), 500 for faults (api-surface.md §1.2).
 * cognito-sync carries explicit codes in its model; those win there (see restjson.ts).
 */
export function httpStatusOf(e: CognitoException): number {
  if (faultExceptionNames.has(e.name)) return 500;
  if (e.name === 'RequestEntityTooLargeException') return 413;
  return 400;
}

/**
 * The one error for an operation of the model that Tessera does not implement: 400
 * UnsupportedOperationException naming it (never 500, so SDK clients do not retry it).
 */
export function notImplemented(operation: string, reason?: string): CognitoException {
  return new CognitoException(
    'UnsupportedOperationException',
    `Tessera does not support ${operation}` + (reason ? ` (${reason}).` : ' yet.'),
  );
}
