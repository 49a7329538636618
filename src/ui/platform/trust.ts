import * as vscode from 'vscode';
import type { Prompts } from './prompts';

/**
 * Restricted Mode: what a workspace file says must not reach a server before the user trusts the workspace. Reading
 * (trees, details, problems, CodeLens) works; sending a request file, planning or applying a config file does not.
 * Returns the refusal message (and shows it) when the workspace is not trusted, undefined when it is.
 */
export function refuseUntrusted(prompts: Prompts, what: string): { refused: true; message: string } | undefined {
  if (vscode.workspace.isTrusted) return undefined;
  const message = vscode.l10n.t(
    'Konnect DCR: {0} is turned off in Restricted Mode: it would send what a file of this untrusted workspace says to a server. Trust the workspace to use it.',
    what,
  );
  prompts.notify('warning', message, [vscode.l10n.t('Manage Workspace Trust')], () =>
    vscode.commands.executeCommand('workbench.trust.manage'),
  );
  return { refused: true, message };
}
