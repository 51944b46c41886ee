// Flow shapes that stress the validator, shared by its bench and its scaling test.

/** `size` states, each with buttons to the next and a default back to the first. */
export function wideFlow(size: number): unknown {
  const states: Record<string, unknown> = {};
  for (let index = 0; index < size; index += 1) {
    states[`s${index}`] = { message: 'Pick', transitions: { buttons: { next: `s${(index + 1) % size}` }, default: 's0' } };
  }
  return { states };
}

/** A chain of `size` states joined by 'always', the last one an end state. */
export function alwaysChain(size: number): unknown {
  const states: Record<string, unknown> = {};
  for (let index = 0; index < size; index += 1) {
    states[`s${index}`] = index + 1 < size ? { message: 'On', transitions: { always: `s${index + 1}` } } : { message: 'End' };
  }
  return { states };
}
