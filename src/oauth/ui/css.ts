// The CSS a pool may give its classic hosted UI (SetUICustomization; hosted-ui-oauth.md §10),
// parsed by a deliberately small grammar rather than sanitized by pattern deletion: what is
// served is re-serialized from the parse, so nothing the parser did not understand gets through.
//
//   stylesheet  := rule*            rule := selectors '{' declaration (';' declaration)* ';'? '}'
//   selectors   := one of ALLOWED_SELECTORS, comma-separated
//   declaration := property ':' value      property in ALLOWED_PROPERTIES
//   value       := words of [-#%.,\w\s'"!/+*] and the functions rgb rgba hsl hsla calc
// Refused anywhere: comments left open, at-rules (@import, @font-face ...), backslash escapes,
// `<` (a `</style>`), url(), expression(), and any other function.
export const ALLOWED_SELECTORS: ReadonlySet<string> = new Set([
  '.background-customizable',
  '.banner-customizable',
  '.errorMessage-customizable',
  '.idpButton-customizable',
  '.idpButton-customizable:hover',
  '.inputField-customizable',
  '.inputField-customizable:focus',
  '.label-customizable',
  '.legalText-customizable',
  '.logo-customizable',
  '.submitButton-customizable',
  '.submitButton-customizable:hover',
  '.textDescription-customizable',
]);

const BOX = ['', '-top', '-right', '-bottom', '-left'];
export const ALLOWED_PROPERTIES: ReadonlySet<string> = new Set([
  'color',
  'background',
  'background-color',
  'opacity',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'letter-spacing',
  'line-height',
  'text-align',
  'text-decoration',
  'text-transform',
  'width',
  'height',
  'min-width',
  'min-height',
  'max-width',
  'max-height',
  'border-radius',
  'box-shadow',
  'outline',
  'outline-color',
  ...BOX.map((s) => `padding${s}`),
  ...BOX.map((s) => `margin${s}`),
  ...BOX.flatMap((s) => [`border${s}`, `border${s}-color`, `border${s}-style`, `border${s}-width`]),
]);

const ALLOWED_FUNCTIONS = new Set(['rgb', 'rgba', 'hsl', 'hsla', 'calc']);
const VALUE_RE = /^[-#%.,\w\s'"!/+*()]+$/;
/** Cognito's limit on the CSS of one customization. */
export const MAX_CSS_BYTES = 3 * 1024;

export interface CssRule {
  selectors: string[];
  declarations: [property: string, value: string][];
}

export class CssError extends Error {}

/**
 * Parses customization CSS; throws CssError saying what is not allowed.
 * @example parseCustomCss('.submitButton-customizable { background-color: #0a5; }')
 */
export function parseCustomCss(css: string): CssRule[] {
  if (Buffer.byteLength(css, 'utf8') > MAX_CSS_BYTES) throw new CssError(`CSS must be at most ${MAX_CSS_BYTES} bytes.`);
  const text = stripComments(css);
  for (const [bad, why] of [
    ['@', 'at-rules (@import, @font-face, @media ...) are not allowed'],
    ['\\', 'backslash escapes are not allowed'],
    ['<', 'the character < is not allowed'],
  ] as const) {
    if (text.includes(bad)) throw new CssError(`Invalid CSS: ${why}.`);
  }
  const rules: CssRule[] = [];
  let rest = text;
  while (rest.trim()) {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (open < 0 || close < open) throw new CssError('Invalid CSS: every rule needs a selector and a { ... } block.');
    const selectors = rest.slice(0, open).split(',').map((s) => s.trim().replace(/\s+/g, ' '));
    for (const s of selectors) {
      if (!ALLOWED_SELECTORS.has(s)) throw new CssError(`Invalid CSS: the selector "${s.slice(0, 80)}" is not allowed; use only the documented -customizable classes.`);
    }
    const body = rest.slice(open + 1, close);
    if (body.includes('{')) throw new CssError('Invalid CSS: nested blocks are not allowed.');
    rules.push({ selectors, declarations: parseDeclarations(body) });
    rest = rest.slice(close + 1);
  }
  return rules;
}

function parseDeclarations(body: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of splitOutsideQuotes(body)) {
    if (!part.trim()) continue;
    const colon = part.indexOf(':');
    if (colon < 0) throw new CssError(`Invalid CSS: "${part.trim().slice(0, 80)}" is not a declaration.`);
    const property = part.slice(0, colon).trim().toLowerCase();
    const value = part.slice(colon + 1).trim().replace(/\s+/g, ' ');
    if (!ALLOWED_PROPERTIES.has(property)) throw new CssError(`Invalid CSS: the property "${property.slice(0, 80)}" is not allowed.`);
    checkValue(property, value);
    out.push([property, value]);
  }
  return out;
}

function checkValue(property: string, value: string): void {
  if (!value || !VALUE_RE.test(value)) throw new CssError(`Invalid CSS: the value of ${property} has characters that are not allowed.`);
  if (/(^|[^\w-])(url|expression|image-set|image|element|env|var|attr)\s*\(/i.test(value)) {
    throw new CssError(`Invalid CSS: url() and other resource functions are not allowed (${property}).`);
  }
  for (const m of value.matchAll(/([\w-]*)\s*\(/g)) {
    if (!ALLOWED_FUNCTIONS.has(m[1].toLowerCase())) throw new CssError(`Invalid CSS: the function ${m[1] || '()'} is not allowed (${property}).`);
  }
  let depth = 0;
  for (const ch of value) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) throw new CssError(`Invalid CSS: unbalanced parentheses in ${property}.`);
  if ((value.match(/"/g)?.length ?? 0) % 2 || (value.match(/'/g)?.length ?? 0) % 2) {
    throw new CssError(`Invalid CSS: unbalanced quotes in ${property}.`);
  }
}

/** Splits at `;` outside quotes. */
function splitOutsideQuotes(body: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let cur = '';
  for (const ch of body) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ';') {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  return parts;
}

function stripComments(css: string): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const start = css.indexOf('/*', i);
    if (start < 0) return out + css.slice(i);
    const end = css.indexOf('*/', start + 2);
    if (end < 0) throw new CssError('Invalid CSS: a comment is not closed.');
    out += css.slice(i, start) + ' ';
    i = end + 2;
  }
  return out;
}

/** The parsed rules written back out: the only form of customer CSS a page ever serves. */
export function serializeCss(rules: CssRule[]): string {
  return rules.map((r) => `${r.selectors.join(', ')} { ${r.declarations.map(([p, v]) => `${p}: ${v};`).join(' ')} }`).join('\n');
}
