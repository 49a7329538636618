import * as vscode from 'vscode';
import type { ConfigDiagnostics } from './diagnostics';
import { ConfigCommands, DIAGNOSTIC_SOURCE } from './ids';

/** Quick fixes of config problems: replace a value (Azure issuer, `!ref`, …) or move a literal secret to SecretStorage. */
export class ConfigCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: ConfigDiagnostics) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const found = this.diagnostics.fixFor(doc, d);
      if (!found) continue;
      const { fix, analysis } = found;
      if (fix.kind === 'replace') {
        const r = analysis.doc.valueRange(fix.path);
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(
          doc.uri,
          new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
          fix.text,
        );
        action.diagnostics = [d];
        action.isPreferred = true;
        out.push(action);
      } else {
        const action = new vscode.CodeAction(
          `Move the secret to VS Code's SecretStorage as ${fix.varName}`,
          vscode.CodeActionKind.QuickFix,
        );
        action.command = {
          command: ConfigCommands.moveSecretToStorage,
          title: action.title,
          arguments: [doc.uri, fix.path, fix.varName],
        };
        action.diagnostics = [d];
        action.isPreferred = true;
        out.push(action);
      }
    }
    return out;
  }
}
