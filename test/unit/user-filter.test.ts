import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FILTERABLE_ATTRIBUTES, parseUserFilter } from '../../src/userpools/user-filter.js';

/** Asserts the filter is refused with an InvalidParameterException whose message matches `message`. */
function rejects(filter: string, message: RegExp) {
  assert.throws(
    () => parseUserFilter(filter),
    (e: Error) => {
      assert.equal(e.name, 'InvalidParameterException', `${filter}: ${e.name}`);
      assert.match(e.message, message, filter);
      return true;
    },
  );
}

describe('ListUsers filter parser', () => {
  test('an absent, empty or blank filter selects every user', () => {
    assert.equal(parseUserFilter(undefined), undefined);
    assert.equal(parseUserFilter(''), undefined);
    assert.equal(parseUserFilter('   \t '), undefined);
  });

  test('parses an exact match with the conventional spaces', () => {
    assert.deepEqual(parseUserFilter('email = "jo@example.com"'), { attribute: 'email', operator: '=', value: 'jo@example.com' });
  });

  test('parses a prefix match', () => {
    assert.deepEqual(parseUserFilter('given_name ^= "Jo"'), { attribute: 'given_name', operator: '^=', value: 'Jo' });
  });

  test('whitespace around the operator and the condition is optional', () => {
    for (const f of ['name="Ann"', 'name ="Ann"', 'name= "Ann"', '  name   =   "Ann"  ', 'name\t=\t"Ann"']) {
      assert.deepEqual(parseUserFilter(f), { attribute: 'name', operator: '=', value: 'Ann' }, f);
    }
    assert.deepEqual(parseUserFilter('sub^="ab"'), { attribute: 'sub', operator: '^=', value: 'ab' });
  });

  test('accepts every searchable attribute, including cognito:user_status', () => {
    for (const a of FILTERABLE_ATTRIBUTES) {
      assert.deepEqual(parseUserFilter(`${a} = "x"`), { attribute: a, operator: '=', value: 'x' });
    }
    assert.equal(FILTERABLE_ATTRIBUTES.length, 10);
  });

  test('unescapes \\" and \\\\ inside the value', () => {
    assert.equal(parseUserFilter('name = "Say \\"hi\\""')!.value, 'Say "hi"');
    assert.equal(parseUserFilter('name = "back\\\\slash"')!.value, 'back\\slash');
    assert.equal(parseUserFilter('name = "\\a"')!.value, 'a');
  });

  test('keeps spaces, = and ^= inside the quotes as part of the value', () => {
    assert.equal(parseUserFilter('family_name = " a ^= b = c "')!.value, ' a ^= b = c ');
  });

  test('an empty quoted value is allowed', () => {
    assert.deepEqual(parseUserFilter('email ^= ""'), { attribute: 'email', operator: '^=', value: '' });
  });

  test('keeps non-ASCII values as written', () => {
    assert.equal(parseUserFilter('name = "Zoë 😀"')!.value, 'Zoë 😀');
  });

  test('refuses attributes that cannot be searched, naming them', () => {
    rejects('custom:team = "a"', /'custom:team' cannot be searched/);
    rejects('nickname = "a"', /'nickname' cannot be searched/);
    rejects('Email = "a"', /'Email' cannot be searched/);
    rejects('email_verified = "true"', /cannot be searched/);
  });

  test('refuses a missing or unknown operator', () => {
    rejects('email "a"', /expected the operator/);
    rejects('email != "a"', /expected the operator/);
    rejects('email ~= "a"', /expected the operator/);
    rejects('email!="a"', /'email!' cannot be searched/);
    rejects('email > "a"', /expected the operator/);
    rejects('email == "a"', /double quotes/);
    rejects('email ^ "a"', /expected the operator/);
  });

  test('refuses a missing attribute', () => {
    rejects('= "a"', /attribute name is missing/);
    rejects('"a"', /attribute name is missing/);
  });

  test('refuses unquoted or single-quoted values', () => {
    rejects('email = a', /double quotes/);
    rejects("email = 'a'", /double quotes/);
    rejects('email =', /double quotes/);
  });

  test('refuses an unterminated value or a dangling escape', () => {
    rejects('email = "abc', /closing double quote/);
    rejects('email = "abc\\"', /closing double quote/);
    rejects('email = "abc\\', /unfinished backslash/);
  });

  test('refuses more than one condition and trailing text', () => {
    rejects('email = "a" and name = "b"', /only one condition/);
    rejects('email = "a" "b"', /only one condition/);
    rejects('email = "a"x', /only one condition/);
    rejects('(email = "a")', /cannot be searched/);
  });
});
