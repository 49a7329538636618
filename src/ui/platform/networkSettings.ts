import * as vscode from 'vscode';

/**
 * The network settings every outgoing call shares (Konnect client, request runner): the per-call timeout
 * (`konnectDcr.requestTimeoutSeconds`) and the extra CA bundle (`konnectDcr.caFile`, read as PEM text). Proxies are
 * resolved by each caller: the runner also honours the environment and `http.noProxy`.
 */
export async function timeoutAndCa(): Promise<{ timeoutMs: number; ca: string | undefined }> {
  const cfg = vscode.workspace.getConfiguration('konnectDcr');
  const timeoutMs = Math.max(1, cfg.get<number>('requestTimeoutSeconds', 30)) * 1000;
  const caFile = cfg.get<string>('caFile', '').trim();
  if (!caFile) return { timeoutMs, ca: undefined };
  try {
    return { timeoutMs, ca: new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(caFile))) };
  } catch (err) {
    throw new Error(
      vscode.l10n.t(
        'Cannot read the CA bundle set in "Konnect DCR: Ca File" ({0}): {1}',
        caFile,
        err instanceof Error ? err.message : String(err),
      ),
    );
  }
}
