// Validator: time to read and check flows of 1,000 and 16,000 states, with buttons and a fallback
// in every state, and as one chain of 'always' moves. It runs on every edit, so it must stay linear.
import { analyzeFlow } from '../src/flow/validator.js';
import { alwaysChain, wideFlow } from './flowShapes.js';

const rows = ['| Flow | States | Time |', '| --- | ---: | ---: |'];
for (const [name, build] of [
  ['buttons and default', wideFlow],
  ["'always' chain", alwaysChain],
] as const) {
  for (const size of [1000, 16000]) {
    const definition = build(size);
    const started = performance.now();
    analyzeFlow(definition);
    rows.push(`| ${name} | ${size} | ${Math.round(performance.now() - started)} ms |`);
  }
}
console.log(rows.join('\n'));
