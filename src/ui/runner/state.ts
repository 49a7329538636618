import * as vscode from 'vscode';
import { RunnerContextKeys } from './ids';

/** What a request line shows after a run: "200 OK · 34 ms · 5/5 token checks passed", or the error. */
export interface LineStatus {
  readonly text: string;
  readonly ok: boolean;
  /** An explanation is available (401/403 or a token endpoint error). */
  readonly explainable: boolean;
}

/**
 * The light, always-loaded part of the runner: which requests are running and how the last runs ended. The CodeLens
 * provider reads it; the (lazily loaded) controller writes it. Keys are `uri#requestIndex`.
 */
export class RunnerState implements vscode.Disposable {
  private readonly running = new Map<string, AbortController>();
  private readonly statuses = new Map<string, LineStatus>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChange = this.changed.event;

  static key(uri: vscode.Uri, index: number): string {
    return `${uri.toString()}#${index}`;
  }

  isRunning(uri: vscode.Uri, index: number): boolean {
    return this.running.has(RunnerState.key(uri, index));
  }

  anyRunning(uri?: vscode.Uri): boolean {
    if (!uri) return this.running.size > 0;
    const prefix = `${uri.toString()}#`;
    return [...this.running.keys()].some((k) => k.startsWith(prefix));
  }

  start(uri: vscode.Uri, index: number, ctrl: AbortController): void {
    this.running.set(RunnerState.key(uri, index), ctrl);
    this.update(uri);
  }

  finish(uri: vscode.Uri, index: number, ctrl: AbortController): void {
    const k = RunnerState.key(uri, index);
    if (this.running.get(k) === ctrl) this.running.delete(k);
    this.update(uri);
  }

  /** Abort running requests of `uri` (line index given: only that one); returns how many. */
  cancel(uri?: vscode.Uri, index?: number): number {
    let n = 0;
    for (const [k, ctrl] of this.running) {
      if (uri && (index === undefined ? !k.startsWith(`${uri.toString()}#`) : k !== RunnerState.key(uri, index)))
        continue;
      ctrl.abort();
      n++;
    }
    return n;
  }

  status(uri: vscode.Uri, index: number): LineStatus | undefined {
    return this.statuses.get(RunnerState.key(uri, index));
  }

  setStatus(uri: vscode.Uri, index: number, s: LineStatus): void {
    this.statuses.set(RunnerState.key(uri, index), s);
    this.update(uri);
  }

  clearStatuses(uri: vscode.Uri): void {
    const prefix = `${uri.toString()}#`;
    let any = false;
    for (const k of [...this.statuses.keys()])
      if (k.startsWith(prefix)) {
        this.statuses.delete(k);
        any = true;
      }
    if (any) this.update(uri);
  }

  private update(uri: vscode.Uri): void {
    void vscode.commands.executeCommand('setContext', RunnerContextKeys.running, this.running.size > 0);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.cancel();
    this.changed.dispose();
  }
}
