import * as path from 'node:path';
import * as vscode from 'vscode';
import type { readSecretFile } from '../../core/config/index';

/**
 * `!file` secrets of a config file in VS Code: the boundary is the file's workspace folder, and only local files
 * (`file:`) are read. `onValue` is told every value read, so that the log and messages mask it.
 */
export function secretFileBase(config: vscode.Uri): { dir: string; root: string } | string {
  if (config.scheme !== 'file')
    return vscode.l10n.t('!file secrets are read from local files only; {0} is on {1}:.', config.path, config.scheme);
  const folder = vscode.workspace.getWorkspaceFolder(config);
  if (!folder || folder.uri.scheme !== 'file')
    return vscode.l10n.t('!file secrets are read only for a config file in a local workspace folder.');
  return { dir: path.dirname(config.fsPath), root: folder.uri.fsPath };
}

/** Reads a `!file` secret of `config` (checked: inside its workspace folder, no symlink out of it). */
export function secretFileReader(
  config: vscode.Uri,
  onValue: (value: string) => void,
  read: typeof readSecretFile,
): (spec: string) => Promise<string> {
  return async (spec) => {
    const base = secretFileBase(config);
    if (typeof base === 'string') throw new Error(base);
    const value = await read(spec, base.dir, base.root);
    if (value) onValue(value);
    return value;
  };
}
