// Chat from here's prefilled variables: every `{{…}}` a flow file uses, as an empty string, or as
// nested objects and arrays for a path like `{{variables.order.items[0].name}}`, so the author
// sees what a state may read and fills in only what matters.
import { placeholderPaths, stringsIn, variablePath } from '../flow/template.js';
import type { Variables } from '../flow/template.js';

/** Names the flow language gives itself: the sandbox sets these, so they are not the author's to fill. */
const BUILT_INS = new Set(['contact_name', 'response']);

export function startVariables(flow: unknown): Variables {
  const variables: Variables = {};
  for (const path of stringsIn(flow).flatMap(placeholderPaths)) {
    const steps = variablePath(path);
    const root = steps[0];
    if (root === undefined || BUILT_INS.has(root)) {
      continue;
    }
    place(variables, steps);
  }
  return variables;
}

/** Sets an empty string at the path's end, making the containers on the way; a value already there wins. */
function place(container: Record<string, unknown> | unknown[], steps: readonly string[]): void {
  const [step, ...rest] = steps;
  if (step === undefined) {
    return;
  }
  const slot = (Array.isArray(container) ? container[Number(step)] : container[step]) as unknown;
  const next = rest[0];
  if (next === undefined) {
    if (slot === undefined) {
      assign(container, step, '');
    }
    return;
  }
  const wanted = /^\d+$/.test(next) ? 'array' : 'object';
  const fits = wanted === 'array' ? Array.isArray(slot) : slot !== null && typeof slot === 'object' && !Array.isArray(slot);
  // A path that goes deeper than one seen before (`{{user}}` then `{{user.name}}`) makes it a container.
  const inner = fits ? (slot as Record<string, unknown> | unknown[]) : wanted === 'array' ? [] : {};
  assign(container, step, inner);
  place(inner, rest);
}

function assign(container: Record<string, unknown> | unknown[], step: string, value: unknown): void {
  if (Array.isArray(container)) {
    // Holes before the index read as empty strings rather than `null` in the form's JSON.
    while (container.length < Number(step)) {
      container.push('');
    }
    container[Number(step)] = value;
  } else {
    container[step] = value;
  }
}
