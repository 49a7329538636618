import * as vscode from 'vscode';

/**
 * Files in a virtual workspace (`capabilities.virtualWorkspaces` is "limited"): everything reads and writes workspace
 * files through `vscode.workspace.fs`, so a folder on any file system provider works like a local one, except that a
 * read-only one cannot take the files this extension writes. No state: the activation shell shares this module.
 */

/**
 * A file of a file system a workspace lives on: local, remote, or a virtual workspace's (a workspace folder's scheme,
 * or any writable file system provider, e.g. GitHub Repositories' `vscode-vfs:`). Not a view of one: `git:` (a
 * read-only provider), the output channel, this extension's details documents (a content provider, no file system).
 */
export function isWorkspaceFile(uri: vscode.Uri): boolean {
  if (uri.scheme === 'file' || uri.scheme === 'vscode-remote') return true;
  if (vscode.workspace.workspaceFolders?.some((f) => f.uri.scheme === uri.scheme)) return true;
  return vscode.workspace.fs.isWritableFileSystem(uri.scheme) === true;
}

/** The refusal for writing `what` to `uri` when its file system is read-only (a virtual workspace's, say), else undefined. */
export function readOnlyRefusal(uri: vscode.Uri, what: string): string | undefined {
  if (vscode.workspace.fs.isWritableFileSystem(uri.scheme) !== false) return undefined;
  return vscode.l10n.t(
    '{0} cannot be written to {1}: its file system ({2}:) is read-only. Choose a folder on a writable file system.',
    what,
    uri.toString(true),
    uri.scheme,
  );
}
