// Runs the local Sarufi sandbox beside the extension host, in a process of its own (see
// src/sandbox/sandboxProcess.ts), on loopback, over the flow files of the open workspace. Started
// on first use, so an author who never uses it pays nothing; started again if it dies.
import * as vscode from 'vscode';
import type { MockSet } from '../flow/mocks.js';
import { SarufiClient } from '../sarufi/client.js';
import { sessionMocks } from '../sandbox/mockApi.js';
import { forkSandbox } from '../sandbox/sandboxProcess.js';
import type { SandboxProcess } from '../sandbox/sandboxProcess.js';
import { randomSandboxKey } from '../sandbox/sandboxKeys.js';
import type { SandboxChatbotInfo } from '../sandbox/server.js';
import { readSettings } from './settings.js';

const ADDRESS_KEY = 'sarufi.sandbox.address';

interface SandboxAddress {
  port: number;
  apiKey: string;
}

export class SandboxHost implements vscode.Disposable {
  private running: Promise<SandboxProcess> | undefined;
  private readonly restarted = new vscode.EventEmitter<string>();
  /** Fires, with why it stopped, after the sandbox process died on its own and was started again. */
  readonly onDidRestartAfterCrash = this.restarted.event;

  /**
   * `memory` keeps the sandbox's port and key from one start to the next (a reload, a restart after
   * a crash), so that a copied curl command, a custom chat UI or a `sarufi.customBaseUrl` pointed
   * at it keep working. The key is not a secret: it only stops web pages on this machine from
   * talking to the sandbox, and they cannot read VS Code's workspace state.
   */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly memory: vscode.Memento,
  ) {}

  /** The sandbox's base URL and key, starting it if needed. */
  async ensure(): Promise<{ baseUrl: string; apiKey: string }> {
    const sandbox = await this.current();
    return { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey };
  }

  /** The sandbox's chatbots with their flow files, after re-reading every file (starts it if needed). */
  async chatbots(): Promise<SandboxChatbotInfo[]> {
    const sandbox = await this.current();
    await sandbox.reload();
    return sandbox.chatbots();
  }

  /** The flow file a sandbox chatbot runs; undefined for any other chatbot or when the sandbox cannot start. */
  async flowFileOf(chatbotId: string): Promise<string | undefined> {
    const chatbots = await this.chatbots().catch(() => []);
    return chatbots.find((chatbot) => chatbot.id === chatbotId)?.file ?? undefined;
  }

  /** The mocks a chat session of the running sandbox runs with (null: none); throws when the sandbox no longer has the session. */
  async sessionMocks(chatbotId: string, sessionId: string): Promise<MockSet | null> {
    const sandbox = await this.running;
    if (!sandbox) {
      throw new Error('the sandbox is not running, so it no longer has the session');
    }
    const client = new SarufiClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey });
    return (await client.call(sessionMocks(chatbotId, sessionId))).data;
  }

  /** Re-reads the flow files now, if the sandbox runs (a saved flow is then served at once). */
  async reload(): Promise<void> {
    const sandbox = await this.running?.catch(() => undefined);
    await sandbox?.reload();
  }

  /** The process id, or undefined when none runs (the tests stop it to see the restart). */
  async pid(): Promise<number | undefined> {
    return (await this.running?.catch(() => undefined))?.pid;
  }

  /** Restarts on the next use: the flow folders or the sandbox settings changed. */
  async restart(): Promise<void> {
    const previous = this.running;
    this.running = undefined;
    const sandbox = await previous?.catch(() => undefined);
    await sandbox?.close();
  }

  dispose(): void {
    void this.restart();
    this.restarted.dispose();
  }

  private current(): Promise<SandboxProcess> {
    if (!this.running) {
      const starting = this.start();
      this.running = starting;
      // A failed start must not stick: the next chat tries again.
      starting.catch(() => {
        if (this.running === starting) {
          this.running = undefined;
        }
      });
    }
    return this.running;
  }

  private async start(): Promise<SandboxProcess> {
    const settings = readSettings();
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    const flowDirs = settings.sandboxFlowFolders.length > 0 ? resolveAll(settings.sandboxFlowFolders, folders) : folders;
    const remembered = this.memory.get<SandboxAddress>(ADDRESS_KEY);
    // Its own key: the public default would let any local page that finds the port talk to it.
    const apiKey = remembered?.apiKey ?? randomSandboxKey();
    const fork = (port: number): Promise<SandboxProcess> =>
      forkSandbox({
        flowDirs,
        apiKey,
        port,
        latencyMs: settings.sandboxLatencyMs,
        turnTimeoutMs: settings.sandboxTurnTimeoutMs,
        log: (line: string) => this.log.debug(`[sandbox] ${line}`),
      });
    let sandbox: SandboxProcess;
    try {
      sandbox = await fork(remembered?.port ?? 0);
    } catch (error) {
      if (remembered?.port === undefined) {
        throw error;
      }
      // Another program (or another window's sandbox) took the port meanwhile: any free one will do.
      this.log.info(`The local sandbox could not listen on port ${remembered.port} again (${String(error)}); it takes another.`);
      sandbox = await fork(0);
    }
    await this.memory.update(ADDRESS_KEY, { port: sandbox.port, apiKey } satisfies SandboxAddress);
    // By now current() has stored this start's promise: a later restart replaces it.
    const started = this.running;
    sandbox.onUnexpectedExit((reason) => {
      this.log.error(`The local sandbox process stopped (${reason}); starting it again.`);
      if (this.running !== started) {
        return;
      }
      this.running = undefined;
      void this.current().then(
        () => this.restarted.fire(reason),
        (error: unknown) => this.log.error(`Could not start the local sandbox again: ${String(error)}`),
      );
    });
    this.log.info(`Local sandbox started (process ${sandbox.pid ?? '?'}) at ${sandbox.baseUrl} over ${flowDirs.length} folder(s)`);
    return sandbox;
  }
}

function resolveAll(paths: string[], roots: string[]): string[] {
  const base = roots[0];
  return paths.map((path) => (base && !path.startsWith('/') ? vscode.Uri.joinPath(vscode.Uri.file(base), path).fsPath : path));
}
