// One HTTP attempt's plumbing: a signal that ends it on the caller's abort or on the timeout
// (and remembers which), plain words for a fetch that failed without an answer, and redirects.

/** The statuses that carry a Location to follow. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** As fetch does: 303, and 301/302 after a POST, become a GET without a body. */
export function dropsBodyOnRedirect(status: number, method: string): boolean {
  return status === 303 || ((status === 301 || status === 302) && method === 'POST');
}

/** Where a redirect points, resolved against the URL that answered; null when it cannot be read. */
export function redirectTarget(from: string, location: string | null): URL | null {
  if (location === null || location === '') {
    return null;
  }
  try {
    return new URL(location, from);
  } catch {
    return null;
  }
}

/** Why a fetch failed without an answer, in plain words, from the error's chain of causes. */
export function networkReason(error: unknown): string {
  let code: string | undefined;
  let message: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth += 1) {
    const fields = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof fields.code === 'string') {
      code = fields.code;
    }
    if (typeof fields.message === 'string' && fields.message !== '') {
      message = fields.message;
    }
    current = fields.cause;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'the connection closed before an answer arrived';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network is unreachable';
    default:
      if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
        return `the server's TLS certificate was not accepted (${code})`;
      }
      return code !== undefined ? `network error ${code}` : `network error: ${message ?? 'unknown'}`;
  }
}

/** One attempt's signal: fires on the caller's abort or on the timeout, and says which. */
export class AttemptSignal {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  timedOut = false;

  constructor(
    private readonly outer: AbortSignal | undefined,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
    outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private readonly onOuterAbort = (): void => {
    this.controller.abort();
  };

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}
