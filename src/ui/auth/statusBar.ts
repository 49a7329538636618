import * as vscode from 'vscode';
import { Commands } from '../platform/ids';
import type { ConnectionStore } from './connections';

/** "$(cloud) prod-eu" in the status bar: which Konnect connection the views show; click to switch. */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('konnectDcr.connection', vscode.StatusBarAlignment.Left, 0);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connections: ConnectionStore) {
    this.item.name = vscode.l10n.t('Konnect DCR connection');
    this.subscription = connections.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const active = this.connections.active();
    if (active) {
      this.item.text = `$(cloud) ${active.name}`;
      this.item.tooltip = vscode.l10n.t(
        'Konnect DCR: connected to "{0}" ({1}). Click to switch connection.',
        active.name,
        active.baseUrl,
      );
      this.item.command = Commands.switchConnection;
    } else {
      this.item.text = vscode.l10n.t('$(cloud) Konnect: sign in');
      this.item.tooltip = vscode.l10n.t('Konnect DCR: not signed in. Click to sign in to Konnect.');
      this.item.command = Commands.signIn;
    }
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
