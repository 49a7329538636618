import * as vscode from 'vscode';
import { PLAN_SCHEME } from './ids';

/** Read-only documents showing plans and apply reports (`konnect-dcr-plan:` URIs, shown as diffs). */
export class PlanDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** The plan document of a config file (a sync plan has its own). */
  uriFor(config: vscode.Uri, mode: 'apply' | 'sync' = 'apply'): vscode.Uri {
    const name = config.path.slice(config.path.lastIndexOf('/') + 1);
    return vscode.Uri.from({
      scheme: PLAN_SCHEME,
      path: `/${mode === 'sync' ? 'Sync plan' : 'Plan'} of ${name}.diff`,
      query: config.toString(),
    });
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  get(uri: vscode.Uri): string | undefined {
    return this.texts.get(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '# No plan yet: run "Konnect DCR: Plan" on a config file.\n';
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
