/**
 * The Portals view: portal → Settings (auto-approve developers / applications, default strategy), Developers,
 * Applications (each with its strategy, DCR provider, client id, granted scopes, owner and registrations) and
 * Registrations by status. Also the children of a strategy's "Used by" node in the Auth Strategies view. Lists show
 * their first page at once, a "loading" line while the rest comes, then the whole list.
 */
import * as vscode from 'vscode';
import type { Portal, PortalApplication, PortalDeveloper } from '../../core/api/index';
import { adminTreeItem } from './items';
import { AdminKeys, REGISTRATION_STATUSES, type AdminLoad, type PortalAdminModel } from './model';
import type { AdminNode, AdminNodeOf } from './nodes';

/** The list (model key) a node's children come from, if any. */
function listKeyOf(n: AdminNode): string | undefined {
  switch (n.kind) {
    case 'developers':
      return AdminKeys.developers(n.portal.id);
    case 'applications':
      return AdminKeys.applications(n.portal.id);
    case 'application':
      return AdminKeys.appRegistrations(n.portal.id, n.app.id);
    case 'statusGroup':
      return AdminKeys.byStatus(n.portal.id, n.status);
    case 'strategyUsers':
      return AdminKeys.strategyUsers(n.strategyId);
    default:
      return undefined;
  }
}

/** The same fields holding the same values (objects by identity): a list drawn again from what it already has. */
function sameFields(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

export class PortalsTree implements vscode.TreeDataProvider<AdminNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AdminNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new Map<string, AdminNode>();
  private readonly byList = new Map<string, AdminNode>();
  private readonly parents = new Map<AdminNode, AdminNode | undefined>();
  private readonly subscription: vscode.Disposable;

  constructor(
    readonly model: PortalAdminModel,
    /** A strategy's name by id, when the catalog has it. */
    private readonly strategyName: (id: string) => string | undefined,
    /** A DCR provider's name by id, when the catalog has it. */
    private readonly providerName: (id: string) => string | undefined = () => undefined,
  ) {
    this.subscription = model.onDidChange((key) => {
      const node = key === undefined ? undefined : this.byList.get(key);
      if (key === undefined || key === AdminKeys.portals) {
        this.nodes = new Map();
        this.byList.clear();
        this.parents.clear();
      }
      this.changed.fire(node);
    });
  }

  /** Draw every node again (names of strategies and providers came in), without reloading anything. */
  redraw(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(n: AdminNode): vscode.TreeItem {
    const key = listKeyOf(n);
    const l = key ? this.model.peek(key) : undefined;
    return adminTreeItem(n, l?.state === 'ready' ? l.total : undefined, false);
  }

  /** On hover: the tooltip getTreeItem left out (see adminTreeItem). */
  resolveTreeItem(item: vscode.TreeItem, n: AdminNode): vscode.TreeItem {
    if (item.tooltip === undefined) item.tooltip = adminTreeItem(n).tooltip;
    return item;
  }

  getParent(n: AdminNode): AdminNode | undefined {
    return this.parents.get(n);
  }

  async getChildren(parent?: AdminNode): Promise<AdminNode[]> {
    try {
      return await this.children(parent);
    } catch (err) {
      return [
        this.note(
          parent,
          'bug',
          'error',
          vscode.l10n.t('Could not show this: {0}', err instanceof Error ? err.message : String(err)),
        ),
      ];
    }
  }

  /** The same object for the same key until the portals list reloads (what element-wise refreshes rely on). */
  intern<N extends AdminNode>(node: N, parent: AdminNode | undefined): N {
    const existing = this.nodes.get(node.key);
    const fresh =
      existing &&
      existing.kind === node.kind &&
      (sameFields(existing, node) || JSON.stringify(existing) === JSON.stringify(node));
    const n = fresh ? (existing as N) : node;
    this.nodes.set(n.key, n);
    this.parents.set(n, parent);
    const list = listKeyOf(n);
    if (list) this.byList.set(list, n);
    return n;
  }

  private note(
    parent: AdminNode | undefined,
    id: string,
    severity: 'error' | 'info' | 'loading',
    text: string,
    tooltip?: string,
  ): AdminNode {
    return this.intern({ kind: 'note', key: `${parent?.key ?? 'root'}/note:${id}`, severity, text, tooltip }, parent);
  }

  /** Nodes for a load that is not ready, or undefined when it is. */
  private notReady<T>(parent: AdminNode | undefined, l: AdminLoad<T>): AdminNode[] | undefined {
    if (l.state === 'signedOut') return [];
    if (l.state === 'error') return [this.note(parent, 'error', 'error', l.error.headline, l.error.message)];
    return undefined;
  }

  private tail<T>(parent: AdminNode, l: Extract<AdminLoad<T>, { state: 'ready' }>, what: string): AdminNode[] {
    const list = listKeyOf(parent);
    if (l.complete)
      return l.more && list
        ? [
            this.intern(
              { kind: 'loadMore', key: `${parent.key}/more`, list, shown: l.items.length, total: l.total },
              parent,
            ),
          ]
        : [];
    return [
      this.note(
        parent,
        'loading',
        'loading',
        vscode.l10n.t(
          'Loading… ({0} of {1} {2} shown)',
          l.items.length.toLocaleString('en'),
          l.total.toLocaleString('en'),
          what,
        ),
      ),
    ];
  }

  private async children(parent: AdminNode | undefined): Promise<AdminNode[]> {
    if (!parent) {
      const l = await this.model.portals();
      const nr = this.notReady(undefined, l);
      if (nr) return nr;
      const ready = l as Extract<AdminLoad<Portal>, { state: 'ready' }>;
      if (!ready.items.length)
        return [this.note(undefined, 'empty', 'info', vscode.l10n.t('No portals in this organization yet'))];
      return ready.items.map((portal) => this.intern({ kind: 'portal', key: `p:${portal.id}`, portal }, undefined));
    }
    switch (parent.kind) {
      case 'portal': {
        const portal = parent.portal;
        const k = parent.key;
        // the groups show their counts when drawn: their first pages are asked for now (the rest loads on)
        await Promise.all([this.model.developers(portal.id), this.model.applications(portal.id)]);
        return [
          this.intern({ kind: 'settings', key: `${k}/settings`, portal }, parent),
          this.intern({ kind: 'developers', key: `${k}/developers`, portal }, parent),
          this.intern({ kind: 'applications', key: `${k}/applications`, portal }, parent),
          this.intern({ kind: 'registrations', key: `${k}/registrations`, portal }, parent),
        ];
      }
      case 'settings': {
        const portal = parent.portal;
        const sid = portal.default_application_auth_strategy_id;
        return (
          ['auto_approve_developers', 'auto_approve_applications', 'default_application_auth_strategy_id'] as const
        ).map((setting) =>
          this.intern(
            {
              kind: 'setting',
              key: `${parent.key}/${setting}`,
              portal,
              setting,
              display: sid ? (this.strategyName(sid) ?? sid) : vscode.l10n.t('none'),
            },
            parent,
          ),
        );
      }
      case 'developers': {
        const l = await this.model.developers(parent.portal.id);
        const nr = this.notReady(parent, l);
        if (nr) return nr;
        const ready = l as Extract<typeof l, { state: 'ready' }>;
        if (!ready.items.length) return [this.note(parent, 'empty', 'info', vscode.l10n.t('No developers'))];
        return [
          ...ready.items.map((developer) =>
            this.intern(
              { kind: 'developer', key: `${parent.key}/${developer.id}`, portal: parent.portal, developer },
              parent,
            ),
          ),
          ...this.tail(parent, ready, vscode.l10n.t('developers')),
        ];
      }
      case 'applications': {
        const l = await this.model.applications(parent.portal.id);
        const nr = this.notReady(parent, l);
        if (nr) return nr;
        const ready = l as Extract<typeof l, { state: 'ready' }>;
        if (!ready.items.length) return [this.note(parent, 'empty', 'info', vscode.l10n.t('No applications'))];
        return [
          ...ready.items.map((app) => this.applicationNode(parent.portal, app, parent, false)),
          ...this.tail(parent, ready, vscode.l10n.t('applications')),
        ];
      }
      case 'application':
        return this.applicationChildren(parent);
      case 'registrations':
        await Promise.all(
          REGISTRATION_STATUSES.map((status) => this.model.registrationsByStatus(parent.portal.id, status)),
        );
        return REGISTRATION_STATUSES.map((status) =>
          this.intern({ kind: 'statusGroup', key: `${parent.key}/${status}`, portal: parent.portal, status }, parent),
        );
      case 'statusGroup': {
        const l = await this.model.registrationsByStatus(parent.portal.id, parent.status);
        const nr = this.notReady(parent, l);
        if (nr) return nr;
        const ready = l as Extract<typeof l, { state: 'ready' }>;
        if (!ready.items.length) return [this.note(parent, 'empty', 'info', vscode.l10n.t('None'))];
        return [
          ...ready.items.map((registration) =>
            this.intern(
              {
                kind: 'registration',
                key: `${parent.key}/${registration.id}`,
                portal: parent.portal,
                registration,
                showApp: true,
              },
              parent,
            ),
          ),
          ...this.tail(parent, ready, vscode.l10n.t('registrations')),
        ];
      }
      case 'strategyUsers':
        return this.strategyUsers(parent);
      default:
        return [];
    }
  }

  applicationNode(
    portal: Portal,
    app: PortalApplication,
    parent: AdminNode,
    showPortal: boolean,
  ): AdminNodeOf<'application'> {
    return this.intern({ kind: 'application', key: `${parent.key}/${app.id}`, portal, app, showPortal }, parent);
  }

  /** The application's strategy, DCR provider, client id, granted scopes and owner, then its registrations. */
  async applicationChildren(parent: AdminNodeOf<'application'>): Promise<AdminNode[]> {
    const a = parent.app;
    const field = (id: string, label: string, value: string, icon: string): AdminNode =>
      this.intern({ kind: 'appField', key: `${parent.key}/${id}`, label, value, icon }, parent);
    const fields: AdminNode[] = [
      field(
        'strategy',
        vscode.l10n.t('Auth strategy'),
        `${a.auth_strategy.name} (${a.auth_strategy.credential_type})`,
        'shield',
      ),
    ];
    if (a.auth_strategy.credential_type !== 'key_auth') {
      fields.push(
        field(
          'provider',
          vscode.l10n.t('DCR provider'),
          a.dcr_provider
            ? (this.providerName(a.dcr_provider.id) ?? a.dcr_provider.id)
            : vscode.l10n.t('none (self-managed)'),
          'plug',
        ),
        field('client', vscode.l10n.t('Client ID'), a.client_id || vscode.l10n.t('(none)'), 'symbol-key'),
        field(
          'scopes',
          vscode.l10n.t('Granted scopes'),
          a.granted_scopes ? a.granted_scopes.join(', ') || vscode.l10n.t('(none)') : vscode.l10n.t('(not known)'),
          'list-unordered',
        ),
      );
    }
    fields.push(
      field(
        'owner',
        vscode.l10n.t('Owner'),
        a.owner
          ? a.owner.type === 'developer'
            ? vscode.l10n.t('developer {0}', this.developerEmail(parent.portal.id, a.owner.id) ?? a.owner.id)
            : vscode.l10n.t('team {0}', a.owner.id)
          : vscode.l10n.t('(none)'),
        'person',
      ),
    );
    const l = await this.model.appRegistrations(parent.portal.id, a.id);
    const nr = this.notReady(parent, l);
    if (nr) return [...fields, ...nr];
    const ready = l as Extract<typeof l, { state: 'ready' }>;
    if (!ready.items.length)
      return [...fields, this.note(parent, 'noreg', 'info', vscode.l10n.t('Not registered for any API'))];
    return [
      ...fields,
      ...ready.items.map((registration) =>
        this.intern(
          { kind: 'registration', key: `${parent.key}/r:${registration.id}`, portal: parent.portal, registration },
          parent,
        ),
      ),
    ];
  }

  /** A developer's email, when the portal's developers are loaded (expanding a portal loads them). */
  private developerEmail(portalId: string, id: string): string | undefined {
    const l = this.model.peek<PortalDeveloper>(AdminKeys.developers(portalId));
    return l?.state === 'ready' ? l.items.find((d) => d.id === id)?.email : undefined;
  }

  async strategyUsers(parent: AdminNodeOf<'strategyUsers'>): Promise<AdminNode[]> {
    const l = await this.model.strategyUsers(parent.strategyId);
    const nr = this.notReady(parent, l);
    if (nr) return nr;
    const ready = l as Extract<typeof l, { state: 'ready' }>;
    // a portal whose applications stopped at their cap: only the users among those read are listed
    const partial = this.model
      .partialStrategyUsers(parent.strategyId)
      .map((portal) =>
        this.note(
          parent,
          `partial:${portal.id}`,
          'info',
          vscode.l10n.t('Portal "{0}": only the applications read so far were looked at', portal.name),
          vscode.l10n.t(
            'Its Applications list stopped at its cap. "Load more…" there reads the rest; then refresh to see every user of this strategy.',
          ),
        ),
      );
    if (!ready.items.length)
      return [this.note(parent, 'none', 'info', vscode.l10n.t('No application uses this strategy')), ...partial];
    return [...ready.items.map(({ portal, app }) => this.applicationNode(portal, app, parent, true)), ...partial];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
