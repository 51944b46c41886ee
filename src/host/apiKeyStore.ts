// The API keys, kept only in VS Code's SecretStorage, one per base URL (the Sarufi service, a
// custom server, the sandbox). A key changed in another window arrives through `onDidChange`.
import * as vscode from 'vscode';

const PREFIX = 'sarufi.apiKey:';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the base URL whose key changed, in this window or another. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(PREFIX)) {
        this.changed.fire(event.key.slice(PREFIX.length));
      }
    });
  }

  get(baseUrl: string): Thenable<string | undefined> {
    return this.secrets.get(PREFIX + baseUrl);
  }

  set(baseUrl: string, key: string): Thenable<void> {
    return this.secrets.store(PREFIX + baseUrl, key);
  }

  clear(baseUrl: string): Thenable<void> {
    return this.secrets.delete(PREFIX + baseUrl);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
