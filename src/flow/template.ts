// `{{variables.key}}` placeholders: in messages, API paths, headers and bodies.
export type Variables = Record<string, unknown>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([^{}]*?)\s*\}\}$/;

/**
 * The steps of a placeholder path: `variables.profile.orders[0].id` (the bracket spelling that
 * Sarufi's api-call.mdx documents) and `variables.profile.orders.0.id` both give
 * `variables`, `profile`, `orders`, `0`, `id`.
 */
function pathSteps(path: string): string[] {
  return [...path.trim().matchAll(/\[\s*(\d+)\s*\]|[^.[\]]+/g)].map((match) => match[1] ?? match[0]);
}

/**
 * `variables.order.items[0].name` and the shorthand `order.items[0].name` name the same value, so
 * the documented built-ins (`contact_name`, `response`) and answers stored under a state's name
 * (`{{ask_name}}`) work either way.
 */
export function lookupVariable(variables: Variables, path: string): unknown {
  const parts = pathSteps(path);
  if (parts[0] === 'variables') {
    parts.shift();
  }
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
  const parts = pathSteps(path);
  return (parts[0] === 'variables' ? parts[1] : parts[0]) ?? '';
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

export function renderTemplate(
  template: string,
  variables: Variables,
  encode: (text: string) => string = (text) => text,
): string {
  return template.replace(PLACEHOLDER, (_match, path: string) =>
    encode(textOf(lookupVariable(variables, path))),
  );
}

function mapStrings(value: unknown, render: (text: string) => unknown): unknown {
  if (typeof value === 'string') {
    return render(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => mapStrings(item, render));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, render)]));
  }
  return value;
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

/** The placeholder paths inside a string (for the validator's "never set" check). */
export function placeholderPaths(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
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
