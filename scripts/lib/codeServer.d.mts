// Types for codeServer.mjs, for the TypeScript tests that drive code-server.
import type { Page } from 'playwright-core';

export declare const WORKBENCH_SETTINGS: Readonly<Record<string, unknown>>;

export interface WorkbenchUrlOptions {
  /** The folder the workbench opens; defaults to the one the server was started on. */
  folder?: string;
  /** Absolute path of an extension to load in development mode. */
  extensionDevelopmentPath?: string;
  /** Absolute path of a compiled test entry whose `run()` the extension host calls. */
  extensionTestsPath?: string;
}

export interface CodeServer {
  readonly origin: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly logFile: string;
  logTail(): string;
  stop(): Promise<void>;
  workbenchUrl(options?: WorkbenchUrlOptions): string;
}

export interface StartOptions {
  port?: number;
  /** The folder the workbench opens; defaults to examples/. */
  folder?: string;
  /** Install code-server first when it is missing (default true). */
  install?: boolean;
  /** Keep code-server's extension marketplace (default false: tests run offline). */
  gallery?: boolean;
  /** User settings added to the workbench's (e.g. the Sarufi environment of an e2e test). */
  settings?: Record<string, unknown>;
}

export declare function startCodeServer(options?: StartOptions): Promise<CodeServer>;
export declare function freePort(): Promise<number>;
export declare function portOrFree(preferred: number): Promise<number>;
export declare function remoteUri(port: number, absolutePath: string): string;
export declare function exposeAutomationHooks(
  page: Page,
  options?: { onLog?: (type: string, args: unknown[]) => void },
): Promise<{ exit: Promise<number> }>;
