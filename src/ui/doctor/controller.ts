/**
 * "DCR Doctor" in VS Code: picks what to diagnose (a strategy tree node, a strategy id or name, an API or a
 * publication from a quick pick, or options from a caller), walks the chain with the core walker under a
 * cancellable progress, shows the report view and runs its fixes. Loaded on the first diagnose command.
 */
import * as vscode from 'vscode';
import * as z from 'zod';
import { diagnose, konnectPorts, type DoctorFix, type DoctorReport, type DoctorTarget } from '../../core/doctor';
import type { AppAuthStrategy } from '../../core/model/authStrategy';
import { createRequestExecutor } from '../../core/requests/executor';
import type { DoctorCommand, DoctorViewModel } from '../../shared/doctor/protocol';
import type { ActiveSession } from '../auth/session';
import type { CommandContext } from '../commands/context';
import { toAbortSignal } from '../platform/errorBoundary';
import { Commands } from '../platform/ids';
import { executorOptions } from '../runner/settings';
import { DoctorPanel } from './panel';
import { toViewModel } from './view';

export const DoctorOptionsSchema = z.strictObject({
  /** Strategy id or name. */
  strategy: z.string().min(1).optional(),
  apiId: z.string().min(1).optional(),
  portalId: z.string().min(1).optional(),
  /** Show the report view (default true). */
  show: z.boolean().optional(),
});
export type DoctorOptions = z.infer<typeof DoctorOptionsSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PickItem extends vscode.QuickPickItem {
  readonly target: DoctorTarget;
}

export class DoctorController implements vscode.Disposable {
  private readonly panel: DoctorPanel;
  private readonly log;
  private last: { report: DoctorReport; model: DoctorViewModel } | undefined;
  private seq = 0;

  constructor(private readonly ctx: CommandContext) {
    this.log = ctx.log.child('doctor');
    this.panel = new DoctorPanel(ctx.extensionUri, this.log, (c) => this.onViewCommand(c));
  }

  /** The report view's model, as last shown. */
  get viewModel(): DoctorViewModel | undefined {
    return this.panel.model;
  }

  async diagnose(arg?: unknown): Promise<DoctorReport | undefined> {
    const s = await this.ctx.session.active();
    if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first: DCR Doctor works on the active connection.'));
    const { target, show } = await this.targetOf(s, arg);
    if (!target) return undefined;
    return this.run(s, target, show);
  }

  private async targetOf(s: ActiveSession, arg: unknown): Promise<{ target?: DoctorTarget; show: boolean }> {
    const a = arg as Record<string, unknown> | undefined;
    // a tree node that carries a strategy (strategy, strategy field, linked provider), or a strategy object
    if (
      a &&
      typeof a === 'object' &&
      typeof a['kind'] === 'string' &&
      a['strategy'] &&
      typeof a['strategy'] === 'object'
    )
      return { target: { kind: 'strategy', strategyId: (a['strategy'] as AppAuthStrategy).id }, show: true };
    if (a && typeof a === 'object' && 'strategy_type' in a && typeof a['id'] === 'string')
      return { target: { kind: 'strategy', strategyId: a['id'] }, show: true };
    if (typeof arg === 'string') return { target: await this.strategyTarget(s, arg), show: true };
    if (a && typeof a === 'object') {
      const o = DoctorOptionsSchema.parse(a);
      const show = o.show !== false;
      if (o.strategy)
        return {
          target: {
            ...(await this.strategyTarget(s, o.strategy)),
            ...(o.apiId ? { apiId: o.apiId } : {}),
            ...(o.portalId ? { portalId: o.portalId } : {}),
          },
          show,
        };
      if (o.apiId && o.portalId) return { target: { kind: 'publication', apiId: o.apiId, portalId: o.portalId }, show };
      if (o.apiId) return { target: { kind: 'api', apiId: o.apiId }, show };
      throw new Error(vscode.l10n.t('Diagnose needs a strategy, an API or a publication.'));
    }
    const picked = await this.pick(s);
    return picked ? { target: picked, show: true } : { show: true };
  }

  private async strategyTarget(s: ActiveSession, ref: string): Promise<{ kind: 'strategy'; strategyId: string }> {
    if (UUID.test(ref)) return { kind: 'strategy', strategyId: ref };
    const found = await s.client.authStrategies.listAll({ filter: { name: { eq: ref } } });
    const one = found[0];
    if (!one) throw new Error(vscode.l10n.t('No auth strategy is named "{0}".', ref));
    return { kind: 'strategy', strategyId: one.id };
  }

  /** Strategies, publications and APIs of the connection, in one quick pick. */
  private async pick(s: ActiveSession): Promise<DoctorTarget | undefined> {
    const items = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Konnect DCR: loading what to diagnose…') },
      async () => {
        const [strategies, apis, pubs, portals] = await Promise.all([
          s.client.authStrategies.listAll(),
          s.client.apis.listAll(),
          s.client.apiPublications.listAll(),
          s.client.portals.listAll(),
        ]);
        const apiName = new Map(apis.map((x) => [x.id, x.name]));
        const portalName = new Map(portals.map((x) => [x.id, x.name]));
        const strategyName = new Map(strategies.map((x) => [x.id, x.name]));
        const out: (PickItem | vscode.QuickPickItem)[] = [];
        out.push({ label: vscode.l10n.t('Auth strategies'), kind: vscode.QuickPickItemKind.Separator });
        for (const st of strategies)
          out.push({
            label: `$(shield) ${st.name}`,
            description:
              st.strategy_type === 'openid_connect'
                ? (st.dcr_provider?.name ?? vscode.l10n.t('no DCR provider'))
                : 'key_auth',
            detail: st.id,
            target: { kind: 'strategy', strategyId: st.id },
          });
        out.push({ label: vscode.l10n.t('API publications'), kind: vscode.QuickPickItemKind.Separator });
        for (const p of pubs)
          out.push({
            label: vscode.l10n.t(
              '$(globe) {0} in {1}',
              apiName.get(p.api_id) ?? p.api_id,
              portalName.get(p.portal_id) ?? p.portal_id,
            ),
            description: p.auth_strategy_ids?.[0]
              ? (strategyName.get(p.auth_strategy_ids[0]) ?? '')
              : vscode.l10n.t('no auth strategy'),
            detail: `${p.api_id} / ${p.portal_id}`,
            target: { kind: 'publication', apiId: p.api_id, portalId: p.portal_id },
          });
        out.push({ label: vscode.l10n.t('APIs'), kind: vscode.QuickPickItemKind.Separator });
        for (const x of apis)
          out.push({
            label: `$(symbol-interface) ${x.name}`,
            description: x.version ?? '',
            detail: x.id,
            target: { kind: 'api', apiId: x.id },
          });
        return out;
      },
    );
    const picked = await this.ctx.prompts.pick('doctor.target', items, {
      title: vscode.l10n.t('Diagnose which auth strategy, API publication or API?'),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    return picked && 'target' in picked ? (picked as PickItem).target : undefined;
  }

  private async run(s: ActiveSession, target: DoctorTarget, show: boolean): Promise<DoctorReport | undefined> {
    const executor = createRequestExecutor(await executorOptions());
    const ports = konnectPorts(s.client, executor);
    const at = Date.now();
    const report = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Konnect DCR: diagnosing the DCR chain…'),
        cancellable: true,
      },
      (_p, token) => diagnose(ports, target, { signal: toAbortSignal(token) }),
    );
    const model = this.masked(toViewModel(report, ++this.seq, at));
    this.last = { report, model };
    this.log.info(
      `diagnosed ${report.subject.kind} "${report.subject.name}": ${report.verdict}${report.culprit?.object ? `, at fault: ${report.culprit.object.kind} ${report.culprit.object.name} (${report.culprit.object.id})` : ''}`,
    );
    if (show) this.panel.show(model);
    return report;
  }

  /** IdP answers quoted in details are masked like the log before they reach the page. */
  private masked<T>(model: T): T {
    return JSON.parse(this.ctx.redactor.redact(JSON.stringify(model))) as T;
  }

  /** Runs fix `index` of link `linkId` of the last report. */
  async fix(linkId: unknown, index: unknown): Promise<unknown> {
    const last = this.last;
    if (!last) throw new Error(vscode.l10n.t('Run "Diagnose…" first.'));
    const link = last.report.links.find((l) => l.id === linkId);
    const fix = link?.fixes[typeof index === 'number' ? index : 0];
    if (!fix)
      throw new Error(vscode.l10n.t('The last report has no such fix ({0} #{1}).', String(linkId), String(index)));
    return this.runFix(fix, last.report);
  }

  private async runFix(fix: DoctorFix, report: DoctorReport): Promise<unknown> {
    switch (fix.kind) {
      case 'editStrategy':
        return vscode.commands.executeCommand(Commands.editStrategy, fix.strategyId);
      case 'editProvider':
        return vscode.commands.executeCommand(Commands.editProvider, fix.providerId);
      case 'verifyProvider':
        return vscode.commands.executeCommand(Commands.verifyProvider, fix.providerId);
      case 'openPublication': {
        const s = await this.ctx.session.active();
        if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
        const [pub, api, portal] = await Promise.all([
          s.client.apiPublications.get(fix.apiId, fix.portalId),
          s.client.apis.get(fix.apiId),
          s.client.portals.get(fix.portalId),
        ]);
        const doc = await vscode.workspace.openTextDocument({
          language: 'json',
          content: `${JSON.stringify(
            {
              api: { id: api.id, name: api.name, version: api.version, slug: api.slug },
              portal: { id: portal.id, name: portal.name, auto_approve_applications: portal.auto_approve_applications },
              publication: pub,
            },
            null,
            2,
          )}\n`,
        });
        await vscode.window.showTextDocument(doc, { preview: true });
        return doc.uri.toString();
      }
      case 'approveRegistration': {
        const s = await this.ctx.session.active();
        if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
        const reg = await s.client.registrations.setStatus(
          fix.portalId,
          fix.applicationId,
          fix.registrationId,
          'approved',
        );
        this.ctx.prompts.notify(
          'info',
          vscode.l10n.t('Approved the registration of "{0}" for "{1}".', reg.application.name, reg.api.name),
        );
        // diagnose again, so the report shows what is left
        await this.run(s, report.target, !!this.panel.model);
        return reg.status;
      }
    }
  }

  private async onViewCommand(c: DoctorCommand): Promise<void> {
    switch (c.method) {
      case 'doctor/fix':
        if (this.last && c.params.seq === this.last.model.seq) await this.fix(c.params.link, c.params.fix);
        return;
      case 'doctor/rerun': {
        const s = await this.ctx.session.active();
        if (s && this.last) await this.run(s, this.last.report.target, true);
        return;
      }
      case 'doctor/showLog':
        this.ctx.channel.show(true);
        return;
    }
  }

  dispose(): void {
    this.panel.dispose();
  }
}
