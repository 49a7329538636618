import * as vscode from 'vscode';
import type { DesiredState, ExternalRef, Plan } from '../../core/config/index';
import { PLAN_SCHEME } from './ids';

/** What a shown plan was made from: what "Save Plan…" on its document writes. */
export interface PlanRecord {
  readonly file: vscode.Uri;
  readonly configText: string;
  readonly plan: Plan;
  readonly desired: DesiredState;
  readonly external: readonly ExternalRef[];
  readonly target: { readonly name: string; readonly host: string };
}

/** Read-only documents showing plans and apply reports (`konnect-dcr-plan:` URIs, shown as diffs). */
export class PlanDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly records = new Map<string, PlanRecord>();
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

  /** The plan a document shows (its latest), for Save Plan…. */
  remember(uri: vscode.Uri, record: PlanRecord): void {
    this.records.set(uri.toString(), record);
  }

  recall(uri: vscode.Uri): PlanRecord | undefined {
    return this.records.get(uri.toString());
  }

  /** The read-only review of a saved plan file. */
  uriForSaved(file: vscode.Uri): vscode.Uri {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/Saved plan ${name}.diff`, query: file.toString() });
  }

  get(uri: vscode.Uri): string | undefined {
    return this.texts.get(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(uri.toString()) ?? `${vscode.l10n.t('# No plan yet: run "Konnect DCR: Plan" on a config file.')}\n`
    );
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
    this.records.clear();
  }
}
