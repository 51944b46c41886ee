// `{{variables.key}}` placeholders: in messages, API paths, headers and bodies.
export type Variables = Record<string, unknown>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([^{}]*?)\s*\}\}$/;

/**
 * The steps of a placeholder path, `variables.` dropped: `variables.order.items[0].name` (the
 * bracket spelling that Sarufi's api-call.mdx documents), the shorthand `order.items[0].name` and
 * `order.items.0.name` all give `order, items, 0, name`, so the documented built-ins
 * (`contact_name`, `response`) and answers stored under a state's name (`{{ask_name}}`) read
 * either way.
 */
export function variablePath(path: string): string[] {
  const steps = [...path.trim().matchAll(/\[\s*(\d+)\s*\]|[^.[\]]+/g)].map((match) => match[1] ?? match[0]);
  return steps[0] === 'variables' ? steps.slice(1) : steps;
}

export function lookupVariable(variables: Variables, path: string): unknown {
  const parts = variablePath(path);
  if (parts.length === 0) {
    // `{{variables}}` or `{{}}` would otherwise dump every variable into a message.
    return undefined;
  }
  let value: unknown = variables;
  for (const part of parts) {
    if (Array.isArray(value)) {
      value = /^\d+$/.test(part) ? value[Number(part)] : undefined;
    } else if (typeof value === 'object' && value !== null && Object.hasOwn(value, part)) {
      value = (value as Record<string, unknown>)[part];
    } else {
      return undefined;
    }
  }
  return value;
}

/** The variable a placeholder path starts from (`variables.orders[0].id` → `orders`). */
export function variableRoot(path: string): string {
  return variablePath(path)[0] ?? '';
}

/** One step of a placeholder path, as variablePath reads them. */
const STEP = /\[\s*(\d+)\s*\]|[^.[\]]+/g;

/**
 * The variable a path starts from and where its name sits in the path (`variables.orders[0]` →
 * `orders` at 10): variableRoot's answer, found without splitting the whole path, since the editor
 * asks it of every placeholder in a flow.
 */
export function variableRootSpan(path: string): { name: string; start: number } | null {
  const trimmed = path.trimEnd();
  STEP.lastIndex = trimmed.length - trimmed.trimStart().length;
  let step = STEP.exec(trimmed);
  if (step && step[1] === undefined && step[0] === 'variables') {
    step = STEP.exec(trimmed);
  }
  if (!step) {
    return null;
  }
  const digits = step[1];
  return digits === undefined ? { name: step[0], start: step.index } : { name: digits, start: step.index + step[0].indexOf(digits) };
}

/** How a value reads inside text: missing values are empty, objects are JSON. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/**
 * The most characters one rendered value (a message, an API body, a URL) may hold. A few
 * placeholders of a long answer, repeated, would otherwise grow a small flow into megabytes.
 */
export const MAX_RENDERED_CHARS = 100_000;

export class TemplateTooLargeError extends Error {
  constructor() {
    super(
      `A template expanded to more than ${MAX_RENDERED_CHARS} characters; ` +
        'use fewer or shorter placeholders in this message or API call.',
    );
    this.name = 'TemplateTooLargeError';
  }
}

export function renderTemplate(
  template: string,
  variables: Variables,
  encode: (text: string) => string = (text) => text,
): string {
  let length = template.length;
  return template.replace(PLACEHOLDER, (match, path: string) => {
    const text = encode(textOf(lookupVariable(variables, path)));
    length += text.length - match.length;
    if (length > MAX_RENDERED_CHARS) {
      throw new TemplateTooLargeError();
    }
    return text;
  });
}

/** Renders every string inside a value, counting what the strings add up to against the bound. */
function mapStrings(value: unknown, render: (text: string) => unknown): unknown {
  let rendered = 0;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      const out = render(item);
      rendered += typeof out === 'string' ? out.length : 0;
      if (rendered > MAX_RENDERED_CHARS) {
        throw new TemplateTooLargeError();
      }
      return out;
    }
    if (Array.isArray(item)) {
      return item.map(walk);
    }
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(Object.entries(item).map(([key, child]) => [key, walk(child)]));
    }
    return item;
  };
  return walk(value);
}

/** Renders every string inside a JSON value as text (messages: every field stays a string). */
export function renderTextDeep(value: unknown, variables: Variables): unknown {
  return mapStrings(value, (text) => renderTemplate(text, variables));
}

/**
 * Renders every string inside a JSON value. A string that is exactly one placeholder takes the
 * variable's own value, so an API body's `"qty": "{{variables.qty}}"` can stay a number or an
 * object.
 */
export function renderDeep(value: unknown, variables: Variables): unknown {
  return mapStrings(value, (text) => {
    const whole = WHOLE_PLACEHOLDER.exec(text);
    return whole ? (lookupVariable(variables, whole[1] ?? '') ?? null) : renderTemplate(text, variables);
  });
}

/** A placeholder inside a template: its path as written, and where that path sits in the template. */
export interface PlaceholderSpan {
  path: string;
  /** Index in the template of the path's first character (after `{{` and any spaces). */
  start: number;
}

/** Every placeholder of a string with its place (for the editor: go to a variable, rename what reads it). */
export function placeholderSpans(template: string): PlaceholderSpan[] {
  const spans: PlaceholderSpan[] = [];
  // The shared /g pattern: exec keeps its place in lastIndex, so it starts from 0 and runs to the end here.
  PLACEHOLDER.lastIndex = 0;
  for (let match = PLACEHOLDER.exec(template); match; match = PLACEHOLDER.exec(template)) {
    let start = match.index + 2;
    while (/\s/.test(template.charAt(start))) {
      start += 1;
    }
    spans.push({ path: match[1] ?? '', start });
  }
  return spans;
}

/** The placeholder paths inside a string (for the validator's "never set" check). */
export function placeholderPaths(template: string): string[] {
  return placeholderSpans(template).map((span) => span.path);
}

export function hasPlaceholder(text: string): boolean {
  return placeholderPaths(text).length > 0;
}

/** Every string inside a JSON value (for checks that walk bodies and headers). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(stringsIn);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).flatMap(stringsIn);
  }
  return [];
}
