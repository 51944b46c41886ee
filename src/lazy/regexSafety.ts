// The catastrophic-regex check's bundle (dist/regexSafety.js): redos-detector is most of its
// 70 KiB, so the editor loads it when it first checks a flow file, not at activation.
export { checkRegexSafety } from '../flow/regexSafety.js';
