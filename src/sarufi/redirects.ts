// Redirect rules shared by the Sarufi client (src/sarufi/client.ts) and the sandbox's API_CALL
// (src/flow/apiCallRedirects.ts): both follow redirects by hand, so both must agree on what a
// redirect is, how many are followed and when the body is dropped.

/** The statuses that carry a Location to follow. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** How many redirects one request follows before it gives up. */
export const MAX_REDIRECTS = 5;

/** As fetch does: 303, and 301/302 after a POST, become a GET without a body. */
export function dropsBodyOnRedirect(status: number, method: string): boolean {
  return status === 303 || ((status === 301 || status === 302) && method === 'POST');
}

/** Where a redirect points, resolved against the URL that answered; null when it cannot be read. */
export function redirectTarget(from: string | URL, location: string | null): URL | null {
  if (location === null || location === '') {
    return null;
  }
  try {
    return new URL(location, from);
  } catch {
    return null;
  }
}
