/**
 * The workspace config's registration (called once from activate): problems on config files, their quick fixes,
 * the plan documents and the commands. Only light modules load here; the config core (yaml, zod, plan/apply) and
 * the controller load with the first config file or command.
 *
 * Config files: the `konnectDcr.config.files` globs (default `**\/*.kongctl.{yaml,yml}` and
 * `**\/konnect-dcr*.{yaml,yml}`). Secrets: `!secret {source: !env VAR}` in the file; the value from SecretStorage
 * ("Konnect DCR: Store Secret…"), else the environment (see ConfigSecrets).
 */
import * as vscode from 'vscode';
import type { Redactor } from '../../core/util/redact';
import type { Session } from '../auth/session';
import { registerConfigCommands } from '../commands/config';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import { ConfigCodeActions } from './codeActions';
import type { ConfigController } from './controller';
import { ConfigDiagnostics } from './diagnostics';
import { PLAN_SCHEME } from './ids';
import { PlanDocuments } from './planDocuments';
import { ConfigSecrets } from './secrets';

export interface ConfigRegistration {
  readonly log: ChannelLogger;
  readonly prompts: Prompts;
  readonly session: Session;
  readonly redactor: Redactor;
}

export function registerConfig(context: vscode.ExtensionContext, deps: ConfigRegistration): vscode.Disposable[] {
  const log = deps.log.child('config');
  const diagnostics = new ConfigDiagnostics(log);
  const plans = new PlanDocuments();
  const secrets = new ConfigSecrets(context.secrets, context.globalState, process.env, (v) => deps.redactor.add(v));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
  const load = (): typeof import('./controller') => require('./controller');
  let controller: Promise<ConfigController> | undefined;
  const getController = (): Promise<ConfigController> =>
    (controller ??= Promise.resolve().then(
      () =>
        new (load().ConfigController)({
          log,
          prompts: deps.prompts,
          session: deps.session,
          redactor: deps.redactor,
          diagnostics,
          secrets,
          plans,
        }),
    ));
  return [
    diagnostics,
    plans,
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, plans),
    vscode.languages.registerCodeActionsProvider([{ language: 'yaml' }], new ConfigCodeActions(diagnostics), {
      providedCodeActionKinds: ConfigCodeActions.kinds,
    }),
    ...registerConfigCommands({ log, prompts: deps.prompts, controller: getController }),
  ];
}
