// The validators of Sarufi's first API (docs/add-more-features/Add-type-validators.md in
// Neurotech-HQ/sarufi-docs), each as the regex a dev/v1 `regex` transition tests an answer with.
// The patterns are written to be read by the flow's author: they land in the converted file as
// transition keys, and the sandbox tests them against the trimmed answer.
import { isRecord } from './botMessages.js';

/** A documented validator type, the rule the docs give for it, and its pattern. */
interface TypeRule {
  rule: string;
  pattern: string;
}

// Each pattern accepts the docs' own examples (test/unit/v1Validators.test.ts holds them).
export const VALIDATOR_PATTERNS: Readonly<Record<string, TypeRule>> = {
  alphanumeric_validation: { rule: 'letters, digits or both', pattern: '^[A-Za-z0-9]+$' },
  // dd/mm/yyyy or mm/dd/yyyy: either of the first two numbers may be the day, so the format is
  // what is checked (a range check per part would be harder to read and to judge for ReDoS).
  date_validation: { rule: 'a date as dd/mm/yyyy or mm/dd/yyyy', pattern: '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$' },
  // The domain's parts are split at dots that no part holds, so no two repetitions share a character.
  email_validation: { rule: 'an email address', pattern: '^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$' },
  numeric_validation: { rule: 'digits with no decimal', pattern: '^[0-9]+$' },
  // +2(222)22222222, +2(222)222-222, +255711111111, 0711111111, +(222)222-2222: an optional +,
  // then at least 7 digits, brackets, spaces or dashes that start with a digit or a bracket and
  // end with a digit.
  phone_number_validation: { rule: 'a phone number', pattern: '^\\+?[0-9(][0-9() -]{5,}[0-9]$' },
  required_field_validation: { rule: 'any answer that is not blank', pattern: '\\S' },
  // hh:mm AM or PM, with the space the docs require before AM/PM.
  time_validation: { rule: 'a time as hh:mm AM or PM', pattern: '^(0?[1-9]|1[0-2]):[0-5][0-9] (AM|PM|am|pm)$' },
  zipcode_validation: { rule: 'a zip code: 12345, 12345-6789 or 12345 6789', pattern: '^[0-9]{5}([ -][0-9]{4})?$' },
};

const VALIDATOR_TYPES = [...Object.keys(VALIDATOR_PATTERNS), 'length_validation', 'custom_validation'] as const;

export interface ConvertedValidator {
  /** The regex an answer must match, as a dev/v1 `regex` transition key. */
  pattern: string;
  /** The v1 `error_message` as written (a string or a list), or undefined when it has none. */
  errorMessage: unknown;
}

export type ValidatorReading = { ok: true; validator: ConvertedValidator } | { ok: false; problem: string };

function wholeNumber(value: unknown): number | null | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : null;
}

function lengthPattern(validator: Record<string, unknown>): string {
  const min = wholeNumber(validator.min_length);
  const max = wholeNumber(validator.max_length);
  if (min === null || max === null) {
    throw new Error('min_length and max_length must be whole numbers');
  }
  if (min === undefined && max === undefined) {
    throw new Error('length_validation needs min_length, max_length or both');
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new Error(`min_length (${min}) is more than max_length (${max})`);
  }
  return `^.{${min ?? 0},${max ?? ''}}$`;
}

function customPattern(validator: Record<string, unknown>): string {
  const regex = validator.regex;
  if (typeof regex !== 'string' || regex === '') {
    throw new Error('custom_validation needs a "regex"');
  }
  try {
    new RegExp(regex);
  } catch (error) {
    // Python's re (which v1 ran) has syntax JavaScript lacks, e.g. (?P<name>…).
    throw new Error(`its regex ${JSON.stringify(regex)} is not a JavaScript regular expression (${error instanceof Error ? error.message : String(error)})`);
  }
  return regex;
}

/** One v1 validator, read: its pattern, or why it cannot be converted. */
export function readValidator(value: unknown): ValidatorReading {
  if (!isRecord(value) || typeof value.type !== 'string') {
    return { ok: false, problem: 'a validator must be an object with a "type"' };
  }
  const errorMessage = value.error_message;
  try {
    const known = VALIDATOR_PATTERNS[value.type];
    let pattern: string;
    if (known) {
      pattern = known.pattern;
    } else if (value.type === 'length_validation') {
      pattern = lengthPattern(value);
    } else if (value.type === 'custom_validation') {
      pattern = customPattern(value);
    } else {
      return { ok: false, problem: `'${value.type}' is not a validator type the docs describe (${VALIDATOR_TYPES.join(', ')})` };
    }
    return { ok: true, validator: { pattern, errorMessage } };
  } catch (error) {
    return { ok: false, problem: `${value.type}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Several validators on one state as one pattern that all of them must match: each becomes a
 * lookahead from the start, so `^[0-9]+$` and `^.{3,5}$` give `^(?=[0-9]+$)(?=.{3,5}$)`.
 */
export function allOf(patterns: readonly string[]): string {
  if (patterns.length === 1) {
    return patterns[0] ?? '';
  }
  return `^${patterns.map((pattern) => `(?=${pattern.startsWith('^') ? pattern.slice(1) : `[\\s\\S]*?${pattern}`})`).join('')}`;
}
