// The process log: JSON lines (pino) on standard output. What is logged is decided where it is
// logged (one line per request: requestId, method, path, op, status, error, ms; never a body or
// a query string). Redaction below is the second line of defence: any field that carries a
// secret under a name we know is replaced, at the top level and two levels down, whoever logs it.
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config/index.js';

/** Field names whose values are secrets or personal codes (the models' and ours). */
const SECRET_FIELDS = [
  'password',
  'Password',
  'PreviousPassword',
  'ProposedPassword',
  'TemporaryPassword',
  'secret',
  'Secret',
  'secretAccessKey',
  'SecretAccessKey',
  'adminSecretAccessKey',
  'ClientSecret',
  'SecretHash',
  'SecretCode',
  'token',
  'Token',
  'AccessToken',
  'IdToken',
  'RefreshToken',
  'SessionToken',
  'sessionToken',
  'Session',
  'ConfirmationCode',
  'Code',
  'UserCode',
  'authorization',
  'cookie',
  'masterKey',
  'ChallengeResponses',
  'AuthParameters',
];

/** Header names that carry credentials. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-amz-security-token'];

export const redactPaths: string[] = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
  ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`, `*.*.headers["${h}"]`]),
];

/**
 * The logger for one process. Tests pass a destination to read the lines back.
 * @example createLogger(config).info({ requestId }, 'request')
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: redactPaths, censor: '[secret]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
