// The editor's catastrophic-regex check (dist/regexSafety.js), loaded on the first check of a flow
// file; the detectors themselves run in the regex worker (dist/sandbox-regex.js).
export { validateWithRegexSafety } from '../sandbox/regexSafetyCheck.js';
