import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The HTML shell of every webview page, with a strict CSP (docs/design.md §6): nothing by default; styles, fonts and
 * images only from the extension's own webview resources; scripts only with this page load's nonce (from `crypto`).
 * No inline script or style. The page's script is `dist/webview/<entry>.js`, its stylesheet `media/<css>`.
 */
export interface PageOptions {
  /** `forms` → dist/webview/forms.js */
  readonly entry: string;
  /** `forms.css` → media/forms.css */
  readonly css: string;
  readonly title: string;
  /** What the page announces in its `ready` message (body `data-view`). */
  readonly view: string;
}

/** The only folders a webview may load from. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri), enableFindWidget: false };
}

/** 128 random bits, base64: unpredictable per page load. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function pageHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: PageOptions,
  nonce = newNonce(),
): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${page.entry}.js`));
  const css = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', page.css));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(css.toString())}">
<title>${text(page.title)}</title>
</head>
<body data-view="${attr(page.view)}">
<main id="app" aria-busy="true"></main>
<script nonce="${attr(nonce)}" src="${attr(script.toString())}"></script>
</body>
</html>`;
}

function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;');
}
