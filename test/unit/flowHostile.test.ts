// Flow files built to hurt: nesting deeper than the stack, timeouts timers cannot hold,
// placeholders that grow a small file into megabytes, and shapes that make the validator slow.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_API_TIMEOUT_MS } from '../../src/flow/boundedFetch.js';
import { readFlow } from '../../src/flow/flowReader.js';
import { IssueCollector } from '../../src/flow/flowPaths.js';
import type { FlowEdge, FlowModel, StateModel } from '../../src/flow/flowTypes.js';
import { MAX_RENDERED_CHARS, renderTemplate, renderTextDeep, TemplateTooLargeError } from '../../src/flow/template.js';
import { analyzeFlow, checkModel } from '../../src/flow/validator.js';
import { flowProblems } from '../../src/flows/diagnostics.js';
import { alwaysChain, wideFlow } from '../../bench/flowShapes.js';
import { MAX_ANSWER_CHARS } from '../../src/sandbox/chatRoutes.js';
import type { CreateSessionResponse, ErrorBody } from '../../src/sarufi/types.js';
import { chatbotIdOf, removeTempDirs, startTestSandbox } from './sandboxTestKit.js';

after(removeTempDirs);

/** A flow file whose API_CALL body nests `depth` objects, as text: JSON.stringify itself overflows on it. */
function deepBodyFlowText(depth: number): string {
  const body = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `{"name":"Deep","states":{"a":{"message":"hi","actions":[{"type":"API_CALL","url":"http://127.0.0.1:1/x","method":"POST","body":${body}}],"transitions":{"default":"a"}}}}`;
}

const echoFlow = { name: 'Echo', states: { listen: { message: 'Say something', transitions: { default: 'listen' } } } };

describe('flow files nested too deep', () => {
  it('an API_CALL body nested 5,000 deep is an error at its path, not a stack overflow', () => {
    const analysis = analyzeFlow(JSON.parse(deepBodyFlowText(5000)));
    assert.equal(analysis.model, null);
    assert.equal(analysis.errors.length, 1);
    assert.match(analysis.errors[0]?.path ?? '', /^states\.a\.actions\[0\]\.body\.a\.a\.a/);
    assert.match(analysis.errors[0]?.message ?? '', /deeper than 64 levels/);
  });

  it('one such file makes only its own chatbot a draft; the others still chat', async () => {
    const t = await startTestSandbox({ 'deep.flow.json': deepBodyFlowText(5000), 'echo.flow.json': echoFlow });
    try {
      const deep = t.sandbox.chatbots().find((chatbot) => chatbot.file?.endsWith('deep.flow.json'));
      assert.match(deep?.problem ?? '', /deeper than 64 levels/);
      const created = await t.api('POST', `/chatbots/${chatbotIdOf(t.sandbox, 'echo.flow.json')}/chat/sessions`);
      assert.equal(created.status, 201);
    } finally {
      await t.close();
    }
  });
});

describe('API_CALL timeout_ms', () => {
  const withTimeout = (timeout: unknown) => ({
    states: { s: { message: 'hi', actions: [{ type: 'API_CALL', url: 'https://x', timeout_ms: timeout }], transitions: { default: 's' } } },
  });
  const timeoutErrors = (timeout: unknown) => analyzeFlow(withTimeout(timeout)).errors.filter((issue) => issue.path === 'states.s.actions[0].timeout_ms');

  it('is an error unless a whole number from 1 to 120000', () => {
    for (const bad of [0.5, 0, -1, 3e9, 2 ** 31 - 1, MAX_API_TIMEOUT_MS + 1, '100']) {
      assert.equal(timeoutErrors(bad).length, 1, String(bad));
    }
    for (const good of [1, 80, MAX_API_TIMEOUT_MS]) {
      assert.deepEqual(timeoutErrors(good), [], String(good));
    }
  });

  it('has the same range in flow.schema.json', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'flow', 'flow.schema.json'), 'utf8')) as {
      definitions: { apiCallAction: { properties: { timeout_ms: Record<string, unknown> } } };
    };
    const node = schema.definitions.apiCallAction.properties.timeout_ms;
    assert.deepEqual([node.type, node.minimum, node.maximum], ['integer', 1, MAX_API_TIMEOUT_MS]);
  });
});

describe('template expansion bound', () => {
  const long = { said: 'x'.repeat(4096) };

  it(`a template that expands past ${MAX_RENDERED_CHARS} characters throws TemplateTooLargeError`, () => {
    assert.throws(() => renderTemplate('{{variables.said}}'.repeat(1000), long), TemplateTooLargeError);
    assert.equal(renderTemplate('{{variables.said}}'.repeat(24), long).length, 24 * 4096);
  });

  it('the strings of one message count together against the bound', () => {
    const fields = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`f${index}`, '{{variables.said}}']));
    assert.throws(() => renderTextDeep(fields, long), TemplateTooLargeError);
  });

  it(`the sandbox answers a clear 500 when one turn's messages pass ${MAX_ANSWER_CHARS} characters`, async () => {
    const placeholders = '{{variables.said}}'.repeat(24);
    const flow = {
      states: {
        listen: { message: 'Say something', save_input_as: 'said', transitions: { default: 'big' } },
        big: { message: Array.from({ length: 12 }, () => placeholders), transitions: { default: 'listen' } },
      },
    };
    const t = await startTestSandbox({ 'big.flow.json': flow });
    try {
      const id = chatbotIdOf(t.sandbox, 'big.flow.json');
      const created = await t.api('POST', `/chatbots/${id}/chat/sessions`);
      const sessionId = (created.body as CreateSessionResponse).session_id;
      const answer = await t.api('POST', `/chatbots/${id}/chat/sessions/${sessionId}/messages`, { body: { message: 'x'.repeat(4096) } });
      assert.equal(answer.status, 500);
      assert.match(String((answer.body as ErrorBody).detail), /answer holds more than 1000000 characters/);
      assert.ok(answer.text.length < 1000);
    } finally {
      await t.close();
    }
  });
});

/** The model with its edge list and state map counting every read the checks make. */
function countingModel(model: FlowModel): { model: FlowModel; reads: () => number } {
  let reads = 0;
  class CountingStates extends Map<string, StateModel> {
    override get(key: string): StateModel | undefined {
      reads += 1;
      return super.get(key);
    }
    override has(key: string): boolean {
      reads += 1;
      return super.has(key);
    }
  }
  const edges = new Proxy(model.edges, {
    get(target, property, receiver) {
      if (typeof property === 'string' && /^\d+$/.test(property)) {
        reads += 1;
      }
      return Reflect.get(target, property, receiver) as FlowEdge | undefined;
    },
  });
  return { model: { ...model, states: new CountingStates(model.states), edges }, reads: () => reads };
}

function readsToCheck(definition: unknown): number {
  const read = readFlow(definition).model;
  assert.ok(read);
  const counted = countingModel(read);
  checkModel(counted.model, {}, new IssueCollector());
  return counted.reads();
}

describe('validator work grows with the flow, not faster', () => {
  for (const [name, build] of [
    ['states with buttons', wideFlow],
    ["a chain of 'always' states", alwaysChain],
  ] as const) {
    it(`${name}: 8 times the states take at most 12 times the reads`, () => {
      const small = readsToCheck(build(1000));
      const large = readsToCheck(build(8000));
      assert.ok(large <= small * 12, `${small} reads for 1k states, ${large} for 8k`);
    });
  }
});

describe('the editor against deep nesting', () => {
  it('a flow file nested 10,000 deep gets one problem on the line where it passes the bound, instead of overflowing the parser', () => {
    const deep = `{\n  "greet": {\n    "message": "Hi",\n    "x": ${'['.repeat(10_000)}${']'.repeat(10_000)}\n  }\n}\n`;
    const problems = flowProblems(deep);
    assert.equal(problems.length, 1, JSON.stringify(problems.map((problem) => problem.message)));
    assert.match(problems[0]?.message ?? '', /deeper than 64 levels/);
    assert.equal(problems[0]?.range.start.line, 3, 'on the line of "x"');
  });
});
