// JUnit XML for CI: one <testsuite> per test file, one <testcase> per step (the greeting
// included), failures with their sentences and the expected/actual diff. Secrets given by the
// caller are scrubbed from every text, whatever a server might have echoed back.
import { scrubSecrets } from '../sarufi/redaction.js';
import { lineDiff } from './expectations.js';
import type { SuiteResult } from './runner.js';

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot hold at all.
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export function toJUnit(suite: SuiteResult, relative: (path: string) => string, secrets: readonly string[] = []): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const goldenFailures = suite.tests.filter((test) => test.golden?.kind === 'different').length;
  const failures = goldenFailures + suite.tests.reduce((sum, test) => sum + test.steps.filter((step) => step.status === 'failed').length, 0);
  const errors = suite.tests.reduce((sum, test) => sum + test.steps.filter((step) => step.status === 'error').length, 0);
  const total = goldenFailures + suite.tests.reduce((sum, test) => sum + test.steps.length, 0);
  lines.push(`<testsuites name="sarufi-test" tests="${total}" failures="${failures}" errors="${errors}" time="${seconds(suite.durationMs)}">`);
  for (const result of suite.tests) {
    const file = relative(result.test.path);
    const count = (status: string): number => result.steps.filter((step) => step.status === status).length;
    const golden = result.golden?.kind === 'different' ? 1 : 0;
    lines.push(
      `  <testsuite name="${xml(`${file}: ${result.test.name}`)}" tests="${result.steps.length + golden}" failures="${count('failed') + golden}" errors="${count('error')}" skipped="${count('skipped')}" time="${seconds(result.durationMs)}">`,
    );
    for (const step of result.steps) {
      const open = `    <testcase classname="${xml(file)}" name="${xml(`${result.test.name} › ${step.step.label}`)}" file="${xml(file)}" line="${step.step.line + 1}" time="${seconds(step.durationMs)}"`;
      const message = xml(scrubSecrets(step.failures.join('; '), secrets));
      if (step.status === 'passed') {
        lines.push(`${open}/>`);
      } else if (step.status === 'skipped') {
        lines.push(`${open}>`, `      <skipped message="${message}"/>`, '    </testcase>');
      } else if (step.status === 'error') {
        lines.push(`${open}>`, `      <error message="${message}"/>`, '    </testcase>');
      } else {
        const body = `${step.failures.join('\n')}\n\n--- expected\n+++ actual\n${lineDiff(step.expected, step.actual)}\n`;
        lines.push(`${open}>`, `      <failure message="${message}" type="mismatch">${xml(scrubSecrets(body, secrets))}</failure>`, '    </testcase>');
      }
    }
    if (result.golden?.kind === 'different') {
      const body = `differs from ${relative(result.golden.path)}\n\n--- golden\n+++ actual\n${lineDiff(result.golden.golden, result.golden.actual)}\n`;
      lines.push(
        `    <testcase classname="${xml(file)}" name="${xml(`${result.test.name} › golden run`)}" file="${xml(file)}" time="0.000">`,
        `      <failure message="${xml(`the run differs from its golden run ${relative(result.golden.path)}`)}" type="golden">${xml(scrubSecrets(body, secrets))}</failure>`,
        '    </testcase>',
      );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
