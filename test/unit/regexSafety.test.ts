import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowProblems } from '../../src/flows/diagnostics.js';
import { canBacktrackCatastrophically } from '../../src/flow/regexSafety.js';
import { validateWithRegexSafety } from '../../src/sandbox/regexSafetyCheck.js';
import { validateFlow } from '../../src/flow/validator.js';

describe('regex triggers that backtrack catastrophically', () => {
  it('flags nested and overlapping repetition, and passes the patterns flows usually hold', () => {
    for (const risky of [/^(a+)+$/, /^(\w+\s?)*$/, /(x|x)*y/]) {
      assert.equal(canBacktrackCatastrophically(risky), true, String(risky));
    }
    for (const sound of [/^\d{4}$/, /^ORDER-\d+$/i, /^(yes|no)$/u, /^hello\s+world$/iu]) {
      assert.equal(canBacktrackCatastrophically(sound), false, String(sound));
    }
  });

  it('the validator warns at the path of the pattern, and the editor puts the warning on its line', async () => {
    const flow = {
      states: {
        ask: { message: 'Type', transitions: { regex: { '^\\d{4}$': 'ask', '^(a+)+$': 'ask' }, default: 'ask' } },
      },
    };
    const warnings = (await validateWithRegexSafety((options) => validateFlow(flow, options))).warnings.filter((warning) => /backtrack catastrophically/.test(warning.message));
    assert.deepEqual(
      warnings.map((warning) => warning.path),
      ['states.ask.transitions.regex["^(a+)+$"]'],
    );
    const text = JSON.stringify(flow, null, 2);
    const line = text.split('\n').findIndex((candidate) => candidate.includes('"^(a+)+$"'));
    const problem = (await validateWithRegexSafety((options) => flowProblems(text, options))).find((candidate) => /backtrack catastrophically/.test(candidate.message));
    assert.equal(problem?.severity, 'warning');
    assert.equal(problem?.range.start.line, line);
  });

  it('the validator runs the check only when it is given one (the editor loads the detector on first use)', () => {
    const flow = { states: { ask: { message: 'Type', transitions: { regex: { '^(a+)+$': 'ask' }, default: 'ask' } } } };
    assert.deepEqual(validateFlow(flow).warnings.filter((warning) => /backtrack/.test(warning.message)), []);
  });
});
