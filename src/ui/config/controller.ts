/**
 * Plan, Apply, Pull and the config secrets, in VS Code: a thin adapter over src/core/config. Loaded on the first config
 * command (it pulls in the config core). Remote work runs under a cancellable progress notification; its token
 * becomes the core's AbortSignal.
 */
import * as vscode from 'vscode';
import {
  ConfigDocument,
  ENV_NAME,
  MissingSecretsError,
  NothingAppliedError,
  applyConfig,
  computePlan,
  isNoop,
  pullConfig,
  readSecretFile,
  renderApplyResult,
  renderChangesBrief,
  renderPlan,
  describeSecret,
  secretEnvNames,
  summarize,
  type Analysis,
  type ApplyResult,
  type Path,
  type Plan,
  type PlanMode,
  type StepKey,
} from '../../core/config/index';
import type { Redactor } from '../../core/util/redact';
import type { ActiveSession, Session } from '../auth/session';
import { toAbortSignal } from '../platform/errorBoundary';
import { Commands } from '../platform/ids';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import { readOnlyRefusal } from '../platform/workspaceFiles';
import { adoptIntoConfig, type AdoptOutcome } from './adopt';
import type { ConfigDiagnostics } from './diagnostics';
import { ConfigCommands } from './ids';
import type { PlanDocuments } from './planDocuments';
import { SavedPlans } from './savedPlans';
import { secretFileReader } from './secretFiles';
import type { ConfigSecrets } from './secrets';

export interface ConfigControllerDeps {
  readonly log: ChannelLogger;
  readonly prompts: Prompts;
  readonly session: Session;
  readonly redactor: Redactor;
  readonly diagnostics: ConfigDiagnostics;
  readonly secrets: ConfigSecrets;
  readonly plans: PlanDocuments;
}

/** How a plan / apply is made: apply or sync, and which secrets are re-sent. */
export interface RunOptions {
  readonly mode?: PlanMode | undefined;
  /** Re-send every write-only secret of existing providers. */
  readonly resendSecrets?: boolean | undefined;
  /** Re-send these (`<provider ref>.<field>`). */
  readonly rotate?: readonly string[] | undefined;
}

export interface PlanOutcome {
  readonly file: vscode.Uri;
  readonly plan: Plan;
  /** The plan document. */
  readonly document: vscode.Uri;
  readonly text: string;
}

export interface ApplyOutcome extends PlanOutcome {
  /** Undefined when there was nothing to apply or the user said no. */
  readonly result: ApplyResult | undefined;
  readonly message: string;
}

export interface PullOutcome {
  readonly uri: vscode.Uri;
  readonly providers: number;
  readonly strategies: number;
  readonly secretNames: readonly string[];
}

export interface Target {
  readonly uri: vscode.Uri;
  readonly text: string;
  readonly analysis: Analysis;
}

const baseName = (uri: vscode.Uri): string => uri.path.slice(uri.path.lastIndexOf('/') + 1);

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg)
    return /^[a-z][a-z0-9+.-]*:/i.test(arg) && !/^[a-z]:[\\/]/i.test(arg)
      ? vscode.Uri.parse(arg)
      : vscode.Uri.file(arg);
  if (
    arg &&
    typeof arg === 'object' &&
    'resourceUri' in arg &&
    (arg as { resourceUri?: unknown }).resourceUri instanceof vscode.Uri
  )
    return (arg as { resourceUri: vscode.Uri }).resourceUri;
  return undefined;
}

/** A command's name in the pick's title ("Plan which config file?"); `verb` itself is part of the question's id. */
function verbText(verb: string): string {
  switch (verb) {
    case 'Plan':
      return vscode.l10n.t('Plan');
    case 'Plan Sync':
      return vscode.l10n.t('Plan Sync');
    case 'Apply':
      return vscode.l10n.t('Apply');
    case 'Sync':
      return vscode.l10n.t('Sync');
    case 'Rotate Secrets':
      return vscode.l10n.t('Rotate Secrets');
    default:
      return verb;
  }
}

export class ConfigController {
  /**
   * Per file and connection: the creates its last apply sent without an answer. Konnect may carry them out later,
   * so the next apply looks each up by name before creating it (`ApplyOptions.lookUpFirst`).
   */
  private readonly maybeCreated = new Map<string, readonly StepKey[]>();

  constructor(private readonly deps: ConfigControllerDeps) {}

  private savedPlans: SavedPlans | undefined;
  /** Save Plan…, Review Saved Plan…, Apply Saved Plan…. */
  get saved(): SavedPlans {
    return (this.savedPlans ??= new SavedPlans(this.deps, this));
  }

  private get log(): ChannelLogger {
    return this.deps.log;
  }

  /** The config file a command is about (also for Save Plan…): its argument, else the active editor, else a pick among known files. */
  async target(arg: unknown, verb: string): Promise<Target | undefined> {
    let uri = toUri(arg);
    if (!uri) {
      const active = vscode.window.activeTextEditor?.document;
      if (active && (active.languageId === 'yaml' || /\.ya?ml$/i.test(active.uri.path))) uri = active.uri;
    }
    if (!uri) {
      const files = this.deps.diagnostics.knownFiles();
      const pick = await this.deps.prompts.pick(
        `config.${verb}.file`,
        files.map((u) => ({ label: baseName(u), description: vscode.workspace.asRelativePath(u), uri: u })),
        {
          title: vscode.l10n.t('Konnect DCR: {0} which config file?', verbText(verb)),
          placeHolder: files.length
            ? vscode.l10n.t('A kongctl / Konnect DCR config file')
            : vscode.l10n.t('No config file found (*.kongctl.yaml, konnect-dcr*.yaml)'),
        },
      );
      if (!pick) return undefined;
      uri = pick.uri;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const analysis = await this.deps.diagnostics.analysisOf(uri, text, open?.version);
    return { uri, text, analysis };
  }

  async signedIn(): Promise<ActiveSession | undefined> {
    const s = await this.deps.session.active();
    if (!s) {
      this.deps.prompts.notify(
        'warning',
        vscode.l10n.t('Konnect DCR: sign in to Konnect first (plan, apply and pull talk to Konnect).'),
        [vscode.l10n.t('Sign In…')],
        () => vscode.commands.executeCommand(Commands.signIn),
      );
    }
    return s;
  }

  /** Refuses a file with errors, pointing at the Problems view. */
  usable(t: Target): boolean {
    const files = this.deps.diagnostics.secretFileProblems(t.uri);
    if (t.analysis.model && files.length) {
      this.deps.prompts.notify(
        'error',
        vscode.l10n.t('Konnect DCR: nothing was done: {0}', files.join(' ')),
        [vscode.l10n.t('Show Problems')],
        () => vscode.commands.executeCommand('workbench.actions.view.problems'),
      );
      return false;
    }
    if (t.analysis.model) return true;
    const n = t.analysis.errorCount;
    this.deps.prompts.notify(
      'error',
      n === 1
        ? vscode.l10n.t('Konnect DCR: {0} has 1 problem to fix first (see the Problems view).', baseName(t.uri))
        : vscode.l10n.t('Konnect DCR: {0} has {1} problems to fix first (see the Problems view).', baseName(t.uri), n),
      [vscode.l10n.t('Show Problems')],
      () => vscode.commands.executeCommand('workbench.actions.view.problems'),
    );
    return false;
  }

  external(
    t: Target,
  ): { ref: string; kind: 'provider' | 'strategy' | 'authServer' | 'other'; name: string | undefined }[] {
    return this.deps.diagnostics.siblingRefs(t.uri).map((r) => ({ ref: r.ref, kind: r.kind, name: r.name }));
  }

  private async showPlan(file: vscode.Uri, text: string, mode: PlanMode): Promise<vscode.Uri> {
    const doc = this.deps.plans.uriFor(file, mode);
    this.deps.plans.set(doc, text);
    await vscode.window.showTextDocument(doc, {
      preview: true,
      preserveFocus: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
    return doc;
  }

  private async computePlan(t: Target, s: ActiveSession, run: RunOptions): Promise<{ plan: Plan; text: string }> {
    const plan = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title:
          run.mode === 'sync'
            ? vscode.l10n.t('Konnect DCR: planning a sync of {0} against {1}…', baseName(t.uri), s.info.name)
            : vscode.l10n.t('Konnect DCR: planning {0} against {1}…', baseName(t.uri), s.info.name),
        cancellable: true,
      },
      (_p, token) =>
        computePlan(s.client, t.analysis.model!, {
          signal: toAbortSignal(token),
          resendSecrets: run.resendSecrets,
          rotate: run.rotate,
          mode: run.mode,
          external: this.external(t),
        }),
    );
    return {
      plan,
      text: renderPlan(plan, { file: vscode.workspace.asRelativePath(t.uri), target: `${s.info.name} (${s.host})` }),
    };
  }

  /** What a plan document shows, for "Save Plan…" on it. */
  private remember(document: vscode.Uri, t: Target, s: ActiveSession, plan: Plan): void {
    this.deps.plans.remember(document, {
      file: t.uri,
      configText: t.text,
      plan,
      desired: t.analysis.model!,
      external: this.external(t),
      target: { name: s.info.name, host: s.host },
    });
  }

  /** "Konnect DCR: Plan" / "Plan Sync": what Apply (or Sync) would change, as a readable document. */
  async plan(arg?: unknown, opts: RunOptions = {}): Promise<PlanOutcome | undefined> {
    const t = await this.target(arg, opts.mode === 'sync' ? 'Plan Sync' : 'Plan');
    if (!t || !this.usable(t)) return undefined;
    const s = await this.signedIn();
    if (!s) return undefined;
    const { plan, text } = await this.computePlan(t, s, opts);
    this.log.info(`${plan.mode} plan of ${baseName(t.uri)} against ${s.info.name}: ${summarize(plan)}`);
    const document = await this.showPlan(t.uri, text, plan.mode);
    this.remember(document, t, s, plan);
    return { file: t.uri, plan, document, text };
  }

  /**
   * "Konnect DCR: Apply" / "Sync…" / "Rotate Secrets…": plan, confirm once (modal, listing the changes and every
   * delete), apply with progress and cancel.
   */
  async apply(arg?: unknown, opts: RunOptions = {}): Promise<ApplyOutcome | undefined> {
    const sync = opts.mode === 'sync';
    const t = await this.target(arg, sync ? 'Sync' : 'Apply');
    if (!t || !this.usable(t)) return undefined;
    const s = await this.signedIn();
    if (!s) return undefined;
    const { plan, text } = await this.computePlan(t, s, opts);
    const document = await this.showPlan(t.uri, text, plan.mode);
    this.remember(document, t, s, plan);
    const file = baseName(t.uri);
    if (isNoop(plan)) {
      const message = sync
        ? vscode.l10n.t(
            'Konnect DCR: nothing to sync, {0} already matches {1} ({2}).',
            s.info.name,
            file,
            summarize(plan),
          )
        : vscode.l10n.t(
            'Konnect DCR: nothing to apply, {0} already matches {1} ({2}).',
            s.info.name,
            file,
            summarize(plan),
          );
      this.deps.prompts.notify('info', message);
      return { file: t.uri, plan, document, text, result: undefined, message };
    }
    const verb = sync ? vscode.l10n.t('Sync') : vscode.l10n.t('Apply');
    const ok = await this.deps.prompts.confirm(
      sync ? 'config.sync.confirm' : 'config.apply.confirm',
      sync
        ? vscode.l10n.t('Sync {0} to {1} ({2})?', file, s.info.name, s.host)
        : vscode.l10n.t('Apply {0} to {1} ({2})?', file, s.info.name, s.host),
      vscode.l10n.t(
        '{0}.\n\n{1}\n\n{2}',
        summarize(plan),
        renderChangesBrief(plan),
        sync
          ? plan.counts.delete
            ? vscode.l10n.t('The deletes cannot be undone.')
            : vscode.l10n.t('Nothing is deleted.')
          : vscode.l10n.t('Nothing is deleted (Sync deletes what the file no longer has).'),
      ),
      verb,
    );
    if (!ok)
      return {
        file: t.uri,
        plan,
        document,
        text,
        result: undefined,
        message: sync ? vscode.l10n.t('Not synced.') : vscode.l10n.t('Not applied.'),
      };
    return this.carryOut(t, s, plan, document, text, opts);
  }

  private async carryOut(
    t: Target,
    s: ActiveSession,
    plan: Plan,
    document: vscode.Uri,
    text: string,
    opts: RunOptions,
  ): Promise<ApplyOutcome> {
    const file = baseName(t.uri);
    const sync = plan.mode === 'sync';

    const pendingKey = `${s.info.baseUrl}\n${s.info.name}\n${t.uri.toString()}`;
    let result: ApplyResult;
    try {
      result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: sync
            ? vscode.l10n.t('Konnect DCR: syncing {0} to {1}', file, s.info.name)
            : vscode.l10n.t('Konnect DCR: applying {0} to {1}', file, s.info.name),
          cancellable: true,
        },
        (progress, token) => {
          let last = 0;
          return applyConfig(s.client, t.analysis.model!, {
            signal: toAbortSignal(token),
            resendSecrets: opts.resendSecrets,
            rotate: opts.rotate,
            mode: plan.mode,
            expected: plan,
            external: this.external(t),
            lookUpFirst: this.maybeCreated.get(pendingKey),
            resolveSecret: (name) => this.deps.secrets.resolve(name),
            // a Kong Identity client's secret, issued once on create: SecretStorage only (redacted from the log)
            keepSecret: (name, value) => this.deps.secrets.store(name, value),
            readSecretFile: secretFileReader(t.uri, (v) => this.deps.redactor.add(v), readSecretFile),
            onProgress: (done, total, message) => {
              const pct = total ? (done / total) * 100 : 100;
              progress.report({ message: `${message} (${Math.min(done + 1, total)}/${total})`, increment: pct - last });
              last = pct;
            },
          });
        },
      );
    } catch (err) {
      if (err instanceof MissingSecretsError) {
        const message = vscode.l10n.t('Konnect DCR: {0}', err.message);
        this.log.warn(err.message);
        this.deps.prompts.notify('error', message, err.names.length ? [vscode.l10n.t('Store Secret…')] : [], () =>
          vscode.commands.executeCommand(ConfigCommands.storeSecret, err.names[0]),
        );
        return { file: t.uri, plan, document, text, result: undefined, message };
      }
      if (err instanceof NothingAppliedError) {
        const message = vscode.l10n.t('Konnect DCR: {0}', err.message);
        this.log.warn(err.message);
        this.deps.prompts.notify('error', message, [vscode.l10n.t('Show Log')], () =>
          vscode.commands.executeCommand(Commands.showLog),
        );
        return { file: t.uri, plan, document, text, result: undefined, message };
      }
      throw err;
    }
    if (result.maybeCreated.length) this.maybeCreated.set(pendingKey, result.maybeCreated);
    else this.maybeCreated.delete(pendingKey);
    const report = renderApplyResult(result);
    this.log.info(`${plan.mode} of ${file} to ${s.info.name}: ${report.replace(/\n/g, ' | ')}`);
    const after = result.stale
      ? renderPlan(result.plan, { file: vscode.workspace.asRelativePath(t.uri), target: `${s.info.name} (${s.host})` })
      : text;
    this.deps.plans.set(
      document,
      `${after}\n# Apply result\n${report
        .split('\n')
        .map((l) => `# ${l}`)
        .join('\n')}\n`,
    );
    let message: string;
    if (result.ok) {
      message = vscode.l10n.t('Konnect DCR: {0}', report);
      this.deps.prompts.notify('info', message);
    } else if (result.stale) {
      message = vscode.l10n.t('Konnect DCR: {0}', report);
      this.deps.prompts.notify(
        'warning',
        message,
        [sync ? vscode.l10n.t('Sync Again') : vscode.l10n.t('Apply Again')],
        () =>
          sync
            ? vscode.commands.executeCommand(ConfigCommands.sync, t.uri)
            : opts.resendSecrets
              ? vscode.commands.executeCommand(ConfigCommands.applyResendSecrets, t.uri)
              : vscode.commands.executeCommand(ConfigCommands.apply, t.uri),
      );
    } else {
      message = vscode.l10n.t('Konnect DCR: {0} See the plan document for what exists now.', report.split('\n')[0]!);
      this.deps.prompts.notify(result.cancelled ? 'warning' : 'error', message, [vscode.l10n.t('Show Log')], () =>
        vscode.commands.executeCommand(Commands.showLog),
      );
    }
    if (result.applied.length) void vscode.commands.executeCommand(Commands.refresh).then(undefined, () => undefined);
    return { file: t.uri, plan: result.plan, document, text, result, message };
  }

  /**
   * "Konnect DCR: Rotate Secrets…": re-sends the chosen write-only secrets of existing providers (Konnect never
   * returns them, so a plan cannot tell they changed). `keys`: `<provider ref>.<field>`; asked when not given.
   */
  async rotateSecrets(arg?: unknown, keys?: unknown): Promise<ApplyOutcome | undefined> {
    const t = await this.target(arg, 'Rotate Secrets');
    if (!t || !this.usable(t)) return undefined;
    const all = t.analysis.model!.providers.flatMap((p) =>
      Object.entries(p.secrets).map(([field, spec]) => ({
        key: `${p.ref}.${field}`,
        label: `${p.name}: dcr_config.${field}`,
        description: describeSecret(spec),
      })),
    );
    let chosen: string[] | undefined;
    if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) {
      const unknown = keys.filter((k) => !all.some((a) => a.key === k));
      if (unknown.length) throw new Error(vscode.l10n.t('{0} has no secret {1}.', baseName(t.uri), unknown.join(', ')));
      chosen = keys;
    } else {
      if (!all.length) {
        this.deps.prompts.notify(
          'info',
          vscode.l10n.t('Konnect DCR: {0} has no write-only secret to rotate.', baseName(t.uri)),
        );
        return undefined;
      }
      const picked = await this.deps.prompts.pickMany('config.rotate.secrets', all, {
        title: vscode.l10n.t(
          'Konnect DCR: re-send which secrets? (Konnect never returns them, so a plan cannot compare them)',
        ),
      });
      chosen = picked?.map((p) => p.key);
    }
    if (!chosen?.length) return undefined;
    return this.apply(t.uri, { rotate: chosen });
  }

  /** "Konnect DCR: Pull": Konnect's providers and strategies into a config file (secrets as references). */
  async pull(arg?: unknown): Promise<PullOutcome | undefined> {
    const s = await this.signedIn();
    if (!s) return undefined;
    let uri = toUri(arg);
    if (!uri) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      uri = await vscode.window.showSaveDialog({
        title: vscode.l10n.t("Konnect DCR: pull Konnect's DCR providers and auth strategies into…"),
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'konnect-dcr.pulled.kongctl.yaml') } : {}),
        filters: { YAML: ['yaml', 'yml'] },
      });
      if (!uri) return undefined;
    }
    const refusal = readOnlyRefusal(uri, vscode.l10n.t('The pulled config'));
    if (refusal) throw new Error(refusal);
    const exists = await vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
    if (
      exists &&
      !(await this.deps.prompts.confirm(
        'config.pull.overwrite',
        vscode.l10n.t('Replace {0}?', baseName(uri)),
        vscode.l10n.t('It will hold what Konnect has now; its current content is lost.'),
        vscode.l10n.t('Replace'),
      ))
    )
      return undefined;
    const target = uri;
    const pulled = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Konnect DCR: pulling from {0}…', s.info.name),
        cancellable: true,
      },
      (_p, token) =>
        pullConfig(s.client, {
          signal: toAbortSignal(token),
          comment: `Pulled from Konnect: connection "${s.info.name}" (${s.host}).`,
        }),
    );
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(pulled.text));
    await vscode.window.showTextDocument(target, { preview: false });
    const providers =
      pulled.providers === 1 ? vscode.l10n.t('1 DCR provider') : vscode.l10n.t('{0} DCR providers', pulled.providers);
    const strategies =
      pulled.strategies === 1
        ? vscode.l10n.t('1 auth strategy')
        : vscode.l10n.t('{0} auth strategies', pulled.strategies);
    const message = pulled.secretNames.length
      ? vscode.l10n.t(
          'Konnect DCR: pulled {0} and {1} into {2}. Secrets are references: store them before creating these providers elsewhere.',
          providers,
          strategies,
          baseName(target),
        )
      : vscode.l10n.t('Konnect DCR: pulled {0} and {1} into {2}.', providers, strategies, baseName(target));
    this.log.info(message);
    this.deps.prompts.notify('info', message);
    return { uri: target, providers: pulled.providers, strategies: pulled.strategies, secretNames: pulled.secretNames };
  }

  /** "Adopt into Config File…" (kongctl's adopt): a Konnect resource into a config file, labelled with its namespace. */
  async adopt(arg?: unknown): Promise<AdoptOutcome | undefined> {
    const s = await this.signedIn();
    if (!s) return undefined;
    return adoptIntoConfig(
      { log: this.log, prompts: this.deps.prompts, knownFiles: () => this.deps.diagnostics.knownFiles() },
      s,
      arg,
    );
  }

  /** "Konnect DCR: Store Secret…": a value for `!secret {source: !env NAME}`, kept in SecretStorage. */
  async storeSecret(name?: unknown): Promise<string | undefined> {
    let varName = typeof name === 'string' && name ? name : undefined;
    if (!varName) {
      const active = vscode.window.activeTextEditor?.document;
      const model = active
        ? (await this.deps.diagnostics.analysisOf(active.uri, active.getText(), active.version)).model
        : undefined;
      const referenced = model
        ? [...new Set(model.providers.flatMap((p) => Object.values(p.secrets).flatMap(secretEnvNames)))]
        : [];
      const names = [...new Set([...referenced, ...this.deps.secrets.names()])];
      const items = await Promise.all(
        names.map(async (n) => {
          const src = await this.deps.secrets.source(n);
          return {
            label: n,
            description:
              src === 'secretStorage'
                ? vscode.l10n.t('stored')
                : src === 'environment'
                  ? vscode.l10n.t('from the environment')
                  : vscode.l10n.t('not set'),
          };
        }),
      );
      const another = vscode.l10n.t('Another name…');
      const pick = await this.deps.prompts.pick('config.secret.name', [...items, { label: another, description: '' }], {
        title: vscode.l10n.t('Konnect DCR: store which secret?'),
      });
      if (!pick) return undefined;
      varName =
        pick.label === another
          ? await this.deps.prompts.input('config.secret.newName', {
              prompt: vscode.l10n.t('The variable name the config file uses in !secret {source: !env NAME}'),
              validateInput: (v) =>
                ENV_NAME.test(v) ? undefined : vscode.l10n.t('Letters, digits and _, not starting with a digit'),
            })
          : pick.label;
      if (!varName) return undefined;
    }
    if (!ENV_NAME.test(varName))
      throw new Error(
        vscode.l10n.t('"{0}" is not a variable name (letters, digits and _, not starting with a digit).', varName),
      );
    const value = await this.deps.prompts.input('config.secret.value', {
      prompt: vscode.l10n.t(
        "Value of {0}: kept in VS Code's SecretStorage, used by Plan/Apply instead of the environment variable",
        varName,
      ),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v ? undefined : vscode.l10n.t('Enter a value')),
    });
    if (!value) return undefined;
    await this.deps.secrets.store(varName, value);
    this.log.info(`stored the config secret ${varName} in SecretStorage`);
    this.deps.prompts.notify('info', vscode.l10n.t("Konnect DCR: {0} is stored in VS Code's SecretStorage.", varName));
    return varName;
  }

  /** "Konnect DCR: Forget Stored Secret…" */
  async forgetSecret(name?: unknown): Promise<string | undefined> {
    let varName = typeof name === 'string' && name ? name : undefined;
    if (!varName) {
      const pick = await this.deps.prompts.pick(
        'config.secret.forget',
        this.deps.secrets.names().map((n) => ({ label: n })),
        { title: vscode.l10n.t('Konnect DCR: forget which stored secret?') },
      );
      varName = pick?.label;
    }
    if (!varName) return undefined;
    await this.deps.secrets.forget(varName);
    this.deps.prompts.notify(
      'info',
      vscode.l10n.t("Konnect DCR: {0} was removed from VS Code's SecretStorage.", varName),
    );
    return varName;
  }

  /** The quick fix: the literal at `path` goes to SecretStorage; the file gets `!secret {source: !env VAR}`. */
  async moveSecretToStorage(uriArg: unknown, path: Path, varName: string): Promise<string | undefined> {
    const uri = toUri(uriArg);
    if (!uri || !Array.isArray(path) || !ENV_NAME.test(varName))
      throw new Error('moveSecretToStorage needs (uri, path, variable name)');
    const doc = await vscode.workspace.openTextDocument(uri);
    const wasDirty = doc.isDirty;
    const parsed = ConfigDocument.parse(doc.getText());
    const node = parsed.nodeAt(path);
    const value =
      node && !node.tag && typeof (node as { value?: unknown }).value === 'string'
        ? (node as { value: string }).value
        : undefined;
    if (!value) throw new Error(vscode.l10n.t('There is no literal secret there any more.'));
    let name = varName;
    for (
      let n = 2;
      (await this.deps.secrets.source(name)) === 'secretStorage' && (await this.deps.secrets.resolve(name)) !== value;
      n++
    )
      name = `${varName}_${n}`;
    await this.deps.secrets.store(name, value);
    const r = parsed.rangeOf(node);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      uri,
      new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
      `!secret {source: !env ${name}}`,
    );
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('Could not edit {0}.', baseName(uri)));
    // the literal must leave the disk too, unless the user has other unsaved edits there
    if (!wasDirty) await doc.save();
    this.log.info(`moved a literal secret of ${baseName(uri)} to SecretStorage as ${name}`);
    this.deps.prompts.notify(
      'info',
      vscode.l10n.t(
        "Konnect DCR: the secret is now in VS Code's SecretStorage as {0}; the file references it (kongctl reads {0} from the environment).",
        name,
      ),
    );
    return name;
  }
}
