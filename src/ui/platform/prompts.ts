import * as vscode from 'vscode';
import type { Redactor } from '../../core/util/redact';

/** A message the extension showed (or would have shown): kept for the tests and for the secret scan. */
export interface ShownMessage {
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly modal: boolean;
  readonly detail?: string | undefined;
  readonly items: readonly string[];
}

/** A question the extension asked: kept for the tests (`api.testing.prompts.asked`). */
export interface AskedPrompt {
  readonly kind: 'pick' | 'input' | 'confirm';
  /** Stable id of the question, e.g. `signIn.token`. */
  readonly id: string;
  readonly text: string;
  readonly password?: boolean;
  readonly modal?: boolean;
}

/**
 * A scripted answer for the next question (tests only: in-host tests cannot click quick picks, and the test
 * workbench skips modal dialogs). `undefined` answers like Escape. For a pick, the answer is an item's label.
 */
export interface ScriptedAnswer {
  readonly id?: string;
  readonly answer: string | undefined;
}

const MAX_KEPT = 200;

/**
 * Every question and message of the UI flows goes through here, so that:
 * - toasts never block a command (a command that awaited a toast would never finish where toasts are hidden);
 * - tests can answer questions and read what was shown.
 */
export class Prompts {
  /** Toasts are built from error texts and server answers: masked like the log before they are shown. */
  constructor(private readonly redactor?: Redactor) {}

  private readonly scripted: ScriptedAnswer[] = [];
  readonly shown: ShownMessage[] = [];
  readonly asked: AskedPrompt[] = [];

  /** Tests: answer the next questions, in order. */
  script(...answers: ScriptedAnswer[]): void {
    this.scripted.push(...answers);
  }

  /** Tests: drop answers that were not used (and say how many). */
  clearScript(): number {
    return this.scripted.splice(0).length;
  }

  private record<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > MAX_KEPT) list.splice(0, list.length - MAX_KEPT);
  }

  private take(id: string): ScriptedAnswer | undefined {
    const next = this.scripted[0];
    if (!next) return undefined;
    if (next.id !== undefined && next.id !== id)
      throw new Error(`scripted answer for "${next.id}" but the question is "${id}"`);
    return this.scripted.shift();
  }

  async pick<T extends vscode.QuickPickItem>(
    id: string,
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Promise<T | undefined> {
    this.record(this.asked, { kind: 'pick', id, text: options.title ?? options.placeHolder ?? '' });
    const s = this.take(id);
    if (s) {
      if (s.answer === undefined) return undefined;
      const found = items.find((i) => i.label === s.answer) ?? items.find((i) => i.label.includes(s.answer!));
      if (!found) throw new Error(`scripted pick "${s.answer}" is not among ${items.map((i) => i.label).join(' | ')}`);
      return found;
    }
    return vscode.window.showQuickPick([...items], options);
  }

  /** Several items; a scripted answer is their labels joined by ", " (an empty string: none). */
  async pickMany<T extends vscode.QuickPickItem>(
    id: string,
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Promise<T[] | undefined> {
    this.record(this.asked, { kind: 'pick', id, text: options.title ?? options.placeHolder ?? '' });
    const s = this.take(id);
    if (s) {
      if (s.answer === undefined) return undefined;
      const labels = s.answer ? s.answer.split(', ') : [];
      const found = labels.map((l) => items.find((i) => i.label === l));
      if (found.some((f) => !f))
        throw new Error(`scripted picks "${s.answer}" are not among ${items.map((i) => i.label).join(' | ')}`);
      return found as T[];
    }
    return vscode.window.showQuickPick([...items], { ...options, canPickMany: true });
  }

  async input(id: string, options: vscode.InputBoxOptions): Promise<string | undefined> {
    this.record(this.asked, {
      kind: 'input',
      id,
      text: options.prompt ?? options.title ?? '',
      password: options.password ?? false,
    });
    const s = this.take(id);
    if (s) {
      if (s.answer === undefined) return undefined;
      const problem = await options.validateInput?.(s.answer);
      const text = typeof problem === 'string' ? problem : problem?.message;
      if (text && (typeof problem === 'string' || problem?.severity === vscode.InputBoxValidationSeverity.Error)) {
        throw new Error(`scripted input for "${id}" refused: ${text}`);
      }
      return s.answer;
    }
    return vscode.window.showInputBox(options);
  }

  /** A modal confirmation ("Delete"?): true only when the user picks `action`. */
  async confirm(id: string, message: string, detail: string, action: string): Promise<boolean> {
    this.record(this.asked, { kind: 'confirm', id, text: message, modal: true });
    this.record(this.shown, { severity: 'warning', message, detail, modal: true, items: [action] });
    const s = this.take(id);
    if (s) return s.answer === action;
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  }

  /**
   * A toast. Never await it inside a command: the promise settles only when the user clicks or dismisses it.
   * `onChoice` runs when an item is clicked.
   */
  notify(
    severity: ShownMessage['severity'],
    text: string,
    items: readonly string[] = [],
    onChoice?: (item: string) => unknown,
  ): void {
    const message = this.redactor ? this.redactor.redact(text) : text;
    this.record(this.shown, { severity, message, modal: false, items });
    const show =
      severity === 'error'
        ? vscode.window.showErrorMessage
        : severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    void Promise.resolve(show(message, ...items))
      .then((choice) => {
        if (choice !== undefined && onChoice) return onChoice(choice);
        return undefined;
      })
      .then(undefined, () => undefined);
  }
}
