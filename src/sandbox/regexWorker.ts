// The worker thread that runs the regexes of flows and test files for code that must not freeze
// (the editor's checks, the test runner's expectations and coverage, the test generator). One job
// at a time, each answered as soon as it ends: a silent worker is a stuck regex, and the budget
// (regexBudget.ts) terminates it.
import { isMainThread, parentPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { setCapped } from '../flow/cappedCache.js';
import { canBacktrackCatastrophically } from '../flow/regexSafety.js';
import { regexSamples } from '../flow/regexSamples.js';
import type { RegexJob, RegexWorkerMessage } from './regexProtocol.js';

/** Compiled patterns kept: a test run checks the same few against many texts. */
const PATTERNS_KEPT = 256;

function serveJobs(port: MessagePort): void {
  const post = (message: RegexWorkerMessage): void => port.postMessage(message);
  const compiled = new Map<string, RegExp>();
  const patternOf = (job: RegexJob): RegExp => {
    const key = `${job.flags}/${job.source}`;
    let pattern = compiled.get(key);
    if (pattern === undefined) {
      // Never global or sticky: test() must not depend on the last match's lastIndex.
      pattern = new RegExp(job.source, job.flags.replace(/[gy]/g, ''));
      setCapped(compiled, key, pattern, PATTERNS_KEPT);
    }
    return pattern;
  };
  port.on('message', (job: RegexJob) => {
    try {
      const pattern = patternOf(job);
      const value = job.kind === 'test' ? pattern.test(job.text) : job.kind === 'samples' ? regexSamples(pattern, job.count) : canBacktrackCatastrophically(pattern);
      post({ type: 'done', id: job.id, value });
    } catch (error) {
      post({ type: 'failed', id: job.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
  post({ type: 'ready' });
}

if (!isMainThread && parentPort) {
  serveJobs(parentPort);
}
