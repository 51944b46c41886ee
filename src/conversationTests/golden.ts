// Golden runs: a passing run's conversation as normalised text (what was sent; every message with
// its buttons and rows; the state after each step), kept beside the test as `<name>.golden.txt`.
// A later run that converses differently fails, even where the test's own checks are loose.
import { readFileSync, writeFileSync } from 'node:fs';
import { TEST_FILE_SUFFIX } from './format.js';
import type { TestResult } from './runner.js';

export const GOLDEN_SUFFIX = '.golden.txt';

/** `compare` checks a run against its golden file when there is one; `update` (re)approves the run. */
export type GoldenMode = 'compare' | 'update';

export type GoldenOutcome =
  | { kind: 'same'; path: string }
  | { kind: 'different'; path: string; golden: string; actual: string }
  | { kind: 'approved'; path: string };

export interface GoldenFiles {
  /** Null when the file does not exist. */
  read(path: string): string | null;
  write(path: string, text: string): void;
}

export const diskGoldenFiles: GoldenFiles = {
  read: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  write: (path, text) => writeFileSync(path, text),
};

export function goldenPath(testPath: string): string {
  const base = testPath.endsWith(TEST_FILE_SUFFIX) ? testPath.slice(0, -TEST_FILE_SUFFIX.length) : testPath;
  return `${base}${GOLDEN_SUFFIX}`;
}

/** The run as text. Step labels, not lines: moving a step in the file is not a difference. */
export function goldenText(result: TestResult): string {
  const lines = [`# ${result.test.name}`];
  for (const step of result.steps) {
    lines.push('', `## ${step.step.label}`);
    if (step.sent) {
      lines.push(`> ${JSON.stringify(step.sent.message)}${step.sent.buttonId === undefined ? '' : ` (button ${step.sent.buttonId})`}`);
    }
    lines.push(step.actual.replace(/\n$/, ''));
  }
  return `${lines.join('\n')}\n`;
}

/** Only a run whose every step passed is compared or approved: a failed one already says what is wrong. */
export function checkGolden(result: TestResult, mode: GoldenMode, files: GoldenFiles = diskGoldenFiles): GoldenOutcome | null {
  if (result.status !== 'passed') {
    return null;
  }
  const path = goldenPath(result.test.path);
  const actual = goldenText(result);
  if (mode === 'update') {
    files.write(path, actual);
    return { kind: 'approved', path };
  }
  const golden = files.read(path);
  if (golden === null) {
    return null;
  }
  // Line endings are not a difference: a checkout may have turned them into CRLF.
  return golden.replace(/\r\n/g, '\n') === actual ? { kind: 'same', path } : { kind: 'different', path, golden, actual };
}
