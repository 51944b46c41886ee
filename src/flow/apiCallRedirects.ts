// API_CALL redirects, followed by hand and only here (the engine's fetch hands every 3xx back):
// fetch drops only Authorization when a redirect leaves the origin, so an integration's X-Api-Key
// (or any header a flow sets) would follow it anywhere.
import { dropsBodyOnRedirect, MAX_REDIRECTS, REDIRECT_STATUSES, redirectTarget } from '../sarufi/redirects.js';
import { ApiCallRefusal } from './boundedFetch.js';

/** All a request keeps when a redirect takes it to another origin. */
const CROSS_ORIGIN_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-type']);

export interface ApiCallRequest {
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal;
}

/** The final answer; throws an ApiCallRefusal on a redirect without a usable http(s) Location or past the hop limit. */
export async function fetchFollowingRedirects(fetcher: typeof fetch, url: string, request: ApiCallRequest): Promise<Response> {
  let current = new URL(url);
  let { method, body } = request;
  const headers = new Headers(request.headers);
  for (let hops = 0; ; hops += 1) {
    const response = await fetcher(current, { method, headers, body, signal: request.signal, redirect: 'manual' });
    if (!REDIRECT_STATUSES.has(response.status)) {
      return response;
    }
    // Nobody reads a redirect's body; cancelling it frees the connection.
    await response.body?.cancel();
    const next = redirectTarget(current, response.headers.get('location'));
    if (next === null) {
      throw new ApiCallRefusal(`HTTP ${response.status} redirect without a usable Location.`);
    }
    if (hops >= MAX_REDIRECTS) {
      throw new ApiCallRefusal(`More than ${MAX_REDIRECTS} redirects (the last to ${next.origin}).`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new ApiCallRefusal(`A redirect to ${next.protocol} is not followed: only http(s).`);
    }
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
