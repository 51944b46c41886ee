// What activate() hands out as `getExtension(...).exports`. Any installed extension can read that
// value, and the objects the integration tests need (panels, store, key store) reach the API key,
// so they are handed out only to the extension's own tests. Plain Node (no vscode import), so a
// unit test can check the other modes.

/** The value of `vscode.ExtensionMode.Test` (the vscode suite checks that they agree). */
export const EXTENSION_MODE_TEST = 3;

export function extensionExports<Api>(mode: number, api: Api): Api | undefined {
  return mode === EXTENSION_MODE_TEST ? api : undefined;
}
