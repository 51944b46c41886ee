// How long the chat page takes to append one turn when N turns are already shown: the number that
// proves the page never re-renders the whole transcript. Used by the scale test and `npm run bench`.
import type { TurnEntry } from '../../src/chat/transcript.js';
import { exchange, initMessage, session } from './chatFixtures.js';
import { startWebviewHarness, toHostMessage, type TestHostMessage, type WebviewHarness, type WebviewPage } from './harness.js';

export interface AppendBenchResult {
  /** Turns on the page before the measured appends. */
  shown: number;
  /** Time to render the `init` with `shown` turns, layout included. */
  initMs: number;
  /** One measurement per appended turn, layout included. */
  appendMs: number[];
  medianAppendMs: number;
}

/** A realistic turn: the author's click, a text and a buttons message, a full exchange. */
export function benchTurn(index: number): TurnEntry {
  return {
    kind: 'turn',
    id: `turn-${index}`,
    sessionId: 's-1',
    user: { text: `Option ${index % 3}`, buttonId: `opt-${index % 3}` },
    messages: [
      { type: 'text', text: `Reply number ${index}.\nPick what comes next:` },
      { type: 'buttons', text: 'Choose', buttons: [0, 1, 2].map((n) => ({ id: `opt-${n}`, title: `Option ${n}` })) },
    ],
    currentState: `state_${index % 7}`,
    messagesCount: index * 2,
    at: new Date(Date.UTC(2026, 4, 4, 10, 0, index % 60)).toISOString(),
    durationMs: 200 + (index % 300),
    status: 200,
    exchange: exchange(),
  };
}

export function benchTranscript(count: number): TurnEntry[] {
  return Array.from({ length: count }, (_, index) => benchTurn(index));
}

/**
 * Dispatches a host message inside the page and times it there, until the new layout is computed:
 * the cost the author feels, without the test's own round trip to the browser.
 */
export async function timeHostMessage(view: WebviewPage, message: TestHostMessage): Promise<number> {
  return view.page.evaluate((data) => {
    const start = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data }));
    void document.querySelector('[role="log"]')?.lastElementChild?.getBoundingClientRect();
    return performance.now() - start;
  }, toHostMessage(message));
}

export async function measureAppend(options: { shown: number; appends?: number; harness?: WebviewHarness }): Promise<AppendBenchResult> {
  const { shown, appends = 20 } = options;
  const harness = options.harness ?? (await startWebviewHarness());
  const view = await harness.open({ bundle: 'chat' });
  try {
    await view.waitForMessage('ready');
    const initMs = await timeHostMessage(view, initMessage({ entries: benchTranscript(shown), session: session() }));
    const appendMs: number[] = [];
    for (let index = 0; index < appends; index += 1) {
      appendMs.push(await timeHostMessage(view, { type: 'append', entry: benchTurn(shown + index) }));
    }
    const problems = view.problems();
    if (problems.length > 0) {
      throw new Error(`the chat page reported problems: ${problems.join('\n')}`);
    }
    const sorted = [...appendMs].sort((a, b) => a - b);
    return { shown, initMs, appendMs, medianAppendMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN };
  } finally {
    await view.close();
    if (!options.harness) {
      await harness.close();
    }
  }
}
