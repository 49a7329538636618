/**
 * Saved plans in VS Code: "Save Plan…" (kongctl's `plan --output-file`), "Review Saved Plan…" (its `diff --plan`)
 * and "Apply Saved Plan…" (`apply --plan` / `sync --plan`: the plan records its mode). The file format and the
 * staleness check are src/core/config/savedPlan.ts; this is the adapter: dialogs, the readable review document,
 * confirmation, progress, messages.
 */
import * as vscode from 'vscode';
import {
  MissingSecretsError,
  NothingAppliedError,
  SecretInPlanError,
  applySavedPlan,
  isNoop,
  readSavedPlan,
  readSecretFile,
  renderApplyResult,
  renderBaseChanges,
  renderChangesBrief,
  savePlan,
  sha256,
  summarize,
  type ApplyResult,
  type BaseChange,
  type PlanMode,
  type SavedPlan,
} from '../../core/config/index';
import { toAbortSignal } from '../platform/errorBoundary';
import { Commands } from '../platform/ids';
import { readOnlyRefusal } from '../platform/workspaceFiles';
import type { Redactor } from '../../core/util/redact';
import type { ActiveSession } from '../auth/session';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import { ConfigCommands, PLAN_SCHEME } from './ids';
import type { PlanDocuments } from './planDocuments';
import type { ConfigSecrets } from './secrets';
import { secretFileReader } from './secretFiles';

export interface SavedPlanDeps {
  readonly log: ChannelLogger;
  readonly prompts: Prompts;
  readonly secrets: ConfigSecrets;
  readonly plans: PlanDocuments;
  readonly redactor: Redactor;
}

/** What the config controller lends: Plan (which shows and records the plan) and the signed-in session. */
export interface SavedPlanHost {
  plan(arg?: unknown, opts?: { mode?: PlanMode }): Promise<{ readonly document: vscode.Uri } | undefined>;
  signedIn(): Promise<ActiveSession | undefined>;
}

export interface SavedPlanOutcome {
  /** The saved plan file. */
  readonly uri: vscode.Uri;
  readonly saved: SavedPlan;
  /** The readable review document. */
  readonly document: vscode.Uri;
}

export interface SavedApplyOutcome extends SavedPlanOutcome {
  /** Konnect changed since the plan was made (nothing applied). */
  readonly changes: readonly BaseChange[];
  /** Undefined when nothing was applied. */
  readonly result: ApplyResult | undefined;
  readonly message: string;
}

const baseName = (uri: vscode.Uri): string => uri.path.slice(uri.path.lastIndexOf('/') + 1);

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg)
    return /^[a-z][a-z0-9+.-]*:/i.test(arg) && !/^[a-z]:[\\/]/i.test(arg)
      ? vscode.Uri.parse(arg)
      : vscode.Uri.file(arg);
  return undefined;
}

const MODES: readonly PlanMode[] = ['apply', 'sync'];

export class SavedPlans {
  constructor(
    private readonly deps: SavedPlanDeps,
    private readonly controller: SavedPlanHost,
  ) {}

  /**
   * "Konnect DCR: Save Plan…": the plan of a config file (or the plan a plan document shows, from its title bar)
   * written to a JSON file, then opened as a readable review. Arguments: a config file or plan document, the file to
   * write, and `apply` / `sync` (asked when planning a config file without it).
   */
  async save(arg?: unknown, dest?: unknown, modeArg?: unknown): Promise<SavedPlanOutcome | undefined> {
    let source = toUri(arg);
    if (!source) {
      const active = vscode.window.activeTextEditor?.document.uri;
      if (active?.scheme === PLAN_SCHEME) source = active;
    }
    let record = source?.scheme === PLAN_SCHEME ? this.deps.plans.recall(source) : undefined;
    if (source?.scheme === PLAN_SCHEME && !record)
      throw new Error(
        vscode.l10n.t('This plan document has no plan to save any more: run Plan again, then Save Plan….'),
      );
    if (!record) {
      let mode = MODES.find((m) => m === modeArg);
      if (!mode) {
        const pick = await this.deps.prompts.pick(
          'config.savePlan.mode',
          [
            {
              label: vscode.l10n.t('Apply plan'),
              description: vscode.l10n.t('creates and updates (kongctl plan --mode apply)'),
              mode: 'apply' as const,
            },
            {
              label: vscode.l10n.t('Sync plan'),
              description: vscode.l10n.t('also deletes what the file no longer has (kongctl plan --mode sync)'),
              mode: 'sync' as const,
            },
          ],
          { title: vscode.l10n.t('Konnect DCR: save which plan?') },
        );
        if (!pick) return undefined;
        mode = pick.mode;
      }
      const outcome = await this.controller.plan(source, { mode });
      if (!outcome) return undefined;
      record = this.deps.plans.recall(outcome.document);
      if (!record) throw new Error(vscode.l10n.t('The plan was not recorded; run Save Plan… again.'));
    }
    let target = toUri(dest);
    if (!target) {
      const dir = vscode.Uri.joinPath(record.file, '..');
      const stem = baseName(record.file).replace(/\.ya?ml$/i, '');
      target = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Konnect DCR: save the plan of {0} to…', baseName(record.file)),
        defaultUri: vscode.Uri.joinPath(dir, `${stem}.${record.plan.mode}-plan.json`),
        filters: { JSON: ['json'] },
      });
      if (!target) return undefined;
    }
    const refusal = readOnlyRefusal(target, vscode.l10n.t('The saved plan'));
    if (refusal) throw new Error(refusal);
    let text: string;
    try {
      text = savePlan(record.plan, record.desired, {
        file: vscode.workspace.asRelativePath(record.file),
        text: record.configText,
        target: record.target,
        external: record.external,
      });
    } catch (err) {
      if (err instanceof SecretInPlanError) {
        this.deps.prompts.notify('error', vscode.l10n.t('Konnect DCR: the plan was not saved. {0}', err.message));
        return undefined;
      }
      throw err;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const saved = readSavedPlan(text);
    const document = await this.show(target, saved);
    this.deps.log.info(
      `saved the ${saved.plan.mode} plan of ${baseName(record.file)} (${summarize(saved.plan)}) to ${baseName(target)}`,
    );
    this.deps.prompts.notify(
      'info',
      vscode.l10n.t(
        'Konnect DCR: saved the {0} plan of {1} to {2} ({3}). Apply it later with "Apply Saved Plan…".',
        saved.plan.mode,
        baseName(record.file),
        baseName(target),
        summarize(saved.plan),
      ),
    );
    return { uri: target, saved, document };
  }

  /** "Konnect DCR: Review Saved Plan…": a saved plan file as a readable document. */
  async review(arg?: unknown): Promise<SavedPlanOutcome | undefined> {
    const uri = await this.pickFile(arg, vscode.l10n.t('Konnect DCR: review which saved plan?'));
    if (!uri) return undefined;
    const saved = await this.read(uri);
    return { uri, saved, document: await this.show(uri, saved) };
  }

  /**
   * "Konnect DCR: Apply Saved Plan…": a saved plan, exactly as saved, after one confirmation; refused (nothing
   * applied) when a resource of its base changed, was deleted or was created in Konnect since.
   */
  async apply(arg?: unknown): Promise<SavedApplyOutcome | undefined> {
    const uri = await this.pickFile(arg, vscode.l10n.t('Konnect DCR: apply which saved plan?'));
    if (!uri) return undefined;
    const saved = await this.read(uri);
    const s = await this.controller.signedIn();
    if (!s) return undefined;
    if (s.host !== saved.target.host)
      throw new Error(
        vscode.l10n.t(
          'The saved plan {0} was made against {1} ({2}); the connection now is {3} ({4}). Switch to that connection, or plan again against this one.',
          baseName(uri),
          saved.target.name,
          saved.target.host,
          s.info.name,
          s.host,
        ),
      );
    const document = await this.show(uri, saved);
    const sync = saved.plan.mode === 'sync';
    const outcome = (
      message: string,
      result?: ApplyResult,
      changes: readonly BaseChange[] = [],
    ): SavedApplyOutcome => ({
      uri,
      saved,
      document,
      changes,
      result,
      message,
    });
    if (isNoop(saved.plan)) {
      const message = vscode.l10n.t('Konnect DCR: the saved plan {0} has nothing to do.', baseName(uri));
      this.deps.prompts.notify('info', message);
      return outcome(message);
    }
    const changedFile = await this.configChanged(saved);
    const verb = sync ? vscode.l10n.t('Sync') : vscode.l10n.t('Apply');
    const ok = await this.deps.prompts.confirm(
      'config.applySaved.confirm',
      vscode.l10n.t('{0} the saved plan {1} to {2} ({3})?', verb, baseName(uri), s.info.name, s.host),
      [
        vscode.l10n.t(
          'Planned {0} from {1}: {2}.',
          new Date(saved.created_at).toLocaleString(),
          saved.config.file,
          summarize(saved.plan),
        ),
        renderChangesBrief(saved.plan),
        changedFile
          ? vscode.l10n.t('{0} changed since the plan was made: the plan is applied as saved.', saved.config.file)
          : '',
        vscode.l10n.t('Konnect is read first: if anything this plan is about changed since, nothing is applied.'),
        sync && saved.plan.counts.delete ? vscode.l10n.t('The deletes cannot be undone.') : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      verb,
    );
    if (!ok) return outcome(vscode.l10n.t('Not applied.'));
    let r: Awaited<ReturnType<typeof applySavedPlan>>;
    try {
      r = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Konnect DCR: applying the saved plan {0} to {1}', baseName(uri), s.info.name),
          cancellable: true,
        },
        (progress, token) => {
          let last = 0;
          return applySavedPlan(s.client, saved, {
            signal: toAbortSignal(token),
            resolveSecret: (name) => this.deps.secrets.resolve(name),
            // a Kong Identity client's secret, issued once on create: SecretStorage only (redacted from the log)
            keepSecret: (name, value) => this.deps.secrets.store(name, value),
            readSecretFile: this.configUri(saved)
              ? secretFileReader(this.configUri(saved)!, (v) => this.deps.redactor.add(v), readSecretFile)
              : undefined,
            onProgress: (done, total, message) => {
              const pct = total ? (done / total) * 100 : 100;
              progress.report({ message: `${message} (${Math.min(done + 1, total)}/${total})`, increment: pct - last });
              last = pct;
            },
          });
        },
      );
    } catch (err) {
      if (err instanceof MissingSecretsError || err instanceof NothingAppliedError) {
        const message = vscode.l10n.t('Konnect DCR: {0}', err.message);
        this.deps.log.warn(err.message);
        const store = err instanceof MissingSecretsError && err.names.length;
        this.deps.prompts.notify('error', message, store ? [vscode.l10n.t('Store Secret…')] : [], () =>
          vscode.commands.executeCommand(ConfigCommands.storeSecret, (err as MissingSecretsError).names[0]),
        );
        return outcome(message);
      }
      throw err;
    }
    const text = this.reviewText(uri, saved);
    if (!r.result) {
      const changes = renderBaseChanges(r.changes);
      this.deps.log.warn(
        `saved plan ${baseName(uri)} refused: Konnect changed since it was made: ${changes.replace(/\n/g, ' | ')}`,
      );
      this.deps.plans.set(
        document,
        `${text}\n# Not applied: Konnect changed since the plan was made\n${comment(changes)}\n`,
      );
      const message = vscode.l10n.t(
        'Konnect DCR: nothing was applied: Konnect changed since the plan {0} was made. {1} Plan again.',
        baseName(uri),
        changes.replace(/\n/g, ' '),
      );
      this.deps.prompts.notify('warning', message);
      return outcome(message, undefined, r.changes);
    }
    const report = renderApplyResult(r.result);
    this.deps.log.info(`saved plan ${baseName(uri)} to ${s.info.name}: ${report.replace(/\n/g, ' | ')}`);
    this.deps.plans.set(document, `${text}\n# Apply result\n${comment(report)}\n`);
    const message = r.result.ok
      ? vscode.l10n.t('Konnect DCR: {0}', report)
      : vscode.l10n.t(
          'Konnect DCR: {0} See the saved plan review for what exists now.',
          report.split('\n')[0] ?? report,
        );
    this.deps.prompts.notify(
      r.result.ok ? 'info' : r.result.cancelled ? 'warning' : 'error',
      message,
      r.result.ok ? [] : [vscode.l10n.t('Show Log')],
      () => vscode.commands.executeCommand(Commands.showLog),
    );
    if (r.result.applied.length) void vscode.commands.executeCommand(Commands.refresh).then(undefined, () => undefined);
    return outcome(message, r.result);
  }

  private async pickFile(arg: unknown, title: string): Promise<vscode.Uri | undefined> {
    const given = toUri(arg);
    if (given) return given;
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && active.scheme !== PLAN_SCHEME && /\.json$/i.test(active.path)) {
      const text = vscode.window.activeTextEditor!.document.getText();
      if (text.includes('"konnect-dcr-plan"')) return active;
    }
    const picked = await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      filters: { [vscode.l10n.t('Saved plans')]: ['json'] },
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    });
    return picked?.[0];
  }

  private async read(uri: vscode.Uri): Promise<SavedPlan> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return readSavedPlan(text);
  }

  /** The config file a saved plan was made from (its `!file` secrets are relative to it). */
  private configUri(saved: SavedPlan): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder && vscode.Uri.joinPath(folder, saved.config.file);
  }

  /** Whether the config file the plan was made from changed (or is gone) since. */
  private async configChanged(saved: SavedPlan): Promise<boolean> {
    const uri = this.configUri(saved);
    if (!uri) return false;
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      return sha256(text) !== saved.config.sha256;
    } catch {
      return true;
    }
  }

  private reviewText(uri: vscode.Uri, saved: SavedPlan): string {
    return [
      `# ${vscode.l10n.t('Saved plan {0}', vscode.workspace.asRelativePath(uri))}`,
      `# ${vscode.l10n.t(
        'Made {0} from {1} against {2} ({3}); mode {4}.',
        saved.created_at,
        saved.config.file,
        saved.target.name,
        saved.target.host,
        saved.plan.mode,
      )}`,
      `# ${vscode.l10n.t('Secrets are references, resolved when the plan is applied.')}`,
      '',
      ...saved.review,
    ].join('\n');
  }

  private async show(uri: vscode.Uri, saved: SavedPlan): Promise<vscode.Uri> {
    const doc = this.deps.plans.uriForSaved(uri);
    this.deps.plans.set(doc, this.reviewText(uri, saved));
    await vscode.window.showTextDocument(doc, {
      preview: true,
      preserveFocus: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
    return doc;
  }
}

function comment(text: string): string {
  return text
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n');
}
