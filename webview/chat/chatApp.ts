// The chat page: header, conversation log, typing indicator and input box, driven by the host's
// messages. It renders and reports clicks; sessions, requests and the API key stay in the host.
import type { UserInput } from '../../src/chat/transcript';
import type { ChatViewState, HostToWebview, ShownWindow, VsCodeApi } from '../../src/protocol';
import type { Exchange } from '../../src/sarufi/exchange';
import { Composer } from './composer';
import { h } from './dom';
import type { EntryContext } from './entries/context';
import { SessionHeader } from './header';
import { MessageLog } from './messageLog';
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
    };
    this.header = new SessionHeader((message) => api.postMessage(message));
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
    root.replaceChildren(
      h('div', { className: 'chat' }, [this.header.element, this.log.element, this.typing.element, this.composer.element]),
    );
  }

  handle(message: HostToWebview): void {
    switch (message.type) {
      case 'init':
        this.store.adoptPanel(message.panelId);
        this.setReadOnly(message.readOnly);
        this.header.update(message.session, message.readOnly);
        this.log.reset(message);
        this.typing.set(message.busy.busy && !message.readOnly, message.busy.note);
        this.composer.catchUp(message.sends);
        break;
      case 'append':
        this.log.append(message.entry);
        break;
      case 'session':
        this.header.update(message.session);
        break;
      case 'busy':
        this.typing.set(message.busy, message.note);
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
    }
  }

  private setReadOnly(readOnly: boolean): void {
    this.context = { ...this.context, readOnly };
    this.composer.element.hidden = readOnly;
    if (readOnly) {
      this.typing.set(false);
    }
  }

  private send(input: UserInput): number {
    const requestId = this.store.takeRequestId();
    this.api.postMessage({ type: 'send', requestId, input });
    return requestId;
  }
}
