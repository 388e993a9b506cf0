// The attribute schema a pool is created with (CreateUserPool `Schema`) and the custom attributes
// added later (AddCustomAttributes). Cognito's rules, as enforced here:
// - the standard attributes are always there; an entry naming one may change only Required,
//   Mutable and its constraints, never its data type; `sub` stays required and immutable;
// - any other name is a custom attribute, stored as `custom:<name>`: at most 50 per pool, never
//   required, of type String / Number / DateTime / Boolean (String by default);
// - names are unique; String lengths are 0..2048; a minimum never exceeds its maximum.
import { InvalidParameterException } from '../errors.js';
import type { SchemaAttributeType } from '../models/idp-types.js';
import { STANDARD_ATTRIBUTE_NAMES, standardSchema } from './schema.js';

export const MAX_CUSTOM_ATTRIBUTES = 50;
export const CUSTOM_PREFIX = 'custom:';
const DATA_TYPES = new Set(['String', 'Number', 'DateTime', 'Boolean']);
const MAX_STRING_LENGTH = 2048;
/** Letters, marks, symbols, numbers and punctuation (no spaces, no `:`), 1..20 characters. */
const CUSTOM_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,20}$/u;

/** The schema of a new pool: the standard attributes with the input's changes, then its custom ones. */
export function buildSchema(input: SchemaAttributeType[] = []): SchemaAttributeType[] {
  const schema = standardSchema();
  const custom: SchemaAttributeType[] = [];
  const seen = new Set<string>();
  for (const attr of input) {
    const name = attr.Name ?? '';
    if (STANDARD_ATTRIBUTE_NAMES.has(name)) {
      rejectDuplicate(seen, name);
      const i = schema.findIndex((a) => a.Name === name);
      schema[i] = adjustStandard(schema[i]!, attr);
    } else {
      const made = customAttribute(attr);
      rejectDuplicate(seen, made.Name!);
      custom.push(made);
    }
  }
  checkCustomCount(custom.length);
  return [...schema, ...custom];
}

/** The schema with `added` custom attributes appended; a name already in the schema is refused. */
export function appendCustomAttributes(schema: SchemaAttributeType[], added: SchemaAttributeType[]): SchemaAttributeType[] {
  const seen = new Set(schema.map((a) => a.Name!));
  const made = added.map((attr) => {
    const c = customAttribute(attr);
    if (seen.has(c.Name!)) throw new InvalidParameterException(`Existing attribute already has name ${c.Name}.`);
    seen.add(c.Name!);
    return c;
  });
  const customCount = schema.filter((a) => a.Name!.startsWith(CUSTOM_PREFIX)).length + made.length;
  checkCustomCount(customCount);
  return [...schema, ...made];
}

/** Standard attributes: data type fixed; Required, Mutable and constraints may be set. */
function adjustStandard(base: SchemaAttributeType, attr: SchemaAttributeType): SchemaAttributeType {
  const name = base.Name!;
  if (attr.AttributeDataType && attr.AttributeDataType !== base.AttributeDataType) {
    throw new InvalidParameterException(`The data type of the standard attribute ${name} is ${base.AttributeDataType} and cannot be changed.`);
  }
  if (name === 'sub' && (attr.Mutable === true || attr.Required === false)) {
    throw new InvalidParameterException('The attribute sub is always required and immutable.');
  }
  const out: SchemaAttributeType = { ...base };
  if (attr.Required !== undefined) out.Required = attr.Required;
  if (attr.Mutable !== undefined) out.Mutable = attr.Mutable;
  Object.assign(out, constraintsFor(name, base.AttributeDataType!, attr));
  return out;
}

/** One custom attribute in its stored form (`custom:<name>`, defaults filled in). */
function customAttribute(attr: SchemaAttributeType): SchemaAttributeType {
  const raw = attr.Name ?? '';
  const short = raw.startsWith(CUSTOM_PREFIX) ? raw.slice(CUSTOM_PREFIX.length) : raw;
  if (!CUSTOM_NAME.test(short) || short.includes(':')) {
    throw new InvalidParameterException(`Invalid custom attribute name ${raw}: use 1 to 20 letters, digits or punctuation other than ':'.`);
  }
  const name = CUSTOM_PREFIX + short;
  if (attr.Required) throw new InvalidParameterException('Required custom attributes are not supported currently.');
  const type = attr.AttributeDataType ?? 'String';
  if (!DATA_TYPES.has(type)) throw new InvalidParameterException(`Invalid AttributeDataType ${type} for ${name}.`);
  return {
    Name: name,
    AttributeDataType: type,
    DeveloperOnlyAttribute: attr.DeveloperOnlyAttribute ?? false,
    Mutable: attr.Mutable ?? true,
    Required: false,
    ...constraintsFor(name, type, attr),
  };
}

/** The constraints that apply to the data type (others are ignored), checked for sense. */
function constraintsFor(name: string, type: string, attr: SchemaAttributeType): Partial<SchemaAttributeType> {
  if (type === 'String' && attr.StringAttributeConstraints) {
    const { MinLength, MaxLength } = attr.StringAttributeConstraints;
    const min = whole(name, 'MinLength', MinLength);
    const max = whole(name, 'MaxLength', MaxLength);
    if ((min ?? 0) < 0 || (max ?? 0) > MAX_STRING_LENGTH || (max !== undefined && max < 0)) {
      throw new InvalidParameterException(`StringAttributeConstraints of ${name} must lie within 0..${MAX_STRING_LENGTH}.`);
    }
    if (min !== undefined && max !== undefined && min > max) {
      throw new InvalidParameterException(`MinLength of ${name} cannot be greater than its MaxLength.`);
    }
    return { StringAttributeConstraints: pick({ MinLength, MaxLength }) };
  }
  if (type === 'Number' && attr.NumberAttributeConstraints) {
    const { MinValue, MaxValue } = attr.NumberAttributeConstraints;
    const min = whole(name, 'MinValue', MinValue);
    const max = whole(name, 'MaxValue', MaxValue);
    if (min !== undefined && max !== undefined && min > max) {
      throw new InvalidParameterException(`MinValue of ${name} cannot be greater than its MaxValue.`);
    }
    return { NumberAttributeConstraints: pick({ MinValue, MaxValue }) };
  }
  return {};
}

/** Constraint values travel as strings holding whole numbers. */
function whole(name: string, member: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(value)) throw new InvalidParameterException(`${member} of ${name} must be a whole number.`);
  return Number(value);
}

function pick<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function rejectDuplicate(seen: Set<string>, name: string): void {
  if (seen.has(name)) throw new InvalidParameterException(`The attribute ${name} appears more than once in the schema.`);
  seen.add(name);
}

function checkCustomCount(n: number): void {
  if (n > MAX_CUSTOM_ATTRIBUTES) {
    throw new InvalidParameterException(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  }
}
