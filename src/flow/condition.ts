// The CONDITION action's small expression language. Parsed, never eval'd: a flow file is data,
// and a user's answer inside a variable must never become code.
//
//   expr    := or
//   or      := and (("or" | "||") and)*
//   and     := unary (("and" | "&&") unary)*
//   unary   := ("not" | "!") unary | "exists" primary | primary (compare primary)?
//   compare := "==" | "!=" | ">" | "<" | ">=" | "<=" | "contains"
//   primary := "(" expr ")" | {{variables.path}} | 'text' | "text" | number | true | false | null
import { lookupVariable, placeholderSpans, textOf } from './template.js';
import type { PlaceholderSpan, Variables } from './template.js';

export type CompareOp = '==' | '!=' | '>' | '<' | '>=' | '<=' | 'contains';

export type ConditionExpr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'variable'; path: string }
  | { kind: 'not'; operand: ConditionExpr }
  | { kind: 'exists'; operand: ConditionExpr }
  | { kind: 'and' | 'or'; left: ConditionExpr; right: ConditionExpr }
  | { kind: 'compare'; op: CompareOp; left: ConditionExpr; right: ConditionExpr };

export class ConditionSyntaxError extends Error {}

type Token =
  | { kind: 'variable'; path: string; at: number; /** Where the path starts, after `{{` and spaces. */ start: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'symbol'; value: string; at: number }
  | { kind: 'word'; value: string; at: number };

const SYMBOLS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!', '(', ')'];
const WORDS = new Set(['and', 'or', 'not', 'exists', 'contains', 'true', 'false', 'null']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source.charAt(at);
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    if (source.startsWith('{{', at)) {
      const end = source.indexOf('}}', at);
      if (end < 0) {
        throw new ConditionSyntaxError(`Unclosed "{{" at position ${at}.`);
      }
      const inner = source.slice(at + 2, end);
      tokens.push({ kind: 'variable', path: inner.trim(), at, start: at + 2 + (inner.length - inner.trimStart().length) });
      at = end + 2;
      continue;
    }
    if (char === "'" || char === '"') {
      let value = '';
      let cursor = at + 1;
      while (cursor < source.length && source.charAt(cursor) !== char) {
        if (source.charAt(cursor) === '\\' && cursor + 1 < source.length) {
          cursor += 1;
        }
        value += source.charAt(cursor);
        cursor += 1;
      }
      if (cursor >= source.length) {
        throw new ConditionSyntaxError(`Unclosed text starting at position ${at}.`);
      }
      tokens.push({ kind: 'string', value, at });
      at = cursor + 1;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?/.exec(source.slice(at));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at });
      at += number[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, at));
    if (symbol) {
      tokens.push({ kind: 'symbol', value: symbol, at });
      at += symbol.length;
      continue;
    }
    if (char === '=') {
      throw new ConditionSyntaxError(`Use "==" to compare (position ${at}).`);
    }
    const word = /^[\p{L}\p{N}_.$]+/u.exec(source.slice(at));
    if (word && WORDS.has(word[0].toLowerCase())) {
      tokens.push({ kind: 'word', value: word[0].toLowerCase(), at });
      at += word[0].length;
      continue;
    }
    const found = word ? word[0] : char;
    throw new ConditionSyntaxError(
      `Unexpected "${found}" at position ${at}: write variables as {{variables.name}} and text in quotes.`,
    );
  }
  return tokens;
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): ConditionExpr {
    if (this.tokens.length === 0) {
      throw new ConditionSyntaxError('The condition is empty.');
    }
    const expression = this.or();
    const extra = this.tokens[this.index];
    if (extra) {
      throw new ConditionSyntaxError(`Unexpected "${this.describe(extra)}" at position ${extra.at}.`);
    }
    return expression;
  }

  private or(): ConditionExpr {
    let left = this.and();
    while (this.accept('or', '||')) {
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): ConditionExpr {
    let left = this.unary();
    while (this.accept('and', '&&')) {
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): ConditionExpr {
    if (this.accept('not', '!')) {
      return { kind: 'not', operand: this.unary() };
    }
    if (this.accept('exists')) {
      return { kind: 'exists', operand: this.primary() };
    }
    const left = this.primary();
    const op = this.accept('==', '!=', '>=', '<=', '>', '<', 'contains');
    if (op) {
      return { kind: 'compare', op: op as CompareOp, left, right: this.primary() };
    }
    return left;
  }

  private primary(): ConditionExpr {
    const token = this.tokens[this.index];
    if (!token) {
      throw new ConditionSyntaxError(`The condition ends too early: "${this.source}".`);
    }
    this.index += 1;
    switch (token.kind) {
      case 'variable':
        return { kind: 'variable', path: token.path };
      case 'string':
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'word':
        if (token.value === 'true' || token.value === 'false') {
          return { kind: 'literal', value: token.value === 'true' };
        }
        if (token.value === 'null') {
          return { kind: 'literal', value: null };
        }
        break;
      case 'symbol':
        if (token.value === '(') {
          const inner = this.or();
          if (!this.accept(')')) {
            throw new ConditionSyntaxError(`Missing ")" for "(" at position ${token.at}.`);
          }
          return inner;
        }
        break;
    }
    throw new ConditionSyntaxError(`Unexpected "${this.describe(token)}" at position ${token.at}.`);
  }

  private accept(...values: string[]): string | null {
    const token = this.tokens[this.index];
    if (token && (token.kind === 'symbol' || token.kind === 'word') && values.includes(token.value)) {
      this.index += 1;
      return token.value;
    }
    return null;
  }

  private describe(token: Token): string {
    switch (token.kind) {
      case 'variable':
        return `{{${token.path}}}`;
      case 'string':
        return `'${token.value}'`;
      default:
        return String(token.value);
    }
  }
}

export function parseCondition(source: string): ConditionExpr {
  return new Parser(tokenize(source), source).parse();
}

/** Numbers, and text that spells a number (answers arrive as text), compare as numbers. */
function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  return null;
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null;
}

function looselyEqual(left: unknown, right: unknown): boolean {
  const leftNumber = asNumber(left);
  const rightNumber = asNumber(right);
  if (leftNumber !== null && rightNumber !== null) {
    return leftNumber === rightNumber;
  }
  if (isMissing(left) || isMissing(right)) {
    return isMissing(left) && isMissing(right);
  }
  return textOf(left) === textOf(right);
}

function order(left: unknown, right: unknown): number | null {
  if (isMissing(left) || isMissing(right)) {
    return null;
  }
  const leftNumber = asNumber(left);
  const rightNumber = asNumber(right);
  if (leftNumber !== null && rightNumber !== null) {
    return leftNumber - rightNumber;
  }
  const leftText = textOf(left);
  const rightText = textOf(right);
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
}

function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) {
    return container.some((element) => looselyEqual(element, item));
  }
  if (typeof container === 'object' && container !== null) {
    return Object.hasOwn(container, textOf(item));
  }
  if (isMissing(container)) {
    return false;
  }
  // Text search in answers: case-insensitive, like keyword matching.
  return textOf(container).toLowerCase().includes(textOf(item).toLowerCase());
}

export function isTruthy(value: unknown): boolean {
  return !(isMissing(value) || value === false || value === 0 || value === '' || value === 'false');
}

function compare(op: CompareOp, left: unknown, right: unknown): boolean {
  switch (op) {
    case '==':
      return looselyEqual(left, right);
    case '!=':
      return !looselyEqual(left, right);
    case 'contains':
      return contains(left, right);
    default: {
      const difference = order(left, right);
      if (difference === null) {
        return false;
      }
      return op === '>' ? difference > 0 : op === '<' ? difference < 0 : op === '>=' ? difference >= 0 : difference <= 0;
    }
  }
}

function valueOf(expression: ConditionExpr, variables: Variables): unknown {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'variable':
      return lookupVariable(variables, expression.path);
    default:
      return evaluateCondition(expression, variables);
  }
}

export function evaluateCondition(expression: ConditionExpr, variables: Variables): boolean {
  switch (expression.kind) {
    case 'and':
      return evaluateCondition(expression.left, variables) && evaluateCondition(expression.right, variables);
    case 'or':
      return evaluateCondition(expression.left, variables) || evaluateCondition(expression.right, variables);
    case 'not':
      return !evaluateCondition(expression.operand, variables);
    case 'exists': {
      const value = valueOf(expression.operand, variables);
      return !isMissing(value) && value !== '';
    }
    case 'compare':
      return compare(expression.op, valueOf(expression.left, variables), valueOf(expression.right, variables));
    default:
      return isTruthy(valueOf(expression, variables));
  }
}

/** The variable paths an expression reads (for the validator's "never set" check). */
export function conditionVariables(expression: ConditionExpr): string[] {
  switch (expression.kind) {
    case 'variable':
      return [expression.path];
    case 'literal':
      return [];
    case 'not':
    case 'exists':
      return conditionVariables(expression.operand);
    default:
      return [...conditionVariables(expression.left), ...conditionVariables(expression.right)];
  }
}

/**
 * Where each variable of a condition's source sits (for the editor). A condition that does not
 * tokenize is still read for its `{{…}}` placeholders, so an author mid-edit keeps go-to and rename.
 */
export function conditionVariableSpans(source: string): PlaceholderSpan[] {
  try {
    return tokenize(source).flatMap((token) => (token.kind === 'variable' ? [{ path: token.path, start: token.start }] : []));
  } catch (error) {
    if (error instanceof ConditionSyntaxError) {
      return placeholderSpans(source);
    }
    throw error;
  }
}
