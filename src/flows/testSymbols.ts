// The places a conversation test (`*.sarufi-test.yaml`) names a state of its flow: each step's
// `expect: state:`. Read with the yaml package's ranges, tolerant of a file that does not parse or
// check (the test runner's parseTestFile reports those problems; go-to and rename still work).
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode, Scalar } from 'yaml';
import { LineIndex } from './positions.js';
import type { Range } from './positions.js';
import type { Span } from './flowSymbols.js';

export interface TestStateReference {
  name: string;
  /** The scalar as written, quotes included. */
  span: Span;
  /** How the scalar is written, so a rename keeps its quoting. */
  style: Scalar.Type | undefined;
  /** 1 for the first of `steps`. */
  step: number;
}

export interface TestSymbols {
  /** `target.flow` as written (relative to the test file), if the test runs a flow file. */
  flow: { value: string; span: Span } | null;
  /** Every `expect: state:` of the steps, in file order. */
  states: TestStateReference[];
  range(span: Span): Range;
  /** The state reference whose span holds the offset (a cursor just after the name counts). */
  stateAt(offset: number): TestStateReference | undefined;
}

export function indexTestFile(text: string): TestSymbols {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const root = doc.contents;
  let flow: TestSymbols['flow'] = null;
  const states: TestStateReference[] = [];
  if (isMap(root)) {
    const target = root.get('target', true);
    const flowNode = isMap(target) ? target.get('flow', true) : undefined;
    if (isScalar(flowNode) && typeof flowNode.value === 'string' && flowNode.range) {
      flow = { value: flowNode.value, span: spanOf(flowNode) };
    }
    const steps = root.get('steps', true);
    if (isSeq(steps)) {
      steps.items.forEach((step, index) => {
        const expect = isMap(step) ? step.get('expect', true) : undefined;
        const state = isMap(expect) ? expect.get('state', true) : undefined;
        if (isScalar(state) && state.value !== null && state.range) {
          states.push({ name: String(state.value), span: spanOf(state), style: state.type, step: index + 1 });
        }
      });
    }
  }
  let lines: LineIndex | undefined;
  return {
    flow,
    states,
    range: (span) => {
      lines ??= new LineIndex(text);
      return lines.range(span.offset, span.length);
    },
    stateAt: (offset) => states.find((state) => state.span.offset <= offset && offset <= state.span.offset + state.span.length),
  };
}

function spanOf(node: YamlNode): Span {
  const [start, end] = node.range ?? [0, 0];
  return { offset: start, length: end - start };
}

/** True when the test at `testPath` targets the flow file at `flowPath` (both absolute). */
export function testTargetsFlow(testPath: string, symbols: TestSymbols, flowPath: string): boolean {
  return symbols.flow !== null && resolve(dirname(testPath), symbols.flow.value) === resolve(flowPath);
}
