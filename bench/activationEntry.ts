// Loaded by the extension host as `extensionTestsPath` for the activation bench: times the
// extension's activation (loading dist/extension.js and running activate()) and writes the result.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  // The bench times the empty peer extension the same way, under its own id.
  const id = process.env.SARUFI_BENCH_EXTENSION_ID ?? 'sarufi-community.sarufi-vscode';
  const extension = vscode.extensions.getExtension(id);
  if (!extension) {
    throw new Error(`extension ${id} is not loaded`);
  }
  // Already active would mean something activated it eagerly, and the figure would be meaningless.
  const wasActive = extension.isActive;
  const started = performance.now();
  await extension.activate();
  const ms = performance.now() - started;
  const resultFile = process.env.SARUFI_BENCH_RESULT_FILE;
  if (!resultFile) {
    throw new Error('SARUFI_BENCH_RESULT_FILE is not set');
  }
  writeFileSync(resultFile, JSON.stringify({ ms, wasActive }));
}
