/**
 * For forms (and anything else that edits one resource of a config file): read the entry under a line, write an
 * entry back as one minimal edit of the document (comments and untouched keys survive; see core writeEntry).
 * Values are FormValues: tags kept as `{ $tag: '!ref', value: 'okta-dcr' }`. Secrets typed in a form belong in
 * SecretStorage through ConfigSecrets (the same store Apply reads), the file getting `!secret {source: !env NAME}`.
 */
import * as vscode from 'vscode';
import type { EntryInfo, EntryTarget, FormValue } from '../../core/config/index';
import { loadConfigCore } from './diagnostics';

export type { EntryInfo, EntryTarget, FormValue };
export { ConfigSecrets } from './secrets';

/** The `dcr_providers` / `application_auth_strategies` / `kong_identity_auth_servers` entry a line falls in. */
export async function entryAt(doc: vscode.TextDocument, line: number): Promise<EntryInfo | undefined> {
  const core = loadConfigCore();
  return core.ConfigDocument.parse(doc.getText()).entryAt(line);
}

/** Replaces the entry at `target.index` (or appends one) in the document; the editor's undo covers it. */
export async function writeEntry(doc: vscode.TextDocument, target: EntryTarget, value: FormValue): Promise<boolean> {
  const core = loadConfigCore();
  const { edit } = core.writeEntry(doc.getText(), target, value);
  if (edit.start === edit.end && !edit.newText) return true;
  const we = new vscode.WorkspaceEdit();
  we.replace(doc.uri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.newText);
  return vscode.workspace.applyEdit(we);
}
