// Reading JSON text without parsing it: the characters outside its strings, for the sandbox's
// nesting check and the editor's issue paths (`regex["^(a+)+$"]`).

/**
 * Calls `visit` with each index of `text` from `from` on whose character is outside a JSON string
 * (quotes excluded); stops at the first index for which it returns true and returns it, else -1.
 */
export function scanOutsideStrings(text: string, from: number, visit: (char: string) => boolean): number {
  let inString = false;
  for (let index = from; index < text.length; index += 1) {
    const char = text[index] ?? '';
    if (inString) {
      if (char === '\\') {
        index += 1;
      } else if (char === '"') {
        inString = false;
      }
    } else if (char === '"') {
      inString = true;
    } else if (visit(char)) {
      return index;
    }
  }
  return -1;
}
