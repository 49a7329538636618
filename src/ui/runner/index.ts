/**
 * The request runner's registration (called once from activate): the CodeLens provider (following the
 * `konnectDcr.runner.codeLens` setting), the problems of `.http` files, and the commands. Only light modules load
 * here; the controller (executor, JWT checks, response view, zod) loads on the first runner command.
 */
import * as vscode from 'vscode';
import type { Redactor } from '../../core/util/redact';
import type { Session } from '../auth/session';
import { registerRunnerCommands } from '../commands/runner';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import { ParseCache, RequestCodeLensProvider } from './codelens';
import type { RunnerController } from './controller';
import { REQUEST_SELECTOR } from './ids';
import { RunnerState } from './state';

export interface RunnerRegistration {
  readonly log: ChannelLogger;
  readonly prompts: Prompts;
  readonly session: Session;
  readonly redactor: Redactor;
  /** Hands the (lazy) controller getter to other parts (the Testing view, the language-model tools). */
  readonly onController?: ((get: () => Promise<RunnerController>) => void) | undefined;
}

/** A controller that failed to load has nothing to dispose; the command that asked for it reported the failure. */
const noController = (): void => undefined;
const isRequestDoc = (d: vscode.TextDocument): boolean => d.languageId === 'http' || /\.(http|rest)$/i.test(d.uri.path);

export function registerRunner(context: vscode.ExtensionContext, deps: RunnerRegistration): vscode.Disposable[] {
  const log = deps.log.child('runner');
  const state = new RunnerState();
  const parses = new ParseCache();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
  const load = (): typeof import('./controller') => require('./controller');
  let controller: Promise<RunnerController> | undefined;
  const getController = (): Promise<RunnerController> =>
    (controller ??= Promise.resolve().then(
      () =>
        new (load().RunnerController)({
          context,
          log,
          prompts: deps.prompts,
          session: deps.session,
          redactor: deps.redactor,
          state,
          parses,
        }),
    ));

  deps.onController?.(getController);

  // CodeLens, registered while the setting is on
  const lenses = new RequestCodeLensProvider(parses, state);
  let lensRegistration: vscode.Disposable | undefined;
  const syncLenses = (): void => {
    const on = vscode.workspace.getConfiguration('konnectDcr.runner').get<boolean>('codeLens', true);
    if (on && !lensRegistration)
      lensRegistration = vscode.languages.registerCodeLensProvider([...REQUEST_SELECTOR], lenses);
    else if (!on && lensRegistration) {
      lensRegistration.dispose();
      lensRegistration = undefined;
    }
  };
  syncLenses();

  // what the runner cannot send, as problems
  const diagnostics = vscode.languages.createDiagnosticCollection('konnect-dcr-requests');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const publish = (doc: vscode.TextDocument): void => {
    if (!isRequestDoc(doc)) return;
    const file = parses.get(doc);
    diagnostics.set(
      doc.uri,
      file.diagnostics.map((d) => {
        const sev =
          d.severity === 'error'
            ? vscode.DiagnosticSeverity.Error
            : d.severity === 'warning'
              ? vscode.DiagnosticSeverity.Warning
              : vscode.DiagnosticSeverity.Information;
        const diag = new vscode.Diagnostic(
          new vscode.Range(d.line, d.startCol, d.line, Math.max(d.endCol, d.startCol + 1)),
          d.message,
          sev,
        );
        diag.source = 'Konnect DCR';
        diag.code = d.code;
        return diag;
      }),
    );
  };
  const schedule = (doc: vscode.TextDocument): void => {
    if (!isRequestDoc(doc)) return;
    const k = doc.uri.toString();
    clearTimeout(timers.get(k));
    timers.set(
      k,
      setTimeout(() => {
        timers.delete(k);
        publish(doc);
      }, 250),
    );
  };
  for (const d of vscode.workspace.textDocuments) schedule(d);

  return [
    state,
    lenses,
    diagnostics,
    {
      dispose: () => {
        lensRegistration?.dispose();
        for (const t of timers.values()) clearTimeout(t);
        if (controller) void controller.then((c) => c.dispose(), noController);
      },
    },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('konnectDcr.runner.codeLens')) syncLenses();
    }),
    vscode.workspace.onDidOpenTextDocument(schedule),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      diagnostics.delete(d.uri);
      parses.forget(d.uri);
    }),
    ...registerRunnerCommands({ log, prompts: deps.prompts, state, controller: getController }),
  ];
}
