// Runs the local Sarufi sandbox inside the extension host, on loopback, over the flow files of the
// open workspace. Started on first use, and loaded then from its own bundle (src/lazy/sandbox.ts),
// so an author who never uses it pays nothing.
import * as vscode from 'vscode';
import type { RunningSandbox, SandboxChatbotInfo } from '../sandbox/server.js';
import { readSettings } from './settings.js';

export class SandboxHost implements vscode.Disposable {
  private running: Promise<RunningSandbox> | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The sandbox's base URL and key, starting it if needed. */
  async ensure(): Promise<{ baseUrl: string; apiKey: string }> {
    if (!this.running) {
      this.running = this.start();
      // A failed start must not stick: the next chat tries again.
      this.running.catch(() => {
        this.running = undefined;
      });
    }
    const sandbox = await this.running;
    return { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey };
  }

  /** The sandbox's chatbots with their flow files, after re-reading every file (starts it if needed). */
  async chatbots(): Promise<SandboxChatbotInfo[]> {
    await this.ensure();
    const sandbox = await this.running;
    if (!sandbox) {
      return [];
    }
    await sandbox.reload();
    return sandbox.chatbots();
  }

  /** The flow file a sandbox chatbot runs; undefined for any other chatbot or when the sandbox cannot start. */
  async flowFileOf(chatbotId: string): Promise<string | undefined> {
    const chatbots = await this.chatbots().catch(() => []);
    return chatbots.find((chatbot) => chatbot.id === chatbotId)?.file ?? undefined;
  }

  /** Re-reads the flow files now, if the sandbox runs (a saved flow is then served at once). */
  async reload(): Promise<void> {
    const sandbox = await this.running?.catch(() => undefined);
    await sandbox?.reload();
  }

  /** Restarts on the next use: the flow folders or the latency setting changed. */
  async restart(): Promise<void> {
    const previous = this.running;
    this.running = undefined;
    if (previous) {
      await (await previous).close();
    }
  }

  dispose(): void {
    void this.restart();
  }

  private async start(): Promise<RunningSandbox> {
    const { randomSandboxKey, startSandbox } = await import('../lazy/sandbox.js');
    const settings = readSettings();
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    const flowDirs = settings.sandboxFlowFolders.length > 0 ? resolveAll(settings.sandboxFlowFolders, folders) : folders;
    const sandbox = await startSandbox({
      flowDirs,
      // Its own key each start: the public default would let any local page that finds the port talk to it.
      apiKey: randomSandboxKey(),
      latencyMs: settings.sandboxLatencyMs,
      log: (line: string) => this.log.debug(`[sandbox] ${line}`),
    });
    this.log.info(`Local sandbox started at ${sandbox.baseUrl} over ${flowDirs.length} folder(s)`);
    return sandbox;
  }
}

function resolveAll(paths: string[], roots: string[]): string[] {
  const base = roots[0];
  return paths.map((path) => (base && !path.startsWith('/') ? vscode.Uri.joinPath(vscode.Uri.file(base), path).fsPath : path));
}
