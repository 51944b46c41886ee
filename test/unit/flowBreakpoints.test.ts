// Where a breakpoint in a flow file stops (src/flows/flowBreakpoints.ts): a state's key, an action,
// a transition; every other line is unverified with the reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowBreakpointMap } from '../../src/flows/flowBreakpoints.js';
import { hitConditionMet } from '../../src/flow/debugRuntime.js';

const TEXT = `{
  "name": "Breakpoints",
  "states": {
    "menu": {
      "message": "Pick",
      "actions": [
        { "type": "CONDITION", "if": "{{variables.vip}} == true", "then": "vip", "else": "plain" },
        {
          "type": "API_CALL",
          "url": "https://example.com/x",
          "method": "GET"
        }
      ],
      "transitions": {
        "keywords": { "yes": "vip", "no": "plain" },
        "default": "menu"
      }
    },
    "vip": { "message": "VIP", "transitions": { "always": "menu" } },
    "plain": { "message": "Plain" }
  }
}
`;
const lineOf = (text: string): number => TEXT.split('\n').findIndex((line) => line.includes(text));

describe('breakpoint places in a flow file', () => {
  const map = new FlowBreakpointMap(TEXT);

  it("a state's key is the state", () => {
    assert.deepEqual(map.locate(lineOf('"menu": {')), { verified: true, kind: 'state', path: 'states.menu', line: lineOf('"menu": {'), label: "state 'menu'" });
  });

  it('a one-line CONDITION is the action, not its then/else transitions', () => {
    const located = map.locate(lineOf('"CONDITION"'));
    assert.equal(located.verified && located.kind, 'action');
    assert.equal(located.verified && located.path, 'states.menu.actions[0]');
  });

  it("a line inside an action (its url) is that action, at the action's first line", () => {
    const located = map.locate(lineOf('"url"'));
    assert.ok(located.verified);
    assert.equal(located.path, 'states.menu.actions[1]');
    assert.equal(located.line, lineOf('"type": "API_CALL"') - 1);
  });

  it('a line with two keyword transitions stands for both', () => {
    assert.deepEqual(
      map.placesOn(lineOf('"yes": "vip"')).map((place) => place.path),
      ['states.menu.transitions.keywords.yes', 'states.menu.transitions.keywords.no'],
    );
  });

  it('a one-line state is the state, not its transition', () => {
    assert.equal(map.placesOn(lineOf('"vip": {'))[0]?.kind, 'state');
  });

  it('any other line is unverified, with the reason', () => {
    const located = map.locate(lineOf('"name"'));
    assert.equal(located.verified, false);
    assert.match(located.verified ? '' : located.message, /state's key/);
  });

  it('a file that is not JSON has no places, and says so', () => {
    const located = new FlowBreakpointMap('{ "menu": ').locate(0);
    assert.equal(located.verified, false);
    assert.match(located.verified ? '' : located.message, /not valid JSON/);
  });

  it('lineOf gives the Call Stack its lines', () => {
    assert.equal(map.lineOf('states.plain'), lineOf('"plain": {'));
  });
});

describe('hit conditions', () => {
  it('3 and >= 3 stop from the third hit, == 3 only on it, % 2 on every second', () => {
    assert.deepEqual([1, 2, 3, 4].map((hits) => hitConditionMet('3', hits)), [false, false, true, true]);
    assert.deepEqual([1, 2, 3, 4].map((hits) => hitConditionMet('>= 3', hits)), [false, false, true, true]);
    assert.deepEqual([1, 2, 3, 4].map((hits) => hitConditionMet('== 3', hits)), [false, false, true, false]);
    assert.deepEqual([1, 2, 3, 4].map((hits) => hitConditionMet('% 2', hits)), [false, true, false, true]);
  });

  it('words are refused with what to write', () => {
    assert.throws(() => hitConditionMet('often', 1), /not a hit count/);
  });
});
