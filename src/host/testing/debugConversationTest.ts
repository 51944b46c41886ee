// The Test Explorer's Debug profile: a conversation test whose target is a flow file runs in the
// flow debugger. The test drives the conversation (its inputs are the launch's `inputs`), the
// debugger stops wherever the author set breakpoints, and each turn the adapter reports is checked
// against its step with the runner's own checkReply, so the results are the test's, not a guess.
import * as vscode from 'vscode';
import type { ConversationTest, TestStep } from '../../conversationTests/format.js';
import type { StepCheck } from '../../conversationTests/expectations.js';
import { TURN_EVENT } from '../debug/debugChatApi.js';
import type { DebugTurn } from '../debug/debugChatApi.js';
import { DEBUG_TYPE } from '../debug/flowDebugger.js';

export interface DebugTestHooks {
  /** Async: a `regex:` expectation runs in the regex worker, under its budget. */
  checkReply(expect: TestStep['expect'], reply: { messages: NonNullable<Extract<DebugTurn, { messages: unknown }>['messages']>; currentState: string | null }): Promise<StepCheck>;
  substitute(text: string, variables: Record<string, string>, env: Record<string, string | undefined>): string;
  /** The step's expectations with the test's `{{variables}}` filled in, as a run checks them. */
  fillExpectation(step: TestStep, fill: (text: string) => string): TestStep['expect'];
  /** Told of each step's outcome, then of the test's. */
  onStep(step: TestStep, check: StepCheck | { error: string }): void;
}

/** The launch configuration that plays `test` in the debugger. */
export function debugConfigurationFor(test: ConversationTest, hooks: Pick<DebugTestHooks, 'substitute'>, runId: string): vscode.DebugConfiguration {
  if (test.target.kind !== 'flow') {
    throw new Error('Debug runs a test whose target is a flow file (target: flow:): the debugger runs flows in the local sandbox.');
  }
  const fill = (text: string): string => hooks.substitute(text, test.variables, process.env);
  const inputs = test.steps
    .filter((step) => step.kind === 'send')
    .map((step) => (step.input?.buttonId !== undefined ? { button: fill(step.input.buttonId) } : { send: fill(step.input?.text ?? '') }));
  const persona = test.persona;
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug test: ${test.name}`,
    flow: test.target.flowPath,
    variables: test.variables,
    ...(persona ? { persona: { ...(persona.contactName ? { contact_name: persona.contactName } : {}), ...(persona.userId ? { user_id: persona.userId } : {}), ...(persona.channel ? { channel: persona.channel } : {}), ...(persona.language ? { language: persona.language } : {}) } } : {}),
    ...(test.mocks ? { mockSet: test.mocks } : {}),
    inputs,
    // The Test Explorer shows the outcome; a chat panel per debugged test would only be noise.
    chatPanel: false,
    sarufiTestRun: runId,
  };
}

/**
 * Plays one test in the debugger; resolves with whether every step passed once the last turn is
 * checked (or the session ended first, or `token` cancelled it).
 */
export async function debugConversationTest(test: ConversationTest, hooks: DebugTestHooks, token: vscode.CancellationToken): Promise<boolean> {
  const runId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const configuration = debugConfigurationFor(test, hooks, runId);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(test.path));
  let session: vscode.DebugSession | undefined;
  let turn = 0;
  let passed = true;
  let checking: Promise<void> = Promise.resolve();
  return new Promise<boolean>((resolve) => {
    const disposables: vscode.Disposable[] = [];
    const finish = (): void => {
      disposables.forEach((disposable) => disposable.dispose());
      if (session) {
        void vscode.debug.stopDebugging(session);
      }
      resolve(passed && turn === test.steps.length);
    };
    disposables.push(
      vscode.debug.onDidStartDebugSession((started) => {
        if (started.configuration.sarufiTestRun === runId) {
          session = started;
        }
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session !== session || event.event !== TURN_EVENT) {
          return;
        }
        const step = test.steps[turn];
        turn += 1;
        if (!step) {
          return;
        }
        const answer = event.body as DebugTurn;
        if ('error' in answer) {
          checking = checking.then(() => {
            passed = false;
            hooks.onStep(step, { error: answer.error });
            finish();
          });
          return;
        }
        const fill = (text: string): string => hooks.substitute(text, test.variables, process.env);
        const expectation = hooks.fillExpectation(step, fill);
        const reply = { messages: answer.messages, currentState: step.kind === 'greeting' ? null : answer.current_state };
        const last = turn === test.steps.length;
        // Checked in turn order: each check waits for the one before it.
        checking = checking.then(async () => {
          const check = await hooks.checkReply(expectation, reply);
          passed &&= check.passed;
          hooks.onStep(step, check);
          if (last) {
            finish();
          }
        });
      }),
      vscode.debug.onDidTerminateDebugSession((ended) => {
        if (ended === session) {
          session = undefined;
          // The turns already answered are still reported: their checks may be under way.
          void checking.then(finish);
        }
      }),
      token.onCancellationRequested(finish),
    );
    void vscode.debug.startDebugging(folder, configuration).then((started) => {
      if (!started) {
        passed = false;
        finish();
      }
    });
  });
}
