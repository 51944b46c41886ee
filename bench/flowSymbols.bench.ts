// The flow language's cost per keystroke: on generated flows of 100, 1,000 and 5,000 states (each
// state named by several transitions, an API_CALL, a CONDITION and a template), the time of the
// index build, the references of the most-used state, a rename, the outline and a completion, each
// beside jsonc-parser's own parseTree of the same text in the same run. A feature runs on the
// index cached for the document's version, so "cold" adds the build a first request pays.
import { parseTree } from 'jsonc-parser';
import { flowCompletions } from '../src/flows/flowCompletion.js';
import { flowOutline } from '../src/flows/flowOutline.js';
import { renameEdits } from '../src/flows/flowRename.js';
import { FlowSymbols } from '../src/flows/flowSymbols.js';

const SIZES = [100, 1000, 5000];
/** Samples per figure (each a batch of about 20 ms, or one run of a large flow). */
const SAMPLES: Record<number, number> = { 100: 15, 1000: 11, 5000: 7 };

/** `size` states; every state leads to the next two, to a hub (s0) and back, reads the previous answer. */
function generatedFlow(size: number): string {
  const name = (index: number): string => `s${((index % size) + size) % size}`;
  const states: Record<string, unknown> = {};
  for (let index = 0; index < size; index += 1) {
    states[name(index)] = {
      message: {
        type: 'buttons',
        text: `Step ${index}: you said {{variables.${name(index - 1)}}}. Next?`,
        buttons: [
          { id: 'next', title: 'Next' },
          { id: 'skip', title: 'Skip' },
        ],
      },
      actions: [
        { type: 'API_CALL', integration: 'orders', path: `/steps/{{${name(index - 1)}}}`, save_to: `r${index}`, success_transition: name(index + 1), failure_transition: 's0' },
        { type: 'CONDITION', if: `{{variables.r${index}}} == 'ok'`, then: name(index + 2), else: 's0' },
      ],
      transitions: {
        buttons: { next: name(index + 1), skip: name(index + 2) },
        keywords: { 'back|rudi': name(index - 1) },
        default: 's0',
      },
    };
  }
  return JSON.stringify({ name: 'Bench', integrations: { orders: { baseUrl: 'http://127.0.0.1:8788' } }, initial_state: 's0', states }, null, 2);
}

/**
 * The operation's and parseTree's median milliseconds per run, measured in turns (a batch of one,
 * then a batch of the other) so that both meet the same machine: a noisy neighbour slows the pair,
 * not one side. A batch lasts about 20 ms, so that a collection of garbage is shared out over it.
 */
function paired(text: string, run: () => unknown, samples: number): { time: number; parse: number } {
  let started = performance.now();
  parseTree(text);
  const batch = Math.max(1, Math.round(20 / Math.max(performance.now() - started, 0.01)));
  const times: number[] = [];
  const parses: number[] = [];
  for (let index = -2; index < samples; index += 1) {
    started = performance.now();
    for (let repeat = 0; repeat < batch; repeat += 1) {
      parseTree(text);
    }
    const parse = (performance.now() - started) / batch;
    started = performance.now();
    for (let repeat = 0; repeat < batch; repeat += 1) {
      run();
    }
    const time = (performance.now() - started) / batch;
    if (index >= 0) {
      parses.push(parse);
      times.push(time);
    }
  }
  const middle = (list: number[]): number => list.sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
  return { time: middle(times), parse: middle(parses) };
}

const rows = ['| States | Text | parseTree | Operation | Time | × parseTree |', '| ---: | ---: | ---: | --- | ---: | ---: |'];
const ratios = new Map<string, number[]>();
for (const size of SIZES) {
  const text = generatedFlow(size);
  const cached = FlowSymbols.of(text);
  // A completion deep in the file: the last state's default target, with the cursor inside its quotes.
  const completionAt = text.lastIndexOf('"default": "s0"') + '"default": "s'.length;
  const references = (symbols: FlowSymbols): number => symbols.occurrencesOf('state', 's0').length + symbols.variableReferencesTo('s0').length;
  const rename = (symbols: FlowSymbols): number => renameEdits(symbols, { kind: 'state', name: 's0' }, 'start').flow.length;
  const complete = (symbols: FlowSymbols): number => flowCompletions(symbols, completionAt)?.items.length ?? 0;
  if (references(cached) < size * 3 || rename(cached) < size * 3 || complete(cached) !== size || flowOutline(cached).length < size) {
    throw new Error(`the ${size}-state flow did not index as generated`);
  }
  const operations: [string, () => unknown][] = [
    ['index build', () => FlowSymbols.of(text)],
    ['references of s0 (cached index)', () => references(cached)],
    ['references of s0 (cold)', () => references(FlowSymbols.of(text))],
    ['rename s0 (cached index)', () => rename(cached)],
    ['rename s0 (cold)', () => rename(FlowSymbols.of(text))],
    ['outline (cached index)', () => flowOutline(cached)],
    ['outline (cold)', () => flowOutline(FlowSymbols.of(text))],
    ['completion (cached index)', () => complete(cached)],
    ['completion (cold)', () => complete(FlowSymbols.of(text))],
  ];
  if (size === SIZES[0]) {
    // The first flow also warms the JIT up for every operation, so the first row is not the compiler's.
    for (let round = 0; round < 30; round += 1) {
      for (const [, run] of operations) {
        run();
        parseTree(text);
      }
    }
  }
  for (const [operation, run] of operations) {
    const { time, parse } = paired(text, run, SAMPLES[size] ?? 7);
    const ratio = time / parse;
    ratios.set(operation, [...(ratios.get(operation) ?? []), ratio]);
    rows.push(`| ${size} | ${(text.length / 1024).toFixed(0)} KiB | ${parse.toFixed(2)} ms | ${operation} | ${time.toFixed(2)} ms | ${ratio.toFixed(2)} |`);
  }
}
console.log(rows.join('\n'));
console.log('\n| Operation | × parseTree at ' + SIZES.join(' / ') + ' states |\n| --- | --- |');
for (const [operation, list] of ratios) {
  console.log(`| ${operation} | ${list.map((ratio) => ratio.toFixed(2)).join(' / ')} |`);
}
