// The v1 validator types (Sarufi's docs, add-more-features/Add-type-validators.md) as regex
// transitions: each accepts the docs' own examples and refuses what the docs' rule excludes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSafe } from 'redos-detector';
import { allOf, readValidator, VALIDATOR_PATTERNS } from '../../src/flow/v1Validators.js';

function patternOf(validator: Record<string, unknown>): RegExp {
  const reading = readValidator({ error_message: 'no', ...validator });
  assert.ok(reading.ok, reading.ok ? '' : reading.problem);
  // As the sandbox's reader builds a regex key, and tests it against the trimmed answer.
  return new RegExp(reading.validator.pattern);
}

function check(validator: Record<string, unknown>, accepted: string[], refused: string[]): void {
  const pattern = patternOf(validator);
  for (const answer of accepted) {
    assert.ok(pattern.test(answer.trim()), `${String(validator.type)} accepts ${JSON.stringify(answer)} (${pattern.source})`);
  }
  for (const answer of refused) {
    assert.ok(!pattern.test(answer.trim()), `${String(validator.type)} refuses ${JSON.stringify(answer)} (${pattern.source})`);
  }
}

describe('v1 validators: the docs examples of each type', () => {
  it('alphanumeric_validation accepts 123wdcs, 1122 and adasd; refuses spaces and punctuation', () => {
    check({ type: 'alphanumeric_validation' }, ['123wdcs', '1122', 'adasd'], ['abc 123', 'abc!', '']);
  });

  it('date_validation accepts 24/3/2023 and 3/24/2023 (dd/mm/yyyy or mm/dd/yyyy); refuses words, 2-digit years, 3-digit parts and dashes', () => {
    check({ type: 'date_validation' }, ['24/3/2023', '3/24/2023', '01/01/1999'], ['tomorrow', '24/3/23', '124/1/2023', '2023-03-24', '24-3-2023']);
  });

  it('email_validation accepts hello123@yourdomain.com and hello.me@domain.com; refuses a name without @ or domain', () => {
    check({ type: 'email_validation' }, ['hello123@yourdomain.com', 'hello.me@domain.com'], ['hello', 'hello@domain', 'a b@c.com']);
  });

  it('length_validation with min_length 7 and max_length 30 (the docs example) accepts 7 to 30 characters only', () => {
    check({ type: 'length_validation', min_length: 7, max_length: 30 }, ['Amani J', 'x'.repeat(30)], ['Amani', 'x'.repeat(31)]);
  });

  it('length_validation with only a min_length, or only a max_length, bounds one side', () => {
    check({ type: 'length_validation', min_length: 3 }, ['abc', 'x'.repeat(500)], ['ab']);
    check({ type: 'length_validation', max_length: '4' }, ['', 'abcd'], ['abcde']);
  });

  it('numeric_validation accepts 1233; refuses decimals and words', () => {
    check({ type: 'numeric_validation' }, ['1233', '0'], ['12.5', 'kumi', '-3']);
  });

  it('phone_number_validation accepts the five documented numbers; refuses words, letters among digits and fewer than 7 characters', () => {
    check(
      { type: 'phone_number_validation' },
      ['+2(222)22222222', '+2(222)222-222', '+255711111111', '0711111111', '+(222)222-2222'],
      ['simu yangu', '07-11', '0711', '+255-', '07111111a1', '(222)', '(222)222-'],
    );
  });

  it('required_field_validation accepts any answer with a character that is not blank; refuses a blank one', () => {
    check({ type: 'required_field_validation' }, ['x', ' ndiyo '], ['', '   ']);
  });

  it('time_validation accepts 12:00 AM (hh:mm, a space, AM or PM); refuses no space, 24-hour times and 13:00 PM', () => {
    check({ type: 'time_validation' }, ['12:00 AM', '7:45 pm', '09:05 PM'], ['12:00AM', '18:30', '13:00 PM', 'noon']);
  });

  it('zipcode_validation accepts 12345, 12345-6789 and 12345 6789; refuses 4 digits and letters', () => {
    check({ type: 'zipcode_validation' }, ['12345', '12345-6789', '12345 6789'], ['1234', '1234a', '12345-678']);
  });

  it("custom_validation keeps the docs' regexes as written: ^[1-9]?$ and ^[a-zA-Z]+$", () => {
    assert.equal(patternOf({ type: 'custom_validation', regex: '^[1-9]?$' }).source, '^[1-9]?$');
    check({ type: 'custom_validation', regex: '^[1-9]?$' }, ['3', ''], ['10', 'a']);
    check({ type: 'custom_validation', regex: '^[a-zA-Z]+$' }, ['cheese'], ['cheese 2']);
  });
});

describe('v1 validators: what cannot be converted, and safety', () => {
  it('refuses, with the reason, an unknown type, a length with no bounds or min above max, and a regex JavaScript cannot read', () => {
    const problem = (validator: unknown): string => {
      const reading = readValidator(validator);
      assert.equal(reading.ok, false);
      return reading.ok ? '' : reading.problem;
    };
    assert.match(problem({ type: 'age_validation' }), /'age_validation' is not a validator type the docs describe/);
    assert.match(problem({ type: 'length_validation' }), /needs min_length, max_length or both/);
    assert.match(problem({ type: 'length_validation', min_length: 9, max_length: 3 }), /min_length \(9\) is more than max_length \(3\)/);
    assert.match(problem({ type: 'length_validation', min_length: 'many' }), /whole numbers/);
    assert.match(problem({ type: 'custom_validation', regex: '(?P<pin>[0-9]+)' }), /not a JavaScript regular expression/);
    assert.match(problem({ type: 'custom_validation' }), /needs a "regex"/);
    assert.match(problem('numeric_validation'), /must be an object with a "type"/);
  });

  it('redos-detector finds no way for a generated pattern to backtrack catastrophically, given the time it needs', () => {
    const patterns = [...Object.values(VALIDATOR_PATTERNS).map((rule) => rule.pattern), '^.{7,30}$', allOf(['^[0-9]+$', '^.{3,5}$'])];
    for (const pattern of patterns) {
      // The editor's check stops at 250 ms; this one waits for the verdict, so a busy machine cannot change it.
      const verdict = isSafe(new RegExp(pattern), { timeout: Number.POSITIVE_INFINITY });
      assert.deepEqual({ safe: verdict.safe, error: verdict.error }, { safe: true, error: null }, pattern);
    }
  });

  it('several validators become one pattern that an answer passes only when it passes each of them', () => {
    const both = new RegExp(allOf(['^[0-9]+$', '^.{3,5}$', '\\S']));
    assert.deepEqual(
      ['123', '12', '123456', 'abc'].map((answer) => both.test(answer)),
      [true, false, false, false],
    );
  });
});
