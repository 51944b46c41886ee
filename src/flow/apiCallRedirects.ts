// API_CALL redirects, followed by hand: fetch drops only Authorization when a redirect leaves the
// origin, so an integration's X-Api-Key (or any header a flow sets) would follow it anywhere.
import { dropsBodyOnRedirect, REDIRECT_STATUSES } from '../sarufi/transport.js';

export const MAX_API_CALL_REDIRECTS = 5;
/** All a request keeps when a redirect takes it to another origin. */
const CROSS_ORIGIN_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-type']);

export interface ApiCallRequest {
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal;
}

/** The final answer; throws on a redirect without a usable Location or past the hop limit. */
export async function fetchFollowingRedirects(fetcher: typeof fetch, url: string, request: ApiCallRequest): Promise<Response> {
  let current = new URL(url);
  let { method, body } = request;
  const headers = new Headers(request.headers);
  for (let hops = 0; ; hops += 1) {
    const response = await fetcher(current, { method, headers, body, signal: request.signal, redirect: 'manual' });
    if (!REDIRECT_STATUSES.has(response.status)) {
      return response;
    }
    const location = response.headers.get('location');
    if (location === null || hops >= MAX_API_CALL_REDIRECTS) {
      throw new Error(location === null ? `HTTP ${response.status} redirect without a Location.` : `More than ${MAX_API_CALL_REDIRECTS} redirects.`);
    }
    const next = new URL(location, current);
    if (next.origin !== current.origin) {
      const leaving: string[] = [];
      headers.forEach((_value, name) => {
        if (!CROSS_ORIGIN_HEADERS.has(name)) {
          leaving.push(name);
        }
      });
      leaving.forEach((name) => headers.delete(name));
    }
    if (dropsBodyOnRedirect(response.status, method)) {
      method = 'GET';
      body = undefined;
      headers.delete('content-type');
    }
    current = next;
  }
}
