// A worker thread that runs one debugged conversation: the engine under the debug runtime, whose
// stops wait here for the adapter's word. Off the adapter's thread, so a flow's regex that never
// ends is stopped by terminating this worker (debugConversation.ts) while the adapter answers on.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { FlowDebugRuntime } from '../flow/debugRuntime.js';
import type { ConversationSnapshot, TurnResult } from '../flow/engine.js';
import type { DebugCall, DebugTurnAnswer, DebugWorkerData, DebugWorkerMessage } from './debugProtocol.js';
import { conversationOptions } from './turnOptions.js';
import type { MockedCall } from '../flow/mocks.js';

function serveConversation(port: MessagePort, data: DebugWorkerData): void {
  const post = (message: DebugWorkerMessage): void => port.postMessage(message);
  // Unmocked calls answer 501 (the mock fetch's own reply); the debugger shows that answer, so no list is read.
  const unmocked: MockedCall[] = [];
  const runtime = new FlowDebugRuntime(
    data.model,
    { ...conversationOptions(data.options, data.model, unmocked), variables: data.variables },
    {
      stopped: (stop) => post({ type: 'stopped', stop }),
      output: (text) => post({ type: 'output', text }),
      sent: (messages) => post({ type: 'sent', messages }),
    },
    data.snapshot,
  );
  let turns = 0;
  let beat: NodeJS.Timeout | undefined;
  // Only while a turn is under way: the beat's silence is how the adapter sees a stuck turn.
  const turnBegins = (): void => {
    turns += 1;
    beat ??= setInterval(() => post({ type: 'beat' }), data.beatMs);
  };
  const turnEnds = (): void => {
    turns -= 1;
    if (turns === 0) {
      clearInterval(beat);
      beat = undefined;
    }
  };

  port.on('message', (call: DebugCall) => {
    const isTurn = call.method === 'start' || call.method === 'send';
    if (isTurn) {
      turnBegins();
    }
    void (async () => {
      try {
        const method = runtime[call.method] as (...args: unknown[]) => unknown;
        const value: unknown = await method.apply(runtime, call.args);
        // A turn's answer carries where the conversation now stands: if a later turn has to be
        // stopped with this worker, the adapter goes on from there in a new one.
        post({ type: 'reply', id: call.id, ok: true, value: isTurn ? turnAnswer(value as TurnResult, runtime.lastTurnSnapshot ?? runtime.snapshot()) : value });
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        post({ type: 'reply', id: call.id, ok: false, name: failure.name, message: failure.message });
      } finally {
        if (isTurn) {
          turnEnds();
        }
      }
    })();
  });
  post({ type: 'ready' });
}

function turnAnswer(result: TurnResult, snapshot: ConversationSnapshot): DebugTurnAnswer {
  return { messages: result.messages, current_state: result.current_state, snapshot };
}

if (!isMainThread && parentPort) {
  serveConversation(parentPort, workerData as DebugWorkerData);
}
