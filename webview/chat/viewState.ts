// The author's own input, kept across panel hide/show and window reloads through the webview's
// getState/setState: the draft in the box, the inputs sent so far, the sends not yet settled, and
// whether the WhatsApp view is on.
import type { ChatViewState, VsCodeApi } from '../../src/protocol';

const HISTORY_LIMIT = 100;

export class ViewStateStore {
  private state: ChatViewState;

  constructor(private readonly api: VsCodeApi<ChatViewState>) {
    this.state = readState(api.getState());
  }

  get current(): Readonly<ChatViewState> {
    return this.state;
  }

  /**
   * Records the panel the host says this page shows, so that the host's serializer can find the
   * transcript again after a reload. The draft and history stay whatever the id: dropping the
   * author's text because an id changed would lose work.
   */
  adoptPanel(panelId: string): void {
    this.state = { ...this.state, panelId };
    this.save();
  }

  setDraft(draft: string): void {
    this.state = { ...this.state, draft };
    this.save();
  }

  setHistory(history: readonly string[]): void {
    this.state = { ...this.state, history: history.slice(-HISTORY_LIMIT) };
    this.save();
  }

  setPendingSends(pending: ReadonlyMap<number, string>): void {
    this.state = { ...this.state, pendingSends: [...pending] };
    this.save();
  }

  setWhatsapp(whatsapp: boolean): void {
    this.state = { ...this.state, whatsapp };
    this.save();
  }

  /** A request id no earlier page of this panel used. */
  takeRequestId(): number {
    const requestId = this.state.nextRequestId;
    this.state = { ...this.state, nextRequestId: requestId + 1 };
    this.save();
    return requestId;
  }

  private save(): void {
    this.api.setState(this.state);
  }
}

/** Whatever getState returns (an older shape, nothing at all) becomes a valid state. */
export function readState(value: unknown): ChatViewState {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return {
    panelId: typeof record.panelId === 'string' ? record.panelId : '',
    draft: typeof record.draft === 'string' ? record.draft : '',
    history: Array.isArray(record.history) ? record.history.filter((item): item is string => typeof item === 'string').slice(-HISTORY_LIMIT) : [],
    pendingSends: Array.isArray(record.pendingSends) ? record.pendingSends.filter(isPendingSend) : [],
    nextRequestId: typeof record.nextRequestId === 'number' && Number.isSafeInteger(record.nextRequestId) ? record.nextRequestId : 1,
    whatsapp: record.whatsapp === true,
  };
}

function isPendingSend(value: unknown): value is [number, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string';
}
