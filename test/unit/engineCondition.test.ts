import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConditionSyntaxError, conditionVariables, evaluateCondition, parseCondition } from '../../src/flow/condition.js';

const variables = {
  qty: '12',
  size: 'large',
  zero: 0,
  empty: '',
  no: 'false',
  tags: ['vip', 'new'],
  order: { status: 'delivered', total: 25000, items: [{ name: 'Margherita' }] },
};

function check(source: string): boolean {
  return evaluateCondition(parseCondition(source), variables);
}

describe('CONDITION expressions', () => {
  it('compares text with == and != exactly', () => {
    assert.equal(check("{{variables.size}} == 'large'"), true);
    assert.equal(check('{{variables.size}} == "Large"'), false);
    assert.equal(check("{{variables.order.status}} != 'delivered'"), false);
  });

  it('compares numbers and numeric text as numbers', () => {
    assert.equal(check('{{variables.qty}} > 9'), true, '"12" > 9 numerically, though "12" < "9" as text');
    assert.equal(check('{{variables.qty}} == 12.0'), true);
    assert.equal(check('{{variables.order.total}} >= 25000'), true);
    assert.equal(check('{{variables.order.total}} < 25000'), false);
    assert.equal(check('{{variables.qty}} <= -1'), false);
  });

  it('orders non-numbers as text and never orders a missing value', () => {
    assert.equal(check("{{variables.size}} > 'apple'"), true);
    assert.equal(check('{{variables.missing}} < 5'), false);
    assert.equal(check('{{variables.missing}} > 5'), false);
  });

  it('contains: substring (case-insensitive), list element, object key', () => {
    assert.equal(check("{{variables.size}} contains 'ARG'"), true);
    assert.equal(check("{{variables.tags}} contains 'vip'"), true);
    assert.equal(check("{{variables.tags}} contains 'old'"), false);
    assert.equal(check("{{variables.order}} contains 'status'"), true);
    assert.equal(check("{{variables.missing}} contains 'x'"), false);
  });

  it('exists: set and not empty', () => {
    assert.equal(check('exists {{variables.order.items.0.name}}'), true);
    assert.equal(check('exists {{variables.empty}}'), false);
    assert.equal(check('exists {{variables.missing}}'), false);
    assert.equal(check('exists {{variables.zero}}'), true);
  });

  it('and, or, not, ! and parentheses, with and binding tighter than or', () => {
    assert.equal(check("{{variables.qty}} > 100 or {{variables.size}} == 'large' and exists {{variables.tags}}"), true);
    assert.equal(check("({{variables.qty}} > 100 or {{variables.size}} == 'large') AND not exists {{variables.tags}}"), false);
    assert.equal(check('!exists {{variables.missing}} && {{variables.qty}} == 12'), true);
    assert.equal(check('{{variables.qty}} > 100 || false'), false);
  });

  it('a bare value is truthy unless missing, false, 0, "" or "false"', () => {
    assert.equal(check('{{variables.size}}'), true);
    assert.equal(check('{{variables.zero}}'), false);
    assert.equal(check('{{variables.no}}'), false);
    assert.equal(check('{{variables.missing}}'), false);
    assert.equal(check('true'), true);
    assert.equal(check('null == {{variables.missing}}'), true);
  });

  it('reads text literals with escaped quotes', () => {
    assert.equal(evaluateCondition(parseCondition("{{variables.q}} == 'it\\'s'"), { q: "it's" }), true);
  });

  it('rejects anything that is not the small language (no code runs)', () => {
    for (const source of [
      '',
      'variables.size == 1',
      "{{variables.size}} = 'large'",
      'process.exit(1)',
      "{{variables.size}} == 'unclosed",
      '{{variables.size',
      '({{variables.qty}} > 1',
      '{{variables.qty}} > 1 2',
      'constructor',
    ]) {
      assert.throws(() => parseCondition(source), ConditionSyntaxError, `rejects ${JSON.stringify(source)}`);
    }
  });

  it('lists the variables an expression reads', () => {
    assert.deepEqual(conditionVariables(parseCondition("exists {{variables.a}} and ({{b.c}} == 'x' or not {{variables.d}})")), ['variables.a', 'b.c', 'variables.d']);
  });
});
