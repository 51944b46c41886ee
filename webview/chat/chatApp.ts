// The chat page: header, conversation log, typing indicator and input box, driven by the host's
// messages. It renders and reports clicks; sessions, requests and the API key stay in the host.
import type { UserInput } from '../../src/chat/transcript';
import type { ChatViewState, HostToWebview, ShownWindow, VsCodeApi } from '../../src/protocol';
import type { TurnTrace } from '../../src/flow/turnTrace';
import type { Exchange } from '../../src/sarufi/exchange';
import { Composer } from './composer';
import { DebugBar } from './debugBar';
import { h } from './dom';
import type { EntryContext } from './entries/context';
import { SessionHeader } from './header';
import { MessageLog } from './messageLog';
import { ReplayBar } from './replayBar';
import { StartFormView } from './startForm';
import { isShownTrace } from './trace/whyView';
import { VariablesView } from './trace/variablesView';
import { TypingIndicator } from './typingIndicator';
import { ViewStateStore } from './viewState';

export class ChatApp {
  private readonly store: ViewStateStore;
  private readonly header: SessionHeader;
  private readonly log: MessageLog;
  private readonly typing = new TypingIndicator();
  private readonly composer: Composer;
  /** Inspectors waiting for their exchange, by request id. */
  private readonly inspecting = new Map<number, (exchange: Exchange | undefined) => void>();
  /** Requests for earlier entries waiting for their answer, by request id. */
  private readonly earlier = new Map<number, (window: ShownWindow) => void>();
  /** Trace requests waiting for their answer, by request id. */
  private readonly tracing = new Map<number, (trace: TurnTrace | null) => void>();
  /** Each entry's trace, asked once: Why? and the Variables view share the answer. */
  private readonly traces = new Map<string, Promise<TurnTrace | null>>();
  private readonly root: HTMLElement;
  private readonly debugBar: DebugBar;
  private readonly replay: ReplayBar;
  private readonly startForm: StartFormView;
  private readonly variables: VariablesView;
  /** The turn the Variables view shows. */
  private selected: string | undefined;
  private readOnly = false;
  /** Replaced (not mutated) when the mode changes; entries rendered later read the new one. */
  private context: EntryContext;

  constructor(
    root: HTMLElement,
    private readonly api: VsCodeApi<ChatViewState>,
  ) {
    this.store = new ViewStateStore(api);
    this.context = {
      readOnly: false,
      post: (message) => api.postMessage(message),
      send: (input) => {
        this.send(input);
      },
      inspect: (entryId) =>
        new Promise((resolve) => {
          const requestId = this.store.takeRequestId();
          this.inspecting.set(requestId, resolve);
          api.postMessage({ type: 'inspect', requestId, entryId });
        }),
      trace: (entryId) => this.traceOf(entryId),
      select: (entryId) => this.select(entryId),
    };
    this.header = new SessionHeader((message) => api.postMessage(message));
    this.debugBar = new DebugBar((message) => api.postMessage(message), this.store.current.whatsapp === true, (on) => this.setWhatsapp(on));
    this.replay = new ReplayBar((message) => api.postMessage(message));
    this.startForm = new StartFormView((variables) => api.postMessage({ type: 'startAt', variables }));
    this.variables = new VariablesView(() => this.unselect());
    this.log = new MessageLog(
      () => this.context,
      (beforeId) =>
        new Promise((resolve) => {
          const requestId = this.store.takeRequestId();
          this.earlier.set(requestId, resolve);
          api.postMessage({ type: 'earlier', requestId, beforeId });
        }),
    );
    this.composer = new Composer({ store: this.store, send: (text) => this.send({ text }) });
    this.root = h('div', { className: 'chat' }, [
      this.header.element,
      this.debugBar.element,
      this.replay.element,
      this.startForm.element,
      this.log.element,
      this.variables.element,
      this.typing.element,
      this.composer.element,
    ]);
    this.root.classList.toggle('whatsapp', this.store.current.whatsapp === true);
    root.replaceChildren(this.root);
  }

  handle(message: HostToWebview): void {
    switch (message.type) {
      case 'init':
        this.store.adoptPanel(message.panelId);
        this.setReadOnly(message.readOnly);
        this.header.update(message.session, message.readOnly);
        this.debugBar.update(message.session, message.readOnly);
        this.replay.set(message.replay);
        this.startForm.show(message.startForm);
        this.showComposer();
        // A new window of entries: traces and the selection of the old one do not carry over.
        this.traces.clear();
        this.unselect();
        this.log.reset(message);
        this.typing.set({ ...message.busy, busy: message.busy.busy && !message.readOnly });
        this.composer.catchUp(message.sends);
        break;
      case 'append':
        this.log.append(message.entry);
        break;
      case 'session':
        this.header.update(message.session);
        this.debugBar.update(message.session, this.readOnly);
        // Chat from here: the session the start form waited for is open, whether or not an init follows.
        if (this.startForm.open && message.session.status === 'open' && message.session.sessionId !== null) {
          this.startForm.show(null);
          this.showComposer();
        }
        break;
      case 'busy':
        this.typing.set(message);
        break;
      case 'sendResult':
        this.composer.settle(message.requestId, message.ok);
        break;
      case 'exchange':
        this.inspecting.get(message.requestId)?.(message.exchange ?? undefined);
        this.inspecting.delete(message.requestId);
        break;
      case 'earlierEntries':
        this.earlier.get(message.requestId)?.(message);
        this.earlier.delete(message.requestId);
        break;
      case 'trace':
        // Anything but a trace's shape is shown as no trace, not as a broken view.
        this.tracing.get(message.requestId)?.(isShownTrace(message.trace) ? message.trace : null);
        this.tracing.delete(message.requestId);
        break;
      case 'replay':
        this.replay.set(message.progress);
        break;
    }
  }

  private setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
    this.context = { ...this.context, readOnly };
    if (readOnly) {
      this.typing.set({ busy: false });
    }
  }

  /** No input box in a read-only transcript, nor while Chat from here waits for its start form. */
  private showComposer(): void {
    this.composer.element.hidden = this.readOnly || this.startForm.open;
  }

  private traceOf(entryId: string): Promise<TurnTrace | null> {
    let trace = this.traces.get(entryId);
    if (!trace) {
      trace = new Promise((resolve) => {
        const requestId = this.store.takeRequestId();
        this.tracing.set(requestId, resolve);
        this.api.postMessage({ type: 'trace', requestId, entryId });
      });
      this.traces.set(entryId, trace);
    }
    return trace;
  }

  private select(entryId: string): void {
    if (this.selected === entryId && !this.variables.element.hidden) {
      return;
    }
    this.markSelected(false);
    this.selected = entryId;
    this.markSelected(true);
    this.variables.loading();
    void this.traceOf(entryId).then((trace) => {
      if (this.selected === entryId) {
        this.variables.show(trace);
      }
    });
  }

  private unselect(): void {
    this.markSelected(false);
    this.selected = undefined;
    this.variables.hide();
  }

  private markSelected(selected: boolean): void {
    if (this.selected === undefined) {
      return;
    }
    const element = this.log.element.querySelector(`[data-entry-id="${CSS.escape(this.selected)}"]`);
    element?.classList.toggle('selected', selected);
    if (selected) {
      element?.setAttribute('aria-current', 'true');
    } else {
      element?.removeAttribute('aria-current');
    }
  }

  private setWhatsapp(on: boolean): void {
    this.store.setWhatsapp(on);
    // The WhatsApp form of each message is rendered with it (hidden by CSS until now): no re-render.
    this.root.classList.toggle('whatsapp', on);
  }

  private send(input: UserInput): number {
    const requestId = this.store.takeRequestId();
    this.api.postMessage({ type: 'send', requestId, input });
    return requestId;
  }
}
