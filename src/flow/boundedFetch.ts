// The fetch behind every API_CALL: a backend, or a flow pointed at the wrong URL, cannot make the
// engine buffer an endless answer, wait forever or follow a redirect loop.

/** An answer larger than this fails the call (the flow takes its failure_transition). */
export const MAX_API_ANSWER_BYTES = 1024 * 1024;
/** Redirects one API_CALL follows before it fails. */
export const MAX_API_REDIRECTS = 5;
/** No call waits longer than this, whatever its `timeout_ms` says. */
export const MAX_API_CALL_MS = 60_000;

export interface FetchLimits {
  maxAnswerBytes: number;
  maxRedirects: number;
  maxCallMs: number;
}

const DEFAULT_LIMITS: FetchLimits = {
  maxAnswerBytes: MAX_API_ANSWER_BYTES,
  maxRedirects: MAX_API_REDIRECTS,
  maxCallMs: MAX_API_CALL_MS,
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Fails the reading of a body as soon as it passes `maxBytes`, without holding the rest. */
function limitBody(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) {
          controller.error(new Error(`the answer is larger than ${maxBytes} bytes, the sandbox's limit for an API_CALL`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

function refuse(message: string): never {
  throw new Error(message);
}

/** A fetch with the limits above, on top of `base` (the global fetch unless a test gives one). */
export function createBoundedFetch(base: typeof fetch = (input, init) => fetch(input, init), limits: Partial<FetchLimits> = {}): typeof fetch {
  const { maxAnswerBytes, maxRedirects, maxCallMs } = { ...DEFAULT_LIMITS, ...limits };
  return async (input, init = {}) => {
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(maxCallMs)]) : AbortSignal.timeout(maxCallMs);
    let url = new URL(input instanceof Request ? input.url : String(input));
    let method = init.method ?? 'GET';
    let body = init.body;
    for (let redirects = 0; ; redirects += 1) {
      const response = await base(url, { ...init, method, body, signal, redirect: 'manual' });
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) {
        const declared = Number(response.headers.get('content-length') ?? '0');
        if (declared > maxAnswerBytes) {
          await response.body?.cancel();
          refuse(`the answer is larger than ${maxAnswerBytes} bytes, the sandbox's limit for an API_CALL`);
        }
        // 204, 205 and 304 must not be given a body, not even an empty stream.
        const limited = response.body && ![204, 205, 304].includes(response.status) ? limitBody(response.body, maxAnswerBytes) : null;
        return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
      }
      await response.body?.cancel();
      if (redirects >= maxRedirects) {
        refuse(`more than ${maxRedirects} redirects (last to ${location})`);
      }
      url = new URL(location, url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        refuse(`a redirect to ${url.protocol} is not followed`);
      }
      // As browsers do: 303, and 301/302 after a POST, go on as a GET without the body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
    }
  };
}

export const boundedFetch: typeof fetch = createBoundedFetch();
