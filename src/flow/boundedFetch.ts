// The fetch behind every API_CALL and LLM_AGENT: a backend, or a flow pointed at the wrong URL,
// cannot make the engine buffer an endless answer or wait forever. Redirects are apiCallRedirects.ts's concern.

/** An answer larger than this fails the call (the flow takes its failure_transition). */
export const MAX_API_ANSWER_BYTES = 1024 * 1024;
/**
 * The longest an API_CALL may wait: the most `timeout_ms` may say (flowReader, flow.schema.json)
 * and the cap on every call, so the wait a flow asks for is the wait it gets. Longer waits would
 * hold the session's queue for minutes.
 */
export const MAX_API_TIMEOUT_MS = 120_000;

/** A call the sandbox ended on one of its own bounds, not a network failure: the message says which. */
export class ApiCallRefusal extends Error {
  override name = 'ApiCallRefusal';
}

export interface FetchLimits {
  maxAnswerBytes: number;
  maxCallMs: number;
}

const DEFAULT_LIMITS: FetchLimits = {
  maxAnswerBytes: MAX_API_ANSWER_BYTES,
  maxCallMs: MAX_API_TIMEOUT_MS,
};

/** Fails the reading of a body as soon as it passes `maxBytes`, without holding the rest. */
function limitBody(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) {
          controller.error(tooLarge(maxBytes));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

function tooLarge(maxBytes: number): ApiCallRefusal {
  return new ApiCallRefusal(`The answer is larger than ${maxBytes} bytes, the sandbox's limit for one answer.`);
}

/**
 * A fetch with the limits above, on top of `base` (the global fetch unless a test gives one). It
 * never follows a redirect: it hands the 3xx back, so that apiCallRedirects.ts, the one owner of
 * redirects, decides which headers may go on to another origin.
 */
export function createBoundedFetch(base: typeof fetch = (input, init) => fetch(input, init), limits: Partial<FetchLimits> = {}): typeof fetch {
  const { maxAnswerBytes, maxCallMs } = { ...DEFAULT_LIMITS, ...limits };
  return async (input, init = {}) => {
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(maxCallMs)]) : AbortSignal.timeout(maxCallMs);
    const response = await base(input, { ...init, signal, redirect: 'manual' });
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxAnswerBytes) {
      await response.body?.cancel();
      throw tooLarge(maxAnswerBytes);
    }
    // 204, 205 and 304 must not be given a body, not even an empty stream.
    const limited = response.body && ![204, 205, 304].includes(response.status) ? limitBody(response.body, maxAnswerBytes) : null;
    return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export const boundedFetch: typeof fetch = createBoundedFetch();
