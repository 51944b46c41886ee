// One HTTP attempt's plumbing: a signal that ends it on the caller's abort or on the timeout
// (and remembers which), and plain words for a fetch that failed without an answer.

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
