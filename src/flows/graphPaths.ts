// What the flow graph draws over the flow: a chat's path (from its transcript), a failing test's
// path (from its observed turns) and the last coverage run, each read with the conversation tests'
// one model of how a conversation walks a flow (src/conversationTests/coverage.ts).
import type { Transcript } from '../chat/transcript.js';
import { choicesOf } from '../flow/botMessages.js';
import type { Button } from '../flow/botMessages.js';
import type { FlowModel } from '../flow/flowTypes.js';
import { askForTurns, walkTurns } from '../conversationTests/coverage.js';
import type { FlowCoverage } from '../conversationTests/coverage.js';
import type { ObservedTurn, TestResult } from '../conversationTests/runner.js';
import type { GraphCoverage, GraphFailingTest, GraphLiveChat, GraphPathStep } from '../protocol.js';

/** A chat's turns as the tests observe theirs: what was sent, what the bot offered before, where it went. */
export function observedTurns(transcript: Transcript): ObservedTurn[] {
  const turns: ObservedTurn[] = [];
  let offered: Button[] = [];
  for (const entry of transcript.entries) {
    if (entry.kind !== 'turn' || entry.pending) {
      continue;
    }
    turns.push({
      sent: entry.user ? { message: entry.user.text, ...(entry.user.buttonId ? { buttonId: entry.user.buttonId } : {}) } : null,
      offered,
      currentState: entry.currentState,
      replyCount: entry.messages.length,
    });
    offered = entry.messages.flatMap(choicesOf);
  }
  return turns;
}

/** The walk's regex triggers are answered by the regex worker first: none runs in the extension host. */
async function steps(model: FlowModel, turns: readonly ObservedTurn[]): Promise<GraphPathStep[]> {
  const regex = await askForTurns(model, [turns]);
  return walkTurns(model, turns, regex).map((step) => ({ from: step.from, to: step.to, edge: step.edge?.path ?? null }));
}

/** A chat on this flow, with its path in order; a fork's own turns follow the ones it copied. */
export async function liveChat(model: FlowModel, panelId: string, title: string, transcript: Transcript): Promise<GraphLiveChat> {
  const turns = observedTurns(transcript);
  const path = await steps(model, turns);
  const started = turns.length > 0;
  const current = transcript.session.trail.at(-1) ?? path.at(-1)?.to ?? (started ? model.initialState : null);
  return { panelId, title, current, steps: path };
}

/** The tests of this flow that failed, each with its path up to the step that failed. */
export function failingTests(model: FlowModel, flowPath: string, results: readonly TestResult[]): Promise<GraphFailingTest[]> {
  const failing = results.filter((result) => result.flowPath === flowPath && result.status !== 'passed');
  return Promise.all(
    failing.map(async (result) => {
      const path = await steps(model, result.observed);
      const failed = result.steps.find((step) => step.status === 'failed' || step.status === 'error');
      return {
        name: result.test.name,
        message: failed ? `${failed.step.label}: ${failed.failures.join('; ')}` : 'failed',
        steps: path,
        failedAt: path.at(-1)?.to ?? (result.observed.length > 0 ? model.initialState : null),
      };
    }),
  );
}

/** The coverage run's totals and what it did not reach, for the graph's header and marks. */
export function graphCoverage(coverage: FlowCoverage): GraphCoverage {
  return {
    statesReached: coverage.states.filter((state) => state.reached).length,
    statesTotal: coverage.states.length,
    transitionsReached: coverage.transitions.filter((edge) => edge.reached).length,
    transitionsTotal: coverage.transitions.length,
    unreachedStates: coverage.states.filter((state) => !state.reached).map((state) => state.name),
    unreachedEdges: coverage.transitions.filter((edge) => !edge.reached).map((edge) => edge.path),
  };
}
