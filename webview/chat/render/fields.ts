// Checks a message's fields at runtime: the host's parser should have caught a bad shape, but the
// page must not trust data that arrived through postMessage. A failed check throws, and the message
// dispatcher turns the throw into a labelled raw block.

export function expectString(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new TypeError(`field '${field}' is not a string`);
  }
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  return expectString(value, field);
}

export function expectArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`field '${field}' is not a list`);
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectRecord(value: unknown, field: string): Record<string, unknown> {
  if (!isRecord(value)) {
    throw new TypeError(`'${field}' is not an object`);
  }
  return value;
}
