import * as vscode from 'vscode';
import type { ExecutorOptions } from '../../core/requests/executor';
import { timeoutAndCa } from '../platform/networkSettings';

/**
 * The executor's network settings: `konnectDcr.requestTimeoutSeconds`, `konnectDcr.caFile`, `konnectDcr.proxy`, else
 * VS Code's `http.proxy`, then HTTPS_PROXY / HTTP_PROXY; `http.noProxy` / NO_PROXY. TLS is always verified.
 */
export async function executorOptions(): Promise<ExecutorOptions> {
  const cfg = vscode.workspace.getConfiguration('konnectDcr');
  const http = vscode.workspace.getConfiguration('http');
  const { timeoutMs, ca } = await timeoutAndCa();
  const env = process.env;
  const proxy =
    cfg.get<string>('proxy', '').trim() ||
    http.get<string>('proxy', '').trim() ||
    env['HTTPS_PROXY'] ||
    env['https_proxy'] ||
    env['HTTP_PROXY'] ||
    env['http_proxy'] ||
    undefined;
  const noProxy = [...(http.get<string[]>('noProxy', []) ?? []), env['NO_PROXY'] ?? env['no_proxy'] ?? '']
    .filter(Boolean)
    .join(',');
  return { timeoutMs, ca, proxy, noProxy: noProxy || undefined };
}

export function affectsExecutor(e: vscode.ConfigurationChangeEvent): boolean {
  return [
    'konnectDcr.requestTimeoutSeconds',
    'konnectDcr.caFile',
    'konnectDcr.proxy',
    'http.proxy',
    'http.noProxy',
  ].some((s) => e.affectsConfiguration(s));
}
