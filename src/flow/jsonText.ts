// Reading JSON text without parsing it: the characters outside its strings, for the sandbox's
// nesting check and the editor's issue paths (`regex["^(a+)+$"]`).

/**
 * Calls `visit` with each index of `text` from `from` on whose character is outside a JSON string
 * (quotes excluded); stops at the first index for which it returns true and returns it, else -1.
 */
export function scanOutsideStrings(text: string, from: number, visit: (char: string) => boolean): number {
  for (let index = from; index < text.length; index += 1) {
    const char = text[index] ?? '';
    if (char === '"') {
      // Jump to the closing quote (the editor runs this on every keystroke, and strings are most of a flow).
      index = closingQuote(text, index);
      if (index === -1) {
        return -1;
      }
    } else if (visit(char)) {
      return index;
    }
  }
  return -1;
}

/** The index of the quote that closes the string opened at `open`, or -1 when the text ends inside it. */
function closingQuote(text: string, open: number): number {
  for (let from = open + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote === -1) {
      return -1;
    }
    // Only an odd run of backslashes right before it escapes a quote.
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === 92) {
      slashes += 1;
    }
    if (slashes % 2 === 0) {
      return quote;
    }
    from = quote + 1;
  }
}
