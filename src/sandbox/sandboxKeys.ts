// The sandbox's API keys, apart from the server so that the extension host can make one without
// loading the server into its bundle.
import { randomBytes } from 'node:crypto';

/** The key the sandbox accepts unless told otherwise (the CLI's default). It guards nothing but loopback. */
export const SANDBOX_API_KEY = 'sk-sandbox-local';

/** A fresh key for a sandbox that only its starter talks to, so no web page can guess it. */
export function randomSandboxKey(): string {
  return `sk-sandbox-${randomBytes(16).toString('hex')}`;
}
