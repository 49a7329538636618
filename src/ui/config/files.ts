import * as vscode from 'vscode';
import { isWorkspaceFile } from '../platform/workspaceFiles';
import { CONFIG_FILES_SETTING, DEFAULT_CONFIG_GLOBS } from './ids';

/**
 * Which documents are workspace config files. Light on purpose (vscode + ids only): the activation shell uses it
 * to decide when to load the main part, and the diagnostics use it to decide what to analyze.
 */
export function configGlobs(): string[] {
  const v = vscode.workspace.getConfiguration().get<unknown>(CONFIG_FILES_SETTING);
  const list = Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string' && !!g.trim()) : [];
  return list.length ? list : [...DEFAULT_CONFIG_GLOBS];
}

export function isConfigDocument(doc: vscode.TextDocument, globs = configGlobs()): boolean {
  if (doc.uri.scheme !== 'untitled' && !isWorkspaceFile(doc.uri)) return false;
  return globs.some((pattern) => vscode.languages.match({ pattern }, doc) > 0);
}
