// Checks a decoded request against its input shape, as the real service does before any logic:
// a value of the wrong JSON type is a SerializationException; a broken constraint (required,
// length, range, pattern, enum) is an InvalidParameterException worded like AWS's own
// ("1 validation error detected: Value at 'username' failed to satisfy constraint: ...").
// Sensitive values (passwords, tokens) are never repeated in the message.
// Unknown members are ignored: clients may be newer than Tessera. A null list member or map value
// is refused, except in the maps a sign-in's clients fill (NULL_AS_ABSENT), where it is an absent
// entry and is removed from the input.
import { CognitoException } from '../cognito-exception.js';
import type { ServiceModel, Shape } from './types.js';

const patternCache = new Map<string, RegExp | null>();

/** The model's patterns are Java regexes matched against the whole value. */
export function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re !== undefined) return re;
  re = null;
  // Java's inline dot-all flag becomes JavaScript's `s` flag.
  const dotAll = pattern.startsWith('(?s)');
  const body = javaWhitespace(dotAll ? pattern.slice(4) : pattern);
  for (const flags of ['u', '']) {
    try {
      re = new RegExp(`^(?:${body})$`, flags + (dotAll ? 's' : ''));
      break;
    } catch {
      /* try the next flavour */
    }
  }
  patternCache.set(pattern, re);
  return re;
}

const JAVA_SPACE = '\\t\\n\\x0B\\f\\r ';

/**
 * Java's `\s` is ASCII whitespace only, JavaScript's also takes Unicode spaces (NBSP, U+2028,
 * U+3000 ...): `\s` and `\S` become Java's sets, so that for example a password with a
 * non-breaking space matches `[\S]+` as it does in Cognito. A `\S` sharing a character class
 * with other members has no plain equivalent and keeps JavaScript's meaning.
 */
function javaWhitespace(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i];
      if (n === 's') out += inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      else if (n === 'S' && !inClass) out += `[^${JAVA_SPACE}]`;
      else if (n === 'S' && out.endsWith('[') && pattern[i + 1] === ']') {
        out = out.slice(0, -1) + `[^${JAVA_SPACE}`;
      } else out += c + n;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

/**
 * Model patterns the real service does not apply as written. DomainType allows no dot, yet
 * CreateUserPoolDomain takes custom domains such as auth.example.com.
 */
const PATTERN_OVERRIDES: Record<string, RegExp> = {
  DomainType: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
};

/** Maps whose null values are absent entries (see the map case of validateInput). */
const NULL_AS_ABSENT = new Set(['ChallengeResponsesType', 'AuthParametersType', 'ClientMetadataType']);

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

// Tessera's one exception to a model pattern: a LambdaConfig member (not KMSKeyID) may name a
// webhook URL instead of a function ARN (README "Triggers"; checked further in src/triggers/target.ts).
const WEBHOOK_MEMBER = /^lambdaConfig\.(?!kMSKeyID$)/;
const isWebhookUrl = (shape: string, path: string, value: string) =>
  shape === 'ArnType' && WEBHOOK_MEMBER.test(path) && /^https?:\/\/[^\s]+$/i.test(value);

export function validateInput(model: ServiceModel, shapeName: string | undefined, input: unknown): void {
  if (!shapeName) return;
  const problems: string[] = [];
  const walk = (name: string, value: unknown, path: string, sensitive: boolean) => {
    const shape: Shape | undefined = model.shapes[name];
    if (!shape) return;
    const where = path || 'input';
    const secret = sensitive || !!shape.sensitive;
    switch (shape.type) {
      case 'structure': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw serializationError('an object', where, value);
        const obj = value as Record<string, unknown>;
        for (const req of shape.required ?? []) {
          if (obj[req] === undefined || obj[req] === null) {
            problems.push(`Value null at '${join(path, lowerFirst(req))}' failed to satisfy constraint: Member must not be null`);
          }
        }
        for (const [m, ref] of Object.entries(shape.members ?? {})) {
          const v = obj[m];
          if (v === undefined || v === null) continue;
          walk(ref.shape, v, join(path, lowerFirst(m)), secret);
        }
        return;
      }
      case 'list': {
        if (!Array.isArray(value)) throw serializationError('a list', where, value);
        checkLength(value.length, shape, where, problems, 'length');
        // No list of these services is sparse: a null member is refused, as AWS does.
        value.forEach((v, i) => {
          const at = `${where}.${i + 1}.member`;
          if (v === null) problems.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
          else walk(shape.member!, v, at, secret);
        });
        return;
      }
      case 'map': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw serializationError('a map', where, value);
        const entries = Object.entries(value as Record<string, unknown>);
        checkLength(entries.filter(([, v]) => v !== null || !NULL_AS_ABSENT.has(name)).length, shape, where, problems, 'length');
        for (const [k, v] of entries) {
          walk(shape.key!, k, `${where}.key`, secret);
          if (v === null) {
            // In the maps a sign-in's clients fill, a null value is an absent entry, dropped here
            // so no handler sees it: amazon-cognito-identity-js sends ChallengeResponses.DEVICE_KEY
            // = null when it retries without a device the server forgot, and Cognito takes that.
            // Elsewhere (logins, tags, provider details) a null is refused, not guessed at.
            if (NULL_AS_ABSENT.has(name)) delete (value as Record<string, unknown>)[k];
            else problems.push(`Value null at '${where}.${k}' failed to satisfy constraint: Member must not be null`);
          } else walk(shape.value!, v, `${where}.${k}`, secret);
        }
        return;
      }
      case 'string': {
        if (typeof value !== 'string') throw serializationError('a string', where, value);
        if (!isStorable(value)) {
          problems.push(`Value at '${where}' failed to satisfy constraint: Member must not contain NUL characters or unpaired surrogates`);
          return;
        }
        if (shape.min !== undefined || shape.max !== undefined) checkLength(codePoints(value), shape, where, problems, 'length', value, secret);
        if (shape.enum && !shape.enum.includes(value)) {
          problems.push(`Value${shown(value, secret)} at '${where}' failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
        } else if (shape.pattern && !isWebhookUrl(name, where, value)) {
          const re = PATTERN_OVERRIDES[name] ?? compilePattern(shape.pattern);
          if (re && !re.test(value)) {
            problems.push(`Value${shown(value, secret)} at '${where}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}`);
          }
        }
        return;
      }
      case 'integer':
      case 'long': {
        if (typeof value !== 'number' || !Number.isInteger(value)) throw serializationError('an integer', where, value);
        if (shape.min !== undefined && value < shape.min) {
          problems.push(`Value '${value}' at '${where}' failed to satisfy constraint: Member must have value greater than or equal to ${shape.min}`);
        }
        if (shape.max !== undefined && value > shape.max) {
          problems.push(`Value '${value}' at '${where}' failed to satisfy constraint: Member must have value less than or equal to ${shape.max}`);
        }
        return;
      }
      case 'double':
      case 'float':
      case 'timestamp':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw serializationError('a number', where, value);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') throw serializationError('a boolean', where, value);
        return;
      case 'blob':
        if (typeof value !== 'string' || !/^[A-Za-z0-9+/=_-]*$/.test(value)) throw serializationError('a base64 string', where, value);
        checkLength(Buffer.from(value, 'base64').length, shape, where, problems, 'length');
        return;
      default:
        return; // document: any JSON value
    }
  };
  walk(shapeName, input, '', false);
  if (problems.length) {
    const n = problems.length;
    throw new CognitoException(
      'InvalidParameterException',
      `${n} validation error${n > 1 ? 's' : ''} detected: ${problems.join('; ')}`,
    );
  }
}

/** A length constraint; the message quotes `value` when one is given and not secret. */
function checkLength(len: number, shape: Shape, where: string, problems: string[], what: string, value?: string, secret = true) {
  if (shape.min !== undefined && len < shape.min) {
    problems.push(`Value${value === undefined ? '' : shown(value, secret)} at '${where}' failed to satisfy constraint: Member must have ${what} greater than or equal to ${shape.min}`);
  }
  if (shape.max !== undefined && len > shape.max) {
    problems.push(`Value${value === undefined ? '' : shown(value, secret)} at '${where}' failed to satisfy constraint: Member must have ${what} less than or equal to ${shape.max}`);
  }
}

// JSON may escape anything (`\u0000`, `\ud800`), but neither a NUL nor half of a surrogate pair
// survives a database round trip (PostgreSQL refuses NUL in text; UTF-8 cannot encode a lone
// surrogate, so it would be stored as U+FFFD). Such strings are refused up front, alike on
// every engine, instead of failing or changing in the store.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const isStorable = (s: string): boolean => !UNSTORABLE.test(s);

const join = (path: string, m: string) => (path ? `${path}.${m}` : m);

/** A value as an error message quotes it: not at all when it is sensitive. */
const shown = (v: unknown, secret: boolean) => (secret ? '' : ` '${typeof v === 'string' ? v : JSON.stringify(v)}'`);

const serializationError = (expected: string, where: string, value: unknown) =>
  new CognitoException('SerializationException', `Expected ${expected} at '${where}' but found ${describe(value)}.`);

/**
 * Length in code points, as the service counts it (a surrogate pair is one), without copying the
 * string. Counts high surrogates, so it is exact only for strings isStorable accepted (no
 * unpaired halves).
 */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
