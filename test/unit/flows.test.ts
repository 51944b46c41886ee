// The flow-file editor support in plain Node: issue paths to exact ranges (both file shapes),
// diagnostics with their positions, the create-state quick fix, preview marks, and conflicts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowProblems, placeIssues } from '../../src/flows/diagnostics.js';
import { FlowDocument } from '../../src/flows/flowDocument.js';
import { locateIssuePath, parseIssuePath } from '../../src/flows/issuePaths.js';
import { LineIndex } from '../../src/flows/positions.js';
import { previewProgress } from '../../src/flows/previewMarks.js';
import { closestStates, createStateEdits } from '../../src/flows/quickFixes.js';
import { closestNames } from '../../src/flow/closestNames.js';
import { baseOf, definitionHash, flowFileName, flowText, parseFlowText, remoteChangedSince } from '../../src/flows/remoteFlows.js';
import type { Range } from '../../src/flows/positions.js';
import type { Flow } from '../../src/sarufi/types.js';
import { validateFlow } from '../../src/flow/validator.js';

/** The text a range covers, to check that a diagnostic sits on the right key. */
function textAt(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) {
    return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  }
  return [
    (lines[range.start.line] ?? '').slice(range.start.character),
    ...lines.slice(range.start.line + 1, range.end.line),
    (lines[range.end.line] ?? '').slice(0, range.end.character),
  ].join('\n');
}

/** Applies edits (non-overlapping) to a text, last first. */
function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const index = new LineIndex(text);
  const offsetOf = (line: number, character: number): number => {
    const lines = text.split('\n');
    let offset = 0;
    for (let i = 0; i < line; i += 1) {
      offset += (lines[i] ?? '').length + 1;
    }
    return offset + character;
  };
  let result = text;
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start.line, b.range.start.character) - offsetOf(a.range.start.line, a.range.start.character));
  for (const edit of sorted) {
    const start = offsetOf(edit.range.start.line, edit.range.start.character);
    const end = offsetOf(edit.range.end.line, edit.range.end.character);
    assert.deepEqual(index.position(start), edit.range.start);
    result = result.slice(0, start) + edit.newText + result.slice(end);
  }
  return result;
}

const MAP_FLOW = `{
  "greet": {
    "message": "Hi! Order or help?",
    "transitions": {
      "keywords": { "order": "ordering", "help": "helping" },
      "default": "greet"
    }
  },
  "ordering": {
    "message": "Ordered.",
    "transitions": { "default": "nowhere" }
  },
  "helping": { "message": "Help is on the way." },
  "orphan": { "message": "Nobody comes here." }
}
`;

const WRAPPED_FLOW = `{
  "name": "Wrapped",
  "initial_state": "start",
  "states": {
    "start": {
      "message": {
        "type": "buttons",
        "text": "Pick one",
        "buttons": [
          { "id": "a", "title": "A" },
          { "id": "b", "title": "B" },
          { "id": "c", "title": "C" },
          { "id": "d", "title": "This title is far too long for WhatsApp" }
        ]
      },
      "transitions": { "buttons": { "a": "end", "b": "end", "c": "end", "d": "end" } }
    },
    "ask-name": {
      "message": "Name?",
      "transitions": { "keywords": { "yes|ndiyo": "end" }, "default": "end" }
    },
    "end": { "message": "Bye" }
  }
}
`;

describe('issue paths', () => {
  it('splits dotted keys, indexes and bracketed JSON keys', () => {
    assert.deepEqual(parseIssuePath('states.menu.message.buttons[3]'), ['states', 'menu', 'message', 'buttons', 3]);
    assert.deepEqual(parseIssuePath('states["ask-name"].transitions.keywords["yes|ndiyo"]'), ['states', 'ask-name', 'transitions', 'keywords', 'yes|ndiyo']);
    assert.deepEqual(parseIssuePath('states["a]b"].x'), ['states', 'a]b', 'x']);
    assert.deepEqual(parseIssuePath(''), []);
    assert.deepEqual(parseIssuePath('initial_state'), ['initial_state']);
  });

  it('drops the leading "states" in a map-shaped flow and lands on the key', () => {
    const document = new FlowDocument(MAP_FLOW);
    const located = locateIssuePath(document.root, 'states.ordering.transitions.default');
    const range = document.lines.range(located.offset, located.length);
    assert.equal(located.exact, true);
    assert.deepEqual(range, { start: { line: 10, character: 21 }, end: { line: 10, character: 30 } });
    assert.equal(textAt(MAP_FLOW, range), '"default"');
  });

  it('keeps "states" in the wrapped shape, and finds bracketed keys and array elements', () => {
    const document = new FlowDocument(WRAPPED_FLOW);
    const keyword = locateIssuePath(document.root, 'states["ask-name"].transitions.keywords["yes|ndiyo"]');
    const keywordRange = document.lines.range(keyword.offset, keyword.length);
    assert.equal(textAt(WRAPPED_FLOW, keywordRange), '"yes|ndiyo"');
    assert.equal(keywordRange.start.line, 19);
    const button = locateIssuePath(document.root, 'states.start.message.buttons[3]');
    const buttonRange = document.lines.range(button.offset, button.length);
    assert.equal(buttonRange.start.line, 12);
    assert.equal(textAt(WRAPPED_FLOW, buttonRange), '{ "id": "d", "title": "This title is far too long for WhatsApp" }');
  });

  it('a path beyond the file falls back to its nearest ancestor and says it is not exact', () => {
    const document = new FlowDocument(MAP_FLOW);
    const located = locateIssuePath(document.root, 'states.helping.transitions.default');
    assert.equal(located.exact, false);
    assert.equal(textAt(MAP_FLOW, document.lines.range(located.offset, located.length)), '"helping"');
  });
});

describe('flow diagnostics', () => {
  it('puts every validator issue of a map-shaped flow on its line: an unknown target on its value, the others on their key', () => {
    const problems = flowProblems(MAP_FLOW);
    const unknown = problems.find((problem) => problem.code === 'unknown-state');
    assert.ok(unknown);
    assert.equal(unknown.severity, 'error');
    assert.equal(unknown.missingState, 'nowhere');
    assert.equal(unknown.range.start.line, 10);
    assert.equal(textAt(MAP_FLOW, unknown.range), '"nowhere"');

    const unreachable = problems.find((problem) => problem.code === 'unreachable-state');
    assert.ok(unreachable);
    assert.equal(unreachable.severity, 'warning');
    assert.equal(unreachable.range.start.line, 13);
    assert.equal(textAt(MAP_FLOW, unreachable.range), '"orphan"');
  });

  it('flags a state with triggers and no default on its "transitions" key', () => {
    const text = `{\n  "a": {\n    "message": "x",\n    "transitions": { "keywords": { "go": "b" } }\n  },\n  "b": { "message": "y" }\n}\n`;
    const problem = flowProblems(text).find((candidate) => candidate.code === 'no-fallback');
    assert.ok(problem);
    assert.equal(problem.range.start.line, 3);
    assert.equal(textAt(text, problem.range), '"transitions"');
  });

  it('reports WhatsApp limits on the offending button and title', () => {
    const problems = flowProblems(WRAPPED_FLOW).filter((problem) => problem.code === 'whatsapp-limit');
    assert.ok(problems.length >= 2, `two WhatsApp warnings, got ${JSON.stringify(problems)}`);
    const tooMany = problems.find((problem) => problem.path === 'states.start.message.buttons[3]');
    assert.ok(tooMany);
    assert.equal(tooMany.range.start.line, 12);
    const longTitle = problems.find((problem) => problem.path === 'states.start.message.buttons[3].title');
    assert.ok(longTitle);
    assert.equal(textAt(WRAPPED_FLOW, longTitle.range), '"title"');
    assert.equal(longTitle.range.start.line, 12);
  });

  it('an unknown initial state is an error on the value of "initial_state"', () => {
    const text = `{\n  "initial_state": "begin",\n  "states": { "start": { "message": "Hi" } }\n}\n`;
    const problem = flowProblems(text).find((candidate) => candidate.code === 'unknown-initial-state');
    assert.ok(problem);
    assert.equal(problem.missingState, 'begin');
    assert.equal(problem.range.start.line, 1);
    assert.equal(textAt(text, problem.range), '"begin"');
  });

  it('a flow with no states gets an error at the top, not a crash', () => {
    const problems = flowProblems('{\n  "states": {}\n}\n');
    assert.equal(problems[0]?.code, 'no-states');
    assert.equal(problems[0]?.range.start.line, 1);
  });

  it('invalid JSON is a syntax diagnostic where the parser stopped', () => {
    const text = `{\n  "a": { "message": "x" }\n  "b": { "message": "y" }\n}\n`;
    const problems = flowProblems(text);
    assert.equal(problems.length >= 1, true);
    assert.equal(problems[0]?.code, 'syntax');
    assert.equal(problems[0]?.severity, 'error');
    assert.match(problems[0]?.message ?? '', /^Not valid JSON: comma expected/);
    assert.equal(problems[0]?.range.start.line, 2);
  });

  it('comments and an empty file are syntax errors too', () => {
    assert.match(flowProblems('{ // hi\n}')[0]?.message ?? '', /comments are not allowed/);
    assert.equal(flowProblems('')[0]?.code, 'syntax');
  });

  it('a valid flow has no problems', () => {
    const text = `{\n  "a": { "message": "x", "transitions": { "default": "b" } },\n  "b": { "message": "y" }\n}\n`;
    assert.deepEqual(flowProblems(text), []);
  });

  it("places Sarufi's own issues, noting a path the file does not have", () => {
    const document = new FlowDocument(MAP_FLOW);
    const placed = placeIssues(document, {
      errors: [{ path: 'states.greet.transitions.keywords', message: 'Remote says no.' }],
      warnings: [{ path: 'states.helping.actions[2]', message: 'Remote warning.' }],
    });
    assert.equal(placed[0]?.severity, 'error');
    assert.equal(textAt(MAP_FLOW, placed[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), '"keywords"');
    assert.equal(placed[1]?.severity, 'warning');
    assert.equal(placed[1]?.message, 'Remote warning. (at states.helping.actions[2])');
    assert.equal(placed[1]?.range.start.line, 12);
  });
});

describe('create-state quick fix', () => {
  const formatting = { tabSize: 2, insertSpaces: true, eol: '\n' };

  it('adds the missing state at the top level of a map-shaped flow, and the error goes', () => {
    const edits = createStateEdits(MAP_FLOW, 'nowhere', formatting);
    assert.ok(edits.length > 0);
    const fixed = applyEdits(MAP_FLOW, edits);
    const result = validateFlow(JSON.parse(fixed));
    assert.equal(result.errors.length, 0, JSON.stringify(result.errors));
    assert.ok(new FlowDocument(fixed).state('nowhere'));
    assert.match(fixed, /\n {2}"nowhere": \{\n {4}"message": /, 'indented like the rest of the file');
  });

  it('adds it under "states" in the wrapped shape', () => {
    const text = `{\n  "states": {\n    "a": { "message": "x", "transitions": { "default": "b" } }\n  }\n}\n`;
    const fixed = applyEdits(text, createStateEdits(text, 'b', formatting));
    const parsed = JSON.parse(fixed) as { states: Record<string, unknown> };
    assert.deepEqual(Object.keys(parsed.states), ['a', 'b']);
    assert.equal(validateFlow(parsed).errors.length, 0);
  });

  it('does nothing when the state exists or the file is not JSON', () => {
    assert.deepEqual(createStateEdits(MAP_FLOW, 'greet', formatting), []);
    assert.deepEqual(createStateEdits('{ "a": ', 'b', formatting), []);
  });
});

describe('closest names (did you mean)', () => {
  it('offers the states a typo most likely meant, closest first, at most three', () => {
    const known = ['main_menu', 'opening_hours', 'opening_days', 'order', 'orders', 'order_status', 'goodbye'];
    assert.deepEqual(closestNames('opening_hourz', known), ['opening_hours']);
    assert.deepEqual(closestNames('orderz', known), ['order', 'orders'], 'closest first');
    assert.deepEqual(closestNames('Main-Menu', known), ['main_menu'], 'case, "-" and "_" count as the same spelling');
    assert.equal(closestNames('orderz', ['order', 'orders', 'ordered', 'border', 'orderx']).length, 3, 'no more than three');
  });

  it('offers nothing for a name far from every state, nor the name itself', () => {
    assert.deepEqual(closestNames('checkout', ['greet', 'menu', 'goodbye']), []);
    assert.deepEqual(closestNames('menu', ['menu']), []);
  });

  it('closestStates reads the state names of a map-shaped flow, leaving metadata keys out, and nothing of text that does not parse', () => {
    const text = '{ "name": "Bot", "greet": { "message": "Hi" }, "grete": { "message": "x" } }';
    assert.deepEqual(closestStates(text, 'greett'), ['greet', 'grete'], 'one letter off before two');
    assert.deepEqual(closestStates(text, 'nam'), []);
    assert.deepEqual(closestStates('{ "greet": ', 'gret'), []);
  });
});

describe('preview marks', () => {
  it('marks the initial state once the session greeted, then each state reached', () => {
    const before = previewProgress(MAP_FLOW, { started: false, trail: [] });
    assert.equal(before.current, null);
    assert.deepEqual(before.notVisited, ['greet', 'ordering', 'helping', 'orphan']);

    const after = previewProgress(MAP_FLOW, { started: true, trail: ['ordering'] });
    assert.equal(after.current, 'ordering');
    assert.deepEqual(after.visited, ['greet', 'ordering']);
    assert.deepEqual(after.notVisited, ['helping', 'orphan']);
    const ordering = after.states.find((state) => state.name === 'ordering');
    assert.equal(ordering?.mark, 'current');
    assert.equal(ordering?.keyRange.start.line, 8);
    assert.equal(after.states.find((state) => state.name === 'greet')?.mark, 'visited');
  });

  it('uses initial_state, and ignores metadata keys and states the file no longer has', () => {
    const progress = previewProgress(WRAPPED_FLOW, { started: true, trail: ['renamed-away'] });
    assert.deepEqual(
      progress.states.map((state) => state.name),
      ['start', 'ask-name', 'end'],
    );
    assert.equal(progress.current, 'renamed-away');
    assert.deepEqual(progress.visited, ['start']);
  });
});

describe('remote flows', () => {
  const flow = (definition: unknown, updatedAt?: string): Flow => ({
    id: 'F1',
    chatbot_id: 'C1',
    name: 'Main',
    type: 'conversation',
    status: 'draft',
    created_at: '2026-01-01T00:00:00Z',
    flow: definition as Flow['flow'],
    ...(updatedAt ? { updated_at: updatedAt } : {}),
  });

  it('a changed updated_at means someone else wrote the flow', () => {
    const base = baseOf(flow({ a: { message: 'x' } }, '2026-01-01T00:00:00Z'));
    assert.equal(remoteChangedSince(base, flow({ a: { message: 'x' } }, '2026-01-01T00:00:00Z')), false);
    assert.equal(remoteChangedSince(base, flow({ a: { message: 'x' } }, '2026-01-02T00:00:00Z')), true);
  });

  it('without updated_at the content decides, whatever the key order', () => {
    const base = baseOf(flow({ a: { message: 'x', transitions: {} } }));
    assert.equal(remoteChangedSince(base, flow({ a: { transitions: {}, message: 'x' } })), false);
    assert.equal(remoteChangedSince(base, flow({ a: { message: 'y', transitions: {} } })), true);
    assert.notEqual(definitionHash([1, 2]), definitionHash([2, 1]));
  });

  it('flow text is two-space JSON with a final newline; bad text gets a clear message', () => {
    assert.equal(flowText({ a: 1 }), '{\n  "a": 1\n}\n');
    const bad = parseFlowText('{ "a": ');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /^The flow is not valid JSON/);
    const list = parseFlowText('[]');
    assert.equal(list.ok, false);
    assert.deepEqual(parseFlowText('{"a":{}}'), { ok: true, definition: { a: {} } });
  });

  it('pulled file names are safe', () => {
    assert.equal(flowFileName('Pizza Bahari / main'), 'Pizza-Bahari-main.flow.json');
    assert.equal(flowFileName('   '), 'flow.flow.json');
    assert.equal(flowFileName('Karibu_ndiyo'), 'Karibu_ndiyo.flow.json');
  });
});

describe('line index', () => {
  it('counts CRLF and lone CR line ends', () => {
    const index = new LineIndex('a\r\nbc\rd');
    assert.deepEqual(index.position(3), { line: 1, character: 0 });
    assert.deepEqual(index.position(6), { line: 2, character: 0 });
    assert.deepEqual(index.position(99), { line: 2, character: 1 });
  });
});

describe('preview marks after a greeting', () => {
  it("counts the states an 'always' chain passes through before the first answer", () => {
    const text = `{\n  "welcome": { "message": "Hi", "transitions": { "always": "menu" } },\n  "menu": { "message": "Pick", "transitions": { "keywords": { "a": "end" }, "default": "menu" } },\n  "end": { "message": "Bye" }\n}\n`;
    const progress = previewProgress(text, { started: true, trail: [] });
    assert.equal(progress.current, 'menu');
    assert.deepEqual(progress.visited, ['welcome', 'menu']);
    assert.deepEqual(progress.notVisited, ['end']);
  });

  it('stops at a state with actions, which may route anywhere', () => {
    const text = `{\n  "welcome": { "actions": [{ "type": "CONDITION", "if": "true", "then": "end" }], "message": "Hi", "transitions": { "always": "menu" } },\n  "menu": { "message": "Pick" },\n  "end": { "message": "Bye" }\n}\n`;
    const progress = previewProgress(text, { started: true, trail: [] });
    assert.equal(progress.current, 'welcome');
  });
});
