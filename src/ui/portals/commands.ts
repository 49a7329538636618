/**
 * Actions on a portal's developers, applications and registrations (admin side), from the Portals view or a
 * strategy's "Used by" list. Each takes the tree node (or, from the strategies view, its `{ kind: 'admin', node }`
 * wrapper) and returns what it did, for the tests. Destructive ones (reject, revoke, delete, unlink) ask once in a
 * modal. Link Consumer takes the consumer id as a second argument, else picks from the Gateway's consumers.
 */
import * as vscode from 'vscode';
import type { ApplicationRegistrationStatus, Portal } from '../../core/api/index';
import type { ActiveSession } from '../auth/session';
import type { CommandContext } from '../commands/context';
import { guard } from '../platform/errorBoundary';
import { classify } from '../platform/errors';
import { registerCommand } from '../platform/registerCommand';
import { PortalCommands, type PortalCommandId } from './ids';
import { AdminKeys, type PortalAdminModel } from './model';
import { isAdminNode, type AdminNode, type AdminNodeOf } from './nodes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ActionOutcome {
  readonly done: boolean;
  /** What the user was told (nothing when they said no). */
  readonly message?: string;
}

function unwrap(arg: unknown): AdminNode | undefined {
  if (isAdminNode(arg)) return arg;
  const w = arg as { kind?: unknown; node?: unknown } | undefined;
  return w?.kind === 'admin' && isAdminNode(w.node) ? w.node : undefined;
}

function need<K extends AdminNode['kind']>(arg: unknown, kinds: readonly K[], what: string): AdminNodeOf<K> {
  const n = unwrap(arg);
  if (!n || !(kinds as readonly string[]).includes(n.kind))
    throw new TypeError(vscode.l10n.t('This runs on {0} in the Portals view', what));
  return n as AdminNodeOf<K>;
}

export class PortalActions {
  constructor(
    private readonly ctx: CommandContext,
    private readonly model: PortalAdminModel,
  ) {}

  private async session(): Promise<ActiveSession> {
    const s = await this.ctx.session.active();
    if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
    return s;
  }

  /** Runs one Konnect call and says how it went (info toast, or the error with what to do). */
  private async act(
    s: ActiveSession,
    work: () => Promise<unknown>,
    success: string,
    failure: string,
  ): Promise<ActionOutcome> {
    try {
      await work();
    } catch (err) {
      const message = vscode.l10n.t('{0}: {1}', failure, classify(err, s.host).message);
      this.ctx.log.warn(message, err);
      this.ctx.prompts.notify('error', message);
      return { done: false, message };
    }
    this.ctx.log.info(success);
    this.ctx.prompts.notify('info', success);
    return { done: true, message: success };
  }

  // ------------------------------------------------------------------------------------------- registrations

  private async setStatus(arg: unknown, status: ApplicationRegistrationStatus): Promise<ActionOutcome> {
    const n = need(arg, ['registration'], vscode.l10n.t('a registration'));
    const r = n.registration;
    const api = r.api.version ? `${r.api.name} ${r.api.version}` : r.api.name;
    const s = await this.session();
    if (status !== 'approved') {
      const ok = await this.ctx.prompts.confirm(
        `portals.${status === 'rejected' ? 'reject' : 'revoke'}`,
        status === 'rejected'
          ? vscode.l10n.t('Reject the registration of "{0}" for {1}?', r.application.name, api)
          : vscode.l10n.t('Revoke the registration of "{0}" for {1}?', r.application.name, api),
        vscode.l10n.t(
          'Its credentials stop working for this API at once (portal "{0}", connection "{1}"). You can approve it again later.',
          n.portal.name,
          s.info.name,
        ),
        status === 'rejected' ? vscode.l10n.t('Reject') : vscode.l10n.t('Revoke'),
      );
      if (!ok) return { done: false };
    }
    const done = {
      approved: vscode.l10n.t('Approved the registration of "{0}" for {1}.', r.application.name, api),
      rejected: vscode.l10n.t('Rejected the registration of "{0}" for {1}.', r.application.name, api),
      revoked: vscode.l10n.t('Revoked the registration of "{0}" for {1}.', r.application.name, api),
      pending: vscode.l10n.t('Set the registration of "{0}" for {1} to pending.', r.application.name, api),
    }[status];
    const out = await this.act(
      s,
      () => s.client.portalAdmin.setRegistrationStatus(n.portal.id, r.application.id, r.id, status),
      done,
      vscode.l10n.t('Could not change the registration of "{0}" for {1}', r.application.name, api),
    );
    this.afterRegistration(n.portal, r.application.id);
    return out;
  }

  approveRegistration(arg: unknown): Promise<ActionOutcome> {
    return this.setStatus(arg, 'approved');
  }
  rejectRegistration(arg: unknown): Promise<ActionOutcome> {
    return this.setStatus(arg, 'rejected');
  }
  revokeRegistration(arg: unknown): Promise<ActionOutcome> {
    return this.setStatus(arg, 'revoked');
  }

  private afterRegistration(portal: Portal, appId: string): void {
    this.model.invalidate(AdminKeys.appRegistrations(portal.id, appId), `s:${portal.id}:`);
  }

  // ------------------------------------------------------------------------------------------- Gateway Consumer

  /** The control plane of the registration's API (its Gateway context), from the API's implementation. */
  private async controlPlaneOf(s: ActiveSession, apiId: string): Promise<string | undefined> {
    const impls = await s.client.apiImplementations.list({ filter: { api_id: { eq: apiId } }, pageSize: 1 });
    const i = impls.data[0];
    if (!i) return undefined;
    return 'service' in i ? i.service.control_plane_id : i.control_plane.control_plane_id;
  }

  async linkConsumer(arg: unknown, consumerId?: unknown): Promise<ActionOutcome> {
    const n = need(arg, ['registration'], vscode.l10n.t('a registration'));
    const r = n.registration;
    const s = await this.session();
    let id = typeof consumerId === 'string' ? consumerId : undefined;
    if (!id) {
      const cp = await this.controlPlaneOf(s, r.api.id);
      const typeIt = vscode.l10n.t('Enter a consumer ID…');
      let picked: string | undefined;
      if (cp) {
        const page = await s.client.portalAdmin.listConsumers(cp, { size: 1000 });
        const items = [
          ...page.data.map((c) => ({
            label: c.username ?? c.custom_id ?? c.id,
            description: c.custom_id && c.username ? c.custom_id : '',
            detail: c.id,
            id: c.id,
          })),
          { label: typeIt, description: '', detail: '', id: '' },
        ];
        const choice = await this.ctx.prompts.pick('portals.consumer', items, {
          title: vscode.l10n.t('Gateway Consumer for "{0}"', r.application.name),
          placeHolder: vscode.l10n.t('A consumer of control plane {0}, the Gateway of {1}', cp, r.api.name),
        });
        if (!choice) return { done: false };
        picked = choice.id || undefined;
      }
      id =
        picked ??
        (
          await this.ctx.prompts.input('portals.consumerId', {
            title: vscode.l10n.t('Gateway Consumer for "{0}"', r.application.name),
            prompt: vscode.l10n.t('The ID of an existing Gateway Consumer in the Gateway of {0}', r.api.name),
            validateInput: (v) => (UUID.test(v.trim()) ? undefined : vscode.l10n.t('A consumer ID is a UUID')),
          })
        )?.trim();
      if (!id) return { done: false };
    }
    const out = await this.act(
      s,
      () => s.client.portalAdmin.linkConsumer(n.portal.id, r.application.id, r.id, id),
      vscode.l10n.t('Linked Gateway Consumer {0} to "{1}" for {2}.', id, r.application.name, r.api.name),
      vscode.l10n.t('Could not link Gateway Consumer {0} to "{1}"', id, r.application.name),
    );
    this.afterRegistration(n.portal, r.application.id);
    return out;
  }

  async unlinkConsumer(arg: unknown): Promise<ActionOutcome> {
    const n = need(arg, ['registration'], vscode.l10n.t('a registration'));
    const r = n.registration;
    const s = await this.session();
    const who = r.consumer?.username ?? r.consumer?.custom_id ?? r.consumer?.id ?? '';
    const ok = await this.ctx.prompts.confirm(
      'portals.unlinkConsumer',
      vscode.l10n.t('Unlink Gateway Consumer {0} from "{1}"?', who, r.application.name),
      vscode.l10n.t(
        'The mapping is removed for every registration of "{0}" whose API runs in the same Gateway (portal "{1}", connection "{2}").',
        r.application.name,
        n.portal.name,
        s.info.name,
      ),
      vscode.l10n.t('Unlink'),
    );
    if (!ok) return { done: false };
    const out = await this.act(
      s,
      () => s.client.portalAdmin.unlinkConsumer(n.portal.id, r.application.id, r.id),
      vscode.l10n.t('Unlinked the Gateway Consumer from "{0}" for {1}.', r.application.name, r.api.name),
      vscode.l10n.t('Could not unlink the Gateway Consumer from "{0}"', r.application.name),
    );
    this.afterRegistration(n.portal, r.application.id);
    return out;
  }

  // ------------------------------------------------------------------------------------------- developers, applications

  async approveDeveloper(arg: unknown): Promise<ActionOutcome> {
    const n = need(arg, ['developer'], vscode.l10n.t('a developer'));
    const s = await this.session();
    const out = await this.act(
      s,
      () => s.client.portalAdmin.updateDeveloper(n.portal.id, n.developer.id, { status: 'approved' }),
      vscode.l10n.t('Approved developer {0} in portal "{1}".', n.developer.email, n.portal.name),
      vscode.l10n.t('Could not approve developer {0}', n.developer.email),
    );
    this.model.invalidate(AdminKeys.developers(n.portal.id));
    return out;
  }

  async deleteApplication(arg: unknown): Promise<ActionOutcome> {
    const n = need(arg, ['application'], vscode.l10n.t('an application'));
    const a = n.app;
    const s = await this.session();
    const ok = await this.ctx.prompts.confirm(
      'portals.deleteApplication',
      vscode.l10n.t('Delete application "{0}"?', a.name),
      vscode.l10n.t(
        'This deletes it in portal "{0}" (connection "{1}", {2}) with its {3} registration(s) and credentials; Konnect also deletes its client at the identity provider. This cannot be undone.',
        n.portal.name,
        s.info.name,
        s.host,
        String(a.registration_count),
      ),
      vscode.l10n.t('Delete'),
    );
    if (!ok) return { done: false };
    const out = await this.act(
      s,
      () => s.client.portalAdmin.deleteApplication(n.portal.id, a.id),
      vscode.l10n.t('Deleted application "{0}".', a.name),
      vscode.l10n.t('Could not delete application "{0}"', a.name),
    );
    this.model.invalidate(
      AdminKeys.applications(n.portal.id),
      AdminKeys.appRegistrations(n.portal.id, a.id),
      `s:${n.portal.id}:`,
      'u:',
    );
    return out;
  }

  // ------------------------------------------------------------------------------------------- settings

  async toggleSetting(arg: unknown): Promise<ActionOutcome> {
    const n = need(arg, ['setting'], vscode.l10n.t('a portal setting'));
    if (n.setting === 'default_application_auth_strategy_id') return this.setDefaultStrategy(arg);
    const s = await this.session();
    const value = !n.portal[n.setting];
    const out = await this.act(
      s,
      () => s.client.portals.update(n.portal.id, { [n.setting]: value }),
      vscode.l10n.t('Portal "{0}": {1} is now {2}.', n.portal.name, n.setting, String(value)),
      vscode.l10n.t('Could not change {0} of portal "{1}"', n.setting, n.portal.name),
    );
    this.model.invalidate(AdminKeys.portals);
    return out;
  }

  /** `strategyId`: a strategy id, or `null` for none; without it a pick of the loaded strategies. */
  async setDefaultStrategy(arg: unknown, strategyId?: unknown): Promise<ActionOutcome> {
    const n = need(arg, ['setting'], vscode.l10n.t('a portal setting'));
    const s = await this.session();
    let id: string | null | undefined =
      typeof strategyId === 'string' || strategyId === null ? (strategyId as string | null) : undefined;
    if (id === undefined) {
      const catalog = await this.ctx.model.getCatalog();
      const strategies = catalog.state === 'ready' ? catalog.value.strategies : [];
      const none = vscode.l10n.t('None');
      const choice = await this.ctx.prompts.pick(
        'portals.defaultStrategy',
        [
          {
            label: none,
            description: vscode.l10n.t('no default: developers pick a strategy'),
            id: null as string | null,
          },
          ...strategies.map((x) => ({ label: x.name, description: x.strategy_type, id: x.id as string | null })),
        ],
        { title: vscode.l10n.t('Default application auth strategy of "{0}"', n.portal.name) },
      );
      if (!choice) return { done: false };
      id = choice.id;
    }
    const out = await this.act(
      s,
      () => s.client.portals.update(n.portal.id, { default_application_auth_strategy_id: id }),
      id
        ? vscode.l10n.t('Portal "{0}": new applications get auth strategy {1} by default.', n.portal.name, id)
        : vscode.l10n.t('Portal "{0}" has no default application auth strategy now.', n.portal.name),
      vscode.l10n.t('Could not change the default application auth strategy of portal "{0}"', n.portal.name),
    );
    this.model.invalidate(AdminKeys.portals, 'u:');
    return out;
  }
}

type Handler = (a: PortalActions, model: PortalAdminModel, ...args: unknown[]) => unknown;

const handlers: Record<PortalCommandId, Handler> = {
  // with a "Load more…" node (its click): that list again, with twice the cap; else everything
  [PortalCommands.refresh]: (_a, model, arg) =>
    isAdminNode(arg) && arg.kind === 'loadMore' ? model.loadMore(arg.list) : model.refresh(),
  [PortalCommands.approveRegistration]: (a, _m, arg) => a.approveRegistration(arg),
  [PortalCommands.rejectRegistration]: (a, _m, arg) => a.rejectRegistration(arg),
  [PortalCommands.revokeRegistration]: (a, _m, arg) => a.revokeRegistration(arg),
  [PortalCommands.approveDeveloper]: (a, _m, arg) => a.approveDeveloper(arg),
  [PortalCommands.deleteApplication]: (a, _m, arg) => a.deleteApplication(arg),
  [PortalCommands.linkConsumer]: (a, _m, arg, id) => a.linkConsumer(arg, id),
  [PortalCommands.unlinkConsumer]: (a, _m, arg) => a.unlinkConsumer(arg),
  [PortalCommands.toggleSetting]: (a, _m, arg) => a.toggleSetting(arg),
  [PortalCommands.setDefaultStrategy]: (a, _m, arg, id) => a.setDefaultStrategy(arg, id),
};

export function registerPortals(ctx: CommandContext, model: PortalAdminModel): vscode.Disposable[] {
  const actions = new PortalActions(ctx, model);
  return Object.entries(handlers).map(([id, handler]) =>
    registerCommand(
      id,
      guard(ctx.log, ctx.prompts, id, (...args: unknown[]) => handler(actions, model, ...args)),
    ),
  );
}
