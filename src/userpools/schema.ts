// The attribute schema of a pool: Cognito's standard attributes, plus the pool's `custom:` ones.
import type { SchemaAttributeType } from '../models/idp-types.js';

const str = (name: string, mutable = true, min = '0', max = '2048'): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: mutable,
  Required: false,
  StringAttributeConstraints: { MinLength: min, MaxLength: max },
});

/** Standard attributes as DescribeUserPool lists them for a new pool. */
export function standardSchema(): SchemaAttributeType[] {
  return [
    { ...str('sub', false, '1', '2048'), Required: true },
    str('name'),
    str('given_name'),
    str('family_name'),
    str('middle_name'),
    str('nickname'),
    str('preferred_username'),
    str('profile'),
    str('picture'),
    str('website'),
    str('email'),
    { Name: 'email_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
    str('gender'),
    { ...str('birthdate', true, '10', '10') },
    str('zoneinfo'),
    str('locale'),
    str('phone_number'),
    { Name: 'phone_number_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
    str('address'),
    {
      Name: 'updated_at',
      AttributeDataType: 'Number',
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      NumberAttributeConstraints: { MinValue: '0' },
    },
    str('identities'),
  ];
}

export const STANDARD_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(standardSchema().map((a) => a.Name!));

/** Attributes ListUsers can filter on (api-surface.md §5.1). */
export const SEARCHABLE_ATTRIBUTES = ['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username'] as const;
