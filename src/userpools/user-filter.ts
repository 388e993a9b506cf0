// The ListUsers `Filter` string (api-surface.md §5.1): exactly one condition of the form
//
//   attribute SP* ("=" | "^=") SP* '"' value '"'
//
// where the value may contain `\"` (a quote) or `\\` (a backslash): a backslash takes the next
// character literally. Whitespace around the whole condition is ignored. There is no AND/OR/NOT,
// no parentheses and no other operator. Only the attributes Cognito can search are accepted;
// anything else is an InvalidParameterException that says what is wrong and where.
//
// This module only parses. How each attribute is matched (case, index) is list-users.ts's job.
import { InvalidParameterException } from '../errors.js';

/** The attributes ListUsers can filter on, the complete list (custom attributes are not searchable). */
export const FILTERABLE_ATTRIBUTES = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;

export type FilterAttribute = (typeof FILTERABLE_ATTRIBUTES)[number];

/** `=` is an exact match, `^=` a prefix ("starts with") match. */
export type FilterOperator = '=' | '^=';

export interface UserFilter {
  attribute: FilterAttribute;
  operator: FilterOperator;
  /** The value with its escapes removed. */
  value: string;
}

const filterable: ReadonlySet<string> = new Set(FILTERABLE_ATTRIBUTES);

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

function fail(reason: string): never {
  throw new InvalidParameterException(`Invalid filter: ${reason}. Expected the form: attribute = "value" or attribute ^= "value".`);
}

/**
 * Parses a ListUsers filter. An absent, empty or all-blank filter is `undefined` (every user).
 *
 * @example parseUserFilter('email ^= "jo"')  // { attribute: 'email', operator: '^=', value: 'jo' }
 * @example parseUserFilter('name="Say \\"hi\\""') // value: 'Say "hi"'
 */
export function parseUserFilter(text: string | undefined): UserFilter | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let i = 0;
  const skipSpace = () => {
    while (isSpace(text[i])) i++;
  };

  skipSpace();
  const nameStart = i;
  while (i < text.length && !isSpace(text[i]) && text[i] !== '=' && text[i] !== '^' && text[i] !== '"') i++;
  const attribute = text.slice(nameStart, i);
  if (!attribute) fail('the attribute name is missing');
  if (!filterable.has(attribute)) {
    throw new InvalidParameterException(
      `Invalid filter: the attribute '${attribute}' cannot be searched. ` +
        `Searchable attributes: ${FILTERABLE_ATTRIBUTES.join(', ')}.`,
    );
  }

  skipSpace();
  let operator: FilterOperator;
  if (text.startsWith('^=', i)) {
    operator = '^=';
    i += 2;
  } else if (text[i] === '=') {
    operator = '=';
    i += 1;
  } else {
    fail(`expected the operator = or ^= after '${attribute}' at position ${i + 1}`);
  }

  skipSpace();
  if (text[i] !== '"') fail(`the value must be in double quotes (position ${i + 1})`);
  i++;
  let value = '';
  for (;;) {
    const c = text[i];
    if (c === undefined) fail('the closing double quote of the value is missing');
    if (c === '"') break;
    if (c === '\\') {
      if (i + 1 >= text.length) fail('the value ends with an unfinished backslash escape');
      value += text[i + 1];
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  i++;
  skipSpace();
  if (i < text.length) fail(`only one condition is allowed; unexpected text after the value at position ${i + 1}`);
  return { attribute: attribute as FilterAttribute, operator, value };
}
