/**
 * "Prove DCR" in VS Code: picks the strategy (tree node, kongctl YAML entry, id/name, or a quick pick), finds where
 * it is published (a pick when there are several), the portal's URL, the test developer and the gateway route (each
 * asked once), then runs the core step runner under a cancellable progress and shows the report view, live.
 * Loaded on the first prove command (never at activation).
 */
import * as vscode from 'vscode';
import * as z from 'zod';
import { createPortalClient } from '../../core/api/portalClient';
import type { AppAuthStrategy } from '../../core/model/authStrategy';
import type { DeveloperCredentials } from '../../core/model/portalApi';
import { ConfigDocument } from '../../core/config/document';
import { proveDcr, type RetryPolicy } from '../../core/prove/runner';
import { publicationsOf, resolvePortal, testAppName, type PublicationChoice } from '../../core/prove/targets';
import type { ProveMode, ProvePublication, ProveReport } from '../../core/prove/types';
import { toViewModel } from './view';
import { createRequestExecutor } from '../../core/requests/executor';
import { secretKeyFor } from '../../core/requests/generate';
import { strategyView } from '../../core/requests/jwt';
import { systemClock } from '../../core/util/clock';
import type { Redactor } from '../../core/util/redact';
import type { ProveCommand, ProveViewModel } from '../../shared/prove/protocol';
import type { ActiveSession } from '../auth/session';
import type { CommandContext } from '../commands/context';
import { toAbortSignal } from '../platform/errorBoundary';
import { RunnerCommands, SECRET_INDEX_KEY, SECRET_PREFIX } from '../runner/ids';
import { executorOptions } from '../runner/settings';
import { ProveSettings } from './ids';
import {
  developerFor,
  forgetDeveloper,
  forgetOwnedClient,
  hasOwnedClient,
  hasDeveloper,
  ownedClientFor,
  routeFor,
  type InputDeps,
  type OwnedClient,
} from './inputs';
import { ProvePanel } from './panel';

/** What a caller (a test, another command) may hand to "Prove DCR" instead of answering questions. */
export const ProveOptionsSchema = z.strictObject({
  /** Strategy id or name. */
  strategy: z.string().min(1).optional(),
  apiId: z.string().min(1).optional(),
  portalId: z.string().min(1).optional(),
  /** The gateway's base URL (the route path is added). */
  gatewayUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The full route URL (used as is). */
  routeUrl: z.url({ protocol: /^https?$/ }).optional(),
  routePath: z.string().optional(),
  /** The portal's URL (its developer Portal API), instead of the one found. */
  portalUrl: z.url({ protocol: /^https?$/ }).optional(),
  keepApp: z.boolean().optional(),
  /** Who creates the test application (default: the `konnectDcr.prove.mode` setting). */
  mode: z.enum(['developer', 'admin']).optional(),
  /** Show the report view (default true). */
  show: z.boolean().optional(),
  tokenRetry: z.strictObject({ totalMs: z.number().min(0), intervalMs: z.number().min(1) }).optional(),
  gatewayRetry: z.strictObject({ totalMs: z.number().min(0), intervalMs: z.number().min(1) }).optional(),
});
export type ProveOptions = z.infer<typeof ProveOptionsSchema>;

/** The report as a command returns it: without the client secret or the access token. */
export type PublicReport = Omit<ProveReport, 'accessToken' | 'application'> & {
  application?: Omit<NonNullable<ProveReport['application']>, 'clientSecret'> | undefined;
};

export interface ProveControllerDeps {
  readonly ctx: CommandContext;
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  readonly redactor: Redactor;
  readonly userAgent: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Last {
  readonly report: ProveReport;
  readonly strategy: AppAuthStrategy;
  readonly options: ProveOptions;
  readonly model: ProveViewModel;
}

export class ProveController implements vscode.Disposable {
  private readonly panel: ProvePanel;
  private readonly log;
  private last: Last | undefined;
  private seq = 0;

  constructor(private readonly deps: ProveControllerDeps) {
    this.log = deps.ctx.log.child('prove');
    this.panel = new ProvePanel(deps.ctx.extensionUri, this.log, (c) => this.onViewCommand(c));
  }

  /**
   * Step details quote IdP and gateway answers (error_description, message): mask them like the log before they
   * reach the page and its saved state. The masks are plain text inside JSON strings, so the model stays valid.
   */
  private masked<T>(model: T): T {
    return JSON.parse(this.deps.redactor.redact(JSON.stringify(model))) as T;
  }

  private get inputs(): InputDeps {
    return {
      secrets: this.deps.secrets,
      globalState: this.deps.globalState,
      prompts: this.deps.ctx.prompts,
      redactor: this.deps.redactor,
    };
  }

  /** The report view's model, as last shown. */
  get viewModel(): ProveViewModel | undefined {
    return this.panel.model;
  }

  // ---------------------------------------------------------------------------------------------------------------

  async prove(arg?: unknown, line?: unknown): Promise<PublicReport | undefined> {
    const s = await this.deps.ctx.session.active();
    if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first: Prove DCR works on the active connection.'));
    const { options, ref } = await this.parseArgs(arg, line);
    const strategy = await this.strategyFor(s, ref);
    if (!strategy) return undefined;
    return this.run(s, strategy, options);
  }

  private async parseArgs(
    arg: unknown,
    line: unknown,
  ): Promise<{ options: ProveOptions; ref: AppAuthStrategy | string | undefined }> {
    const a = arg as Record<string, unknown> | undefined;
    // a tree node: strategy, strategyField, linkedProvider all carry the strategy
    if (
      a &&
      typeof a === 'object' &&
      typeof a['kind'] === 'string' &&
      a['strategy'] &&
      typeof a['strategy'] === 'object'
    )
      return { options: {}, ref: a['strategy'] as AppAuthStrategy };
    if (a && typeof a === 'object' && 'strategy_type' in a)
      return { options: {}, ref: a as unknown as AppAuthStrategy };
    if (typeof arg === 'string') return { options: {}, ref: arg };
    // a kongctl YAML entry: (uri, line), or the active editor's cursor
    // (the editor's context menu passes only the file: then the cursor of its editor says which entry)
    const cursor = (uri: vscode.Uri): number =>
      vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()
        ? vscode.window.activeTextEditor.selection.active.line
        : 0;
    const yaml =
      arg instanceof vscode.Uri
        ? { uri: arg, line: typeof line === 'number' ? line : cursor(arg) }
        : !arg
          ? this.activeYaml()
          : undefined;
    if (yaml) {
      const name = await this.strategyNameAt(yaml.uri, yaml.line);
      if (name) return { options: {}, ref: name };
      if (arg)
        throw new Error(
          vscode.l10n.t(
            'The cursor is not on an entry of application_auth_strategies: put it on the strategy to prove.',
          ),
        );
    }
    if (a && typeof a === 'object') {
      const options = ProveOptionsSchema.parse(a);
      return { options, ref: options.strategy };
    }
    return { options: {}, ref: undefined };
  }

  private activeYaml(): { uri: vscode.Uri; line: number } | undefined {
    const ed = vscode.window.activeTextEditor;
    if (!ed || ed.document.languageId !== 'yaml') return undefined;
    return { uri: ed.document.uri, line: ed.selection.active.line };
  }

  /** The `name` of the application_auth_strategies entry at a line of a kongctl YAML file. */
  private async strategyNameAt(uri: vscode.Uri, line: number): Promise<string | undefined> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const entry = ConfigDocument.parse(doc.getText()).entryAt(line);
    return entry?.section === 'application_auth_strategies' ? entry.name : undefined;
  }

  private async strategyFor(
    s: ActiveSession,
    ref: AppAuthStrategy | string | undefined,
  ): Promise<AppAuthStrategy | undefined> {
    if (ref && typeof ref === 'object') return s.client.authStrategies.get(ref.id).catch(() => ref);
    if (ref) {
      if (UUID.test(ref)) return s.client.authStrategies.get(ref);
      const page = await s.client.authStrategies.list({ pageSize: 2, filter: { name: { eq: ref } } });
      if (!page.data[0])
        throw new Error(vscode.l10n.t('No auth strategy named "{0}" in the connection "{1}".', ref, s.info.name));
      return page.data[0];
    }
    const catalog = await this.deps.ctx.model.getCatalog();
    const all =
      catalog.state === 'ready'
        ? catalog.value.strategies
        : await s.client.authStrategies.listAll(
            { filter: { strategy_type: { eq: 'openid_connect' } } },
            { maxItems: 500 },
          );
    const dcr = all.filter((x) => x.strategy_type === 'openid_connect' && x.dcr_provider);
    if (!dcr.length)
      throw new Error(
        vscode.l10n.t(
          'No openid_connect auth strategy with a DCR provider: create one first (or run "Set Up Kong Identity DCR (Guided)…").',
        ),
      );
    const pick = await this.deps.ctx.prompts.pick(
      'prove.strategy',
      dcr.map((x) => ({
        label: x.name,
        description: x.dcr_provider ? `${x.dcr_provider.name} (${x.dcr_provider.provider_type})` : '',
        detail: x.active ? vscode.l10n.t('published · {0}', x.id) : vscode.l10n.t('not published · {0}', x.id),
        strategy: x,
      })),
      {
        title: vscode.l10n.t('Konnect DCR: Prove DCR for which auth strategy?'),
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    return pick?.strategy;
  }

  private async choosePublication(
    s: ActiveSession,
    strategy: AppAuthStrategy,
    options: ProveOptions,
    signal: AbortSignal,
  ): Promise<PublicationChoice | undefined | null> {
    const pubs = await publicationsOf(s.client, strategy.id, signal);
    if (options.apiId || options.portalId) {
      const found = pubs.find(
        (p) => (!options.apiId || p.apiId === options.apiId) && (!options.portalId || p.portalId === options.portalId),
      );
      if (found) return found;
      if (options.apiId && options.portalId) {
        // not published there: the run's step 2 says so
        const [api, portal] = await Promise.all([
          s.client.apis.get(options.apiId, { signal }),
          s.client.portals.get(options.portalId, { signal }),
        ]);
        return {
          apiId: api.id,
          apiName: api.name,
          apiSlug: api.slug ?? undefined,
          portalId: portal.id,
          portalName: portal.display_name || portal.name,
          visibility: '—',
        };
      }
      return undefined;
    }
    if (pubs.length <= 1) return pubs[0];
    const pick = await this.deps.ctx.prompts.pick(
      'prove.publication',
      pubs.map((p) => ({
        label: `${p.apiName}${p.apiVersion ? ` ${p.apiVersion}` : ''}`,
        description: vscode.l10n.t('in {0}', p.portalName),
        detail: vscode.l10n.t('{0} · API {1} · portal {2}', p.visibility, p.apiId, p.portalId),
        pub: p,
      })),
      {
        title: vscode.l10n.t(
          'Konnect DCR: "{0}" is published {1} times — prove it on which API?',
          strategy.name,
          pubs.length,
        ),
        matchOnDescription: true,
      },
    );
    return pick ? pick.pub : null;
  }

  /**
   * Prove DCR for the Testing view and the language-model tool: the strategy by id or name, no report view, no toast,
   * progress in the status bar, cancelled by `signal`. Questions (test developer, gateway route) are asked as usual.
   * Undefined: a question was dismissed.
   */
  async proveQuietly(ref: string, signal: AbortSignal): Promise<PublicReport | undefined> {
    const s = await this.deps.ctx.session.active();
    if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first: Prove DCR works on the active connection.'));
    const strategy = await this.strategyFor(s, ref);
    if (!strategy) return undefined;
    return this.run(s, strategy, { show: false }, signal);
  }

  private async run(
    s: ActiveSession,
    strategy: AppAuthStrategy,
    options: ProveOptions,
    quiet?: AbortSignal,
  ): Promise<PublicReport | undefined> {
    const dcr = !!strategyView(strategy) && !!strategy.dcr_provider;
    let publication: ProvePublication | undefined;
    let gatewayUrl: string | undefined;
    let developer: DeveloperCredentials | undefined;
    let mode: ProveMode | undefined;
    let ownedClient: OwnedClient | undefined;
    if (dcr) {
      const found = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Window,
          title: vscode.l10n.t('Konnect DCR: where is "{0}" published?', strategy.name),
        },
        () => this.choosePublication(s, strategy, options, new AbortController().signal),
      );
      if (found === null) return undefined;
      if (found) {
        const overrides =
          vscode.workspace
            .getConfiguration(ProveSettings.section)
            .get<Record<string, string>>(ProveSettings.portalUrls, {}) ?? {};
        const portalUrl =
          options.portalUrl ??
          (await resolvePortal(s.client, found.portalId, overrides, new AbortController().signal)).url;
        publication = {
          apiId: found.apiId,
          apiName: found.apiName,
          apiSlug: found.apiSlug,
          portalId: found.portalId,
          portalName: found.portalName,
          portalUrl,
        };
        mode = await this.modeFor(s, options, found.portalName);
        if (!mode) return undefined;
        const provider = strategy.dcr_provider!;
        if (mode === 'developer') {
          developer = await developerFor(this.inputs, s.info, found.portalName);
          if (!developer) return undefined;
        } else if (provider.provider_type !== 'kongIdentity') {
          ownedClient = await ownedClientFor(this.inputs, s.info, provider);
          if (!ownedClient) return undefined;
        }
        gatewayUrl =
          options.routeUrl ??
          (await routeFor(this.inputs, s.info, found, {
            gatewayUrl: options.gatewayUrl,
            routePath: options.routePath,
          }));
      }
    }
    const keepApp =
      options.keepApp ??
      vscode.workspace.getConfiguration(ProveSettings.section).get<boolean>(ProveSettings.keepTestApplication, false);
    const exec = await executorOptions();
    const executor = createRequestExecutor(exec);
    const show = options.show !== false;
    const seq0 = ++this.seq;
    let seq = seq0 * 1000;
    const report = await vscode.window.withProgress(
      {
        location: quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Konnect DCR: proving DCR for "{0}"', strategy.name),
        cancellable: !quiet,
      },
      (progress, token) =>
        proveDcr(
          {
            strategy,
            publication,
            gatewayUrl,
            mode,
            developer,
            ownedClient,
            appName: testAppName(strategy.name, Date.now()),
            keepApp,
          },
          {
            konnect: s.client,
            portal: (url) =>
              createPortalClient({
                portalUrl: url,
                userAgent: this.deps.userAgent,
                logger: this.log.child('portal'),
                redactor: this.deps.redactor,
                ca: exec.ca,
                proxy: exec.proxy,
                timeoutMs: exec.timeoutMs,
              }),
            executor,
            clock: systemClock,
            logger: this.log,
            redactor: this.deps.redactor,
            tokenRetry: options.tokenRetry as RetryPolicy | undefined,
            gatewayRetry: options.gatewayRetry as RetryPolicy | undefined,
            onProgress: (r) => {
              if (r.current)
                progress.report({ message: vscode.l10n.t('step {0}/7: {1}', r.steps.length + 1, r.current) });
              if (show && seq0 === this.seq) this.panel.show(this.masked(toViewModel(r, ++seq)), true);
            },
          },
          quiet ?? toAbortSignal(token),
        ),
    );
    const model = this.masked(toViewModel(report, ++seq));
    this.last = { report, strategy, options, model };
    this.deps.ctx.walkthroughs.proveReport(report, s.info.name);
    // the IdP refused the admin's stored client: ask for it again next time
    if (ownedClient && /invalid_client/.test(report.steps.find((x) => x.id === 'token')?.detail ?? ''))
      await forgetOwnedClient(this.inputs, s.info, strategy.dcr_provider!.id);
    if (report.application?.kept && report.application.clientSecret)
      await this.storeForRunner(strategy, report.application.clientId, report.application.clientSecret);
    if (show) this.panel.show(model);
    if (!quiet) this.announce(report);
    return publicReport(report);
  }

  /**
   * Who creates the test application: the caller's `mode`, else the setting; `ask` (the default) is developer mode
   * when a test developer is stored (or the sandbox gives one), else a question.
   */
  private async modeFor(s: ActiveSession, options: ProveOptions, portalName: string): Promise<ProveMode | undefined> {
    if (options.mode) return options.mode;
    const setting = vscode.workspace.getConfiguration(ProveSettings.section).get<string>(ProveSettings.mode, 'ask');
    if (setting === 'developer' || setting === 'admin') return setting;
    if (await hasDeveloper(this.inputs, s.info)) return 'developer';
    const pick = await this.deps.ctx.prompts.pick(
      'prove.mode',
      [
        {
          label: vscode.l10n.t('As a test developer'),
          description: vscode.l10n.t('exactly what a developer sees'),
          detail: vscode.l10n.t('Signs in to "{0}" with email and password', portalName),
          mode: 'developer' as const,
        },
        {
          label: vscode.l10n.t('As the admin'),
          description: vscode.l10n.t('no developer credentials'),
          detail: vscode.l10n.t('Your Konnect token creates them; other IdPs than Kong Identity need your own client'),
          mode: 'admin' as const,
        },
      ],
      { title: vscode.l10n.t('Konnect DCR: Prove DCR — who creates the test application?'), ignoreFocusOut: true },
    );
    return pick?.mode;
  }

  private announce(r: ProveReport): void {
    const secs = (r.ms / 1000).toFixed(1);
    if (r.cancelled) {
      this.deps.ctx.prompts.notify(
        'info',
        r.application && !r.application.kept
          ? vscode.l10n.t(
              'Konnect DCR: Prove DCR for "{0}" was cancelled; the test application was deleted.',
              r.strategy.name,
            )
          : vscode.l10n.t('Konnect DCR: Prove DCR for "{0}" was cancelled.', r.strategy.name),
      );
      return;
    }
    if (r.verdict === 'pass') {
      this.deps.ctx.prompts.notify(
        'info',
        r.mode === 'admin'
          ? vscode.l10n.t(
              'Konnect DCR: DCR proven for "{0}" (admin mode): all 6 steps passed in {1} s.',
              r.strategy.name,
              secs,
            )
          : vscode.l10n.t('Konnect DCR: DCR proven for "{0}": all 6 steps passed in {1} s.', r.strategy.name, secs),
      );
      return;
    }
    const failed = r.steps.find((x) => x.status === 'fail');
    const text = failed
      ? vscode.l10n.t(
          'Konnect DCR: Prove DCR for "{0}" failed at step {1} ({2}): {3}',
          r.strategy.name,
          r.steps.indexOf(failed) + 1,
          failed.title,
          failed.explanation?.summary ?? failed.detail,
        )
      : vscode.l10n.t(
          'Konnect DCR: Prove DCR for "{0}" did not complete: {1} skipped.',
          r.strategy.name,
          r.steps
            .filter((x) => x.status === 'skip' && x.id !== 'cleanup')
            .map((x) => x.title)
            .join(', '),
        );
    this.deps.ctx.prompts.notify('warning', text, [vscode.l10n.t('Show Report')], () => this.showLast());
  }

  /** A kept application's credentials go where the request runner's `{{$secret strategy.<id>.client…}}` reads them. */
  private async storeForRunner(strategy: AppAuthStrategy, clientId: string, clientSecret: string): Promise<void> {
    const key = secretKeyFor(strategy.id);
    await this.deps.secrets.store(`${SECRET_PREFIX}${key}.clientId`, clientId);
    await this.deps.secrets.store(`${SECRET_PREFIX}${key}.clientSecret`, clientSecret);
    const index = new Set(this.deps.globalState.get<string[]>(SECRET_INDEX_KEY, []));
    index.add(`${key}.clientId`).add(`${key}.clientSecret`);
    await this.deps.globalState.update(SECRET_INDEX_KEY, [...index]);
  }

  showLast(): ProveViewModel | undefined {
    if (!this.last) {
      this.deps.ctx.prompts.notify('info', vscode.l10n.t('Konnect DCR: no Prove DCR run yet in this window.'));
      return undefined;
    }
    this.panel.show(this.last.model);
    return this.last.model;
  }

  /**
   * "Forget Prove DCR Admin Client…": the clients the admin gave admin-mode runs, per DCR provider of the active
   * connection; the one picked (or `{ providerId }`) is deleted from SecretStorage, so that the next run asks again.
   * Only what is stored locally goes: the client at the IdP is left as it is.
   */
  async forgetOwnedClient(arg?: unknown): Promise<boolean> {
    const s = await this.deps.ctx.session.active();
    if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
    const given =
      typeof arg === 'object' && arg !== null && typeof (arg as { providerId?: unknown }).providerId === 'string'
        ? (arg as { providerId: string }).providerId
        : undefined;
    const providers = (await s.client.dcrProviders.listAll({}, { maxItems: 1000 })).filter(
      (p) => (!given || p.id === given) && p.provider_type !== 'kongIdentity',
    );
    const stored = (
      await Promise.all(providers.map(async (p) => ((await hasOwnedClient(this.inputs, s.info, p.id)) ? p : undefined)))
    ).filter((p): p is NonNullable<typeof p> => p !== undefined);
    if (!stored.length) {
      this.deps.ctx.prompts.notify(
        'info',
        vscode.l10n.t('Konnect DCR: no Prove DCR admin client is stored for "{0}".', s.info.name),
      );
      return false;
    }
    const provider =
      given && stored.length === 1
        ? stored[0]!
        : (
            await this.deps.ctx.prompts.pick(
              'prove.forgetOwnedClient',
              stored.map((p) => ({ label: p.name, description: p.provider_type, provider: p })),
              {
                title: vscode.l10n.t('Konnect DCR: forget your client for which DCR provider?'),
                placeHolder: vscode.l10n.t('Only the copy in VS Code goes; the client at the IdP stays'),
              },
            )
          )?.provider;
    if (!provider) return false;
    await forgetOwnedClient(this.inputs, s.info, provider.id);
    this.deps.ctx.prompts.notify(
      'info',
      vscode.l10n.t(
        'Konnect DCR: forgot your Prove DCR client for "{0}" ({1}); the next admin-mode run asks for one.',
        provider.name,
        s.info.name,
      ),
    );
    return true;
  }

  async forgetDeveloper(): Promise<boolean> {
    const c = this.deps.ctx.connections.active();
    if (!c) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
    const had = await forgetDeveloper(this.inputs, c);
    this.deps.ctx.prompts.notify(
      'info',
      had
        ? vscode.l10n.t('Konnect DCR: forgot the Prove DCR test developer of "{0}".', c.name)
        : vscode.l10n.t('Konnect DCR: no Prove DCR test developer was stored for "{0}".', c.name),
    );
    return had;
  }

  /** The report view's buttons. */
  async onViewCommand(c: ProveCommand): Promise<unknown> {
    const last = this.last;
    switch (c.method) {
      case 'prove/showLog':
        this.deps.ctx.channel.show(true);
        return undefined;
      case 'prove/rerun':
        return last
          ? vscode.commands.executeCommand('konnectDcr.prove', { ...last.options, strategy: last.strategy.id })
          : undefined;
      case 'prove/copyClientId':
        if (last?.report.application?.clientId) await vscode.env.clipboard.writeText(last.report.application.clientId);
        return last?.report.application?.clientId;
      case 'prove/openHttp':
        if (!last) return undefined;
        return this.openHttp(last);
    }
  }

  /** The runner's "Create Validation Requests" for the strategy, with the route this run called. */
  openHttp(last: Last | undefined = this.last): Thenable<unknown> | undefined {
    if (!last) return undefined;
    return vscode.commands.executeCommand(RunnerCommands.createValidationRequests, last.strategy, {
      gatewayUrl: last.report.gatewayUrl ?? '',
    });
  }

  dispose(): void {
    this.panel.dispose();
  }
}

function publicReport(r: ProveReport): PublicReport {
  const { accessToken: _t, application, ...rest } = r;
  if (!application) return rest;
  const { clientSecret: _s, ...app } = application;
  return { ...rest, application: app };
}
