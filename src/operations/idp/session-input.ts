// The members of the session operations (ListUserSessions & co., SetUserPoolSessionConfiguration
// & co.): the model gives these newer operations untyped members, so their shapes are checked
// here, with the validation messages of the other operations.
import { InvalidParameterException } from '../../errors.js';
import { codePoints, isStorable } from '../../models/validate.js';

const invalid = (member: string, constraint: string) =>
  new InvalidParameterException(`1 validation error detected: Value at '${member[0].toLowerCase()}${member.slice(1)}' failed to satisfy constraint: ${constraint}`);

type In = Record<string, unknown>;

export function str(input: In, member: string, o: { pattern?: RegExp; max?: number; optional?: boolean } = {}): string {
  const v = input[member];
  if (v === undefined && o.optional) return undefined as unknown as string;
  if (typeof v !== 'string' || v.length < 1) throw invalid(member, 'Member must not be null');
  if (!isStorable(v)) throw invalid(member, 'Member must not contain NUL characters or unpaired surrogates');
  if (o.max !== undefined && codePoints(v) > o.max) throw invalid(member, `Member must have length less than or equal to ${o.max}`);
  if (o.pattern && !o.pattern.test(v)) throw invalid(member, `Member must satisfy regular expression pattern: ${o.pattern.source.replace(/^\^|\$$/g, '')}`);
  return v;
}

export function oneOf<T extends string>(input: In, member: string, values: readonly T[], o: { optional?: boolean } = {}): T {
  const v = input[member];
  if (v === undefined && o.optional) return undefined as unknown as T;
  if (typeof v !== 'string' || !values.includes(v as T)) throw invalid(member, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return v as T;
}

/** `{ <field>: integer within [min, max] }`, the whole structure required. */
export function intIn(input: In, member: string, field: string, range: { min: number; max: number }): number {
  const v = input[member];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(member, 'Member must not be null');
  const n = (v as In)[field];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < range.min || n > range.max) {
    throw invalid(`${member}.${field}`, `Member must be an integer between ${range.min} and ${range.max}`);
  }
  return n;
}

export const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
export const CLIENT_ID = /^[\w+]+$/;
export const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
export const ACCESS_TOKEN = /^[A-Za-z0-9-_=.]+$/;

/** Sessions come in one page (at most 125 per user); a NextToken can only be one Tessera never gave. */
export function noNextToken(input: In): void {
  if (input.NextToken !== undefined) throw new InvalidParameterException('Invalid NextToken: every session was in the previous answer.');
}
