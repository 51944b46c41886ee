// The machine-readable reports of a run besides JUnit (junit.ts): JSON for scripts and TAP 13 for
// the many CI tools that read it. Secrets given by the caller are scrubbed from every text.
import { scrubSecrets } from '../sarufi/redaction.js';
import { lineDiff } from './expectations.js';
import type { SuiteResult } from './runner.js';
import { oneLine } from '../flow/oneLine.js';

export function toJsonReport(suite: SuiteResult, relative: (path: string) => string, secrets: readonly string[] = []): string {
  const report = {
    passed: suite.passed,
    failed: suite.failed,
    stepsRun: suite.stepsRun,
    durationMs: Math.round(suite.durationMs),
    tests: suite.tests.map((result) => ({
      file: relative(result.test.path),
      name: result.test.name,
      status: result.status,
      durationMs: Math.round(result.durationMs),
      golden: result.golden === null ? null : { result: result.golden.kind, file: relative(result.golden.path) },
      steps: result.steps.map((step) => ({
        label: step.step.label,
        line: step.step.line + 1,
        status: step.status,
        currentState: step.currentState,
        failures: step.failures,
        ...(step.status === 'failed' ? { expected: step.expected, actual: step.actual } : {}),
      })),
    })),
  };
  return `${scrubSecrets(JSON.stringify(report, null, 2), secrets)}\n`;
}

/** One TAP test point per test file's test, its failed steps as YAML diagnostics. */
export function toTap(suite: SuiteResult, relative: (path: string) => string, secrets: readonly string[] = []): string {
  const lines = ['TAP version 13', `1..${suite.tests.length}`];
  suite.tests.forEach((result, position) => {
    // A name is the test file's text: a line break in it would start a TAP line of its own.
    const description = oneLine(`${relative(result.test.path)} - ${result.test.name}`).replace(/#/g, '\\#');
    lines.push(`${result.status === 'passed' ? 'ok' : 'not ok'} ${position + 1} - ${description}`);
    const bad = result.steps.filter((step) => step.status === 'failed' || step.status === 'error');
    const golden = result.golden?.kind === 'different' ? result.golden : null;
    if (bad.length > 0 || golden !== null) {
      lines.push('  ---');
      if (golden !== null) {
        lines.push(`  golden: ${JSON.stringify(relative(golden.path))}`, '  golden_diff: |', ...lineDiff(golden.golden, golden.actual).split('\n').map((line) => `    ${line}`));
      }
    }
    if (bad.length > 0) {
      lines.push('  steps:');
      for (const step of bad) {
        lines.push(`    - step: ${JSON.stringify(step.step.label)}`, `      line: ${step.step.line + 1}`, `      status: ${step.status}`);
        lines.push(`      failures: ${JSON.stringify(step.failures)}`);
        if (step.status === 'failed') {
          lines.push('      diff: |', ...lineDiff(step.expected, step.actual).split('\n').map((line) => `        ${line}`));
        }
      }
    }
    if (bad.length > 0 || golden !== null) {
      lines.push('  ...');
    }
  });
  return `${scrubSecrets(lines.join('\n'), secrets)}\n`;
}
