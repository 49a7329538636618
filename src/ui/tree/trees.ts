import * as vscode from 'vscode';
import type { ClientSecretItem, Token } from '../../core/api/index';
import type { ConnectionStore } from '../auth/connections';
import { Commands, ContextKeys, Views, type ViewId } from '../platform/ids';
import type { Classified } from '../platform/errors';
import { toTreeItem } from './items';
import type { AuthServerChildren, Catalog, Identity, KonnectModel, Loadable, Section } from './model';
import {
  PROVIDER_TYPE_INFO,
  type FoundResource,
  type NodeAction,
  type NodeOf,
  type ResourceNode,
  type StrategyField,
  type TreeNode,
} from './nodes';
import { shellHost } from '../platform/host';
import type { AdminNode } from '../portals/nodes';

/** Where the strategies' "Used by" nodes get their children and counts (the Portals view's tree). */
export interface AdminChildren {
  children(node: AdminNode): Promise<AdminNode[]>;
  /** What the node's list holds when it is loaded. */
  count(node: AdminNode): number | undefined;
}

const SECTION_OF: Record<ViewId, Section> = {
  [Views.providers]: 'catalog',
  [Views.strategies]: 'catalog',
  [Views.identity]: 'identity',
};

/**
 * One view's TreeDataProvider over the shared model. Nodes are interned by key (the same object for the same
 * resource until the model changes), which `reveal` and `getParent` rely on. `getChildren` never throws and never
 * shows UI: failures come back as error nodes with a way out.
 */
export class ResourceTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new Map<string, TreeNode>();
  private parents = new Map<TreeNode, TreeNode | undefined>();
  private readonly subscription: vscode.Disposable;

  constructor(
    readonly viewId: ViewId,
    private readonly model: KonnectModel,
    private readonly connections: ConnectionStore,
  ) {
    this.subscription = model.onDidChange((section) => {
      if (section === SECTION_OF[viewId]) this.invalidate();
    });
  }

  /** Forget the interned nodes and ask VS Code to read the tree again. */
  invalidate(): void {
    this.nodes = new Map();
    this.parents = new Map();
    this.changed.fire(undefined);
  }

  /** Set by the composition root: the strategies view then lists who uses each strategy. */
  admin: AdminChildren | undefined;

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(node, false, node.kind === 'admin' ? this.admin?.count(node.node) : undefined, false);
  }

  /** On hover: the tooltip getTreeItem left out (see toTreeItem). */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (item.tooltip === undefined) item.tooltip = toTreeItem(node).tooltip;
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node);
  }

  async getChildren(parent?: TreeNode): Promise<TreeNode[]> {
    try {
      return await this.children(parent);
    } catch (err) {
      // A bug, not a Konnect failure (those are Loadable errors): still no throw out of the tree.
      const message = vscode.l10n.t('Could not show this: {0}', err instanceof Error ? err.message : String(err));
      return this.errorNodes(
        parent,
        { kind: 'other', headline: vscode.l10n.t('Could not show this (see the log)'), message, action: 'retry' },
        'bug',
      );
    }
  }

  private intern<N extends TreeNode>(node: N, parent: TreeNode | undefined): N {
    const existing = this.nodes.get(node.key);
    if (existing && existing.kind === node.kind) return existing as N;
    this.nodes.set(node.key, node);
    this.parents.set(node, parent);
    return node;
  }

  private async children(parent: TreeNode | undefined): Promise<TreeNode[]> {
    if (!parent) {
      if (this.viewId === Views.identity) return this.identityRoots(await this.model.getIdentity());
      // the first screen as soon as it is in; the model fires a change when the whole catalog replaces it
      const catalog = await this.model.getCatalogFirstScreen();
      return this.viewId === Views.providers ? this.providerRoots(catalog) : this.strategyRoots(catalog);
    }
    const catalog = this.model.peekCatalog();
    switch (parent.kind) {
      case 'providerGroup':
        return (catalog?.providers ?? [])
          .filter((p) => p.provider_type === parent.providerType)
          .map((p) => this.providerNode(p.id, catalog!, parent));
      case 'provider': {
        const users = catalog?.strategiesByProvider.get(parent.provider.id) ?? [];
        if (!users.length)
          return [
            this.intern(
              {
                kind: 'message',
                key: `${parent.key}/none`,
                severity: 'info',
                text: vscode.l10n.t('No auth strategy uses this provider'),
              },
              parent,
            ),
          ];
        return users.map((s) =>
          this.intern(
            { kind: 'strategy', key: `${parent.key}/s:${s.id}`, strategy: s, under: parent.provider.id },
            parent,
          ),
        );
      }
      case 'strategy':
        return parent.under ? [] : this.strategyFields(parent, catalog);
      case 'admin':
        return this.admin
          ? (await this.admin.children(parent.node)).map((node) =>
              this.intern({ kind: 'admin', key: `${this.viewId}:${node.key}`, node }, parent),
            )
          : [];
      case 'authServer':
        return this.authServerChildren(parent, await this.model.getAuthServerChildren(parent.authServer.id));
      case 'identityGroup': {
        const c = this.model.peekAuthServerChildren(parent.authServer.id);
        if (!c) return [];
        const a = parent.authServer;
        if (parent.group === 'scopes')
          return c.scopes.map((scope) =>
            this.intern({ kind: 'scope', key: `${parent.key}/${scope.id}`, authServer: a, scope }, parent),
          );
        if (parent.group === 'claims')
          return c.claims.map((claim) =>
            this.intern({ kind: 'claim', key: `${parent.key}/${claim.id}`, authServer: a, claim }, parent),
          );
        return c.clients.map((client) =>
          this.intern({ kind: 'client', key: `${parent.key}/${client.id}`, authServer: a, client }, parent),
        );
      }
      case 'client':
        return (['secrets', 'tokens'] as const).map((group) =>
          this.intern(
            {
              kind: 'clientGroup',
              key: `${parent.key}/${group}`,
              authServer: parent.authServer,
              client: parent.client,
              group,
            },
            parent,
          ),
        );
      case 'clientGroup':
        return this.clientGroupChildren(parent);
      default:
        return [];
    }
  }

  // ------------------------------------------------------------------------------------------- roots

  private providerRoots(l: Loadable<Catalog>): TreeNode[] {
    if (l.state !== 'ready') return this.notReady(l);
    const c = l.value;
    if (!c.providers.length)
      return [
        this.intern(
          {
            kind: 'message',
            key: 'p:empty',
            severity: 'info',
            text: vscode.l10n.t('No DCR providers in "{0}" yet', l.connection),
          },
          undefined,
        ),
      ];
    const groups: TreeNode[] = [];
    for (const info of PROVIDER_TYPE_INFO) {
      const count = c.providers.reduce((n, p) => n + (p.provider_type === info.type ? 1 : 0), 0);
      if (count) groups.push(this.groupNode(info.type, count));
    }
    if (!c.complete)
      groups.push(this.loadingNode('p', c.providers.length, c.totals.providers, vscode.l10n.t('providers')));
    else if (c.providers.length < c.totals.providers)
      groups.push(
        this.intern(
          { kind: 'loadMore', key: 'p:more', section: 'catalog', shown: c.providers.length, total: c.totals.providers },
          undefined,
        ),
      );
    return groups;
  }

  private strategyRoots(l: Loadable<Catalog>): TreeNode[] {
    if (l.state !== 'ready') return this.notReady(l);
    const c = l.value;
    if (!c.strategies.length)
      return [
        this.intern(
          {
            kind: 'message',
            key: 's:empty',
            severity: 'info',
            text: vscode.l10n.t('No auth strategies in "{0}" yet', l.connection),
          },
          undefined,
        ),
      ];
    const nodes: TreeNode[] = c.strategies.map((s) => this.strategyNode(s.id, c));
    if (!c.complete)
      nodes.push(this.loadingNode('s', c.strategies.length, c.totals.strategies, vscode.l10n.t('strategies')));
    else if (c.strategies.length < c.totals.strategies)
      nodes.push(
        this.intern(
          {
            kind: 'loadMore',
            key: 's:more',
            section: 'catalog',
            shown: c.strategies.length,
            total: c.totals.strategies,
          },
          undefined,
        ),
      );
    return nodes;
  }

  /** The last line of a first screen: the rest of the list is still loading. */
  private loadingNode(prefix: string, shown: number, total: number, what: string): TreeNode {
    const text = vscode.l10n.t(
      'Loading… ({0} of {1} {2} shown)',
      shown.toLocaleString('en'),
      total.toLocaleString('en'),
      what,
    );
    return this.intern({ kind: 'message', key: `${prefix}:loading`, severity: 'info', text }, undefined);
  }

  private identityRoots(l: Loadable<Identity>): TreeNode[] {
    if (l.state !== 'ready') return this.notReady(l);
    const i = l.value;
    if (!i.authServers.length)
      return [
        this.intern(
          {
            kind: 'message',
            key: 'i:empty',
            severity: 'info',
            text: vscode.l10n.t('No Kong Identity auth servers in "{0}" yet', l.connection),
          },
          undefined,
        ),
      ];
    const nodes: TreeNode[] = i.authServers.map((a) => this.authServerNode(a.id, i));
    if (i.authServers.length < i.total)
      nodes.push(
        this.intern(
          { kind: 'loadMore', key: 'i:more', section: 'identity', shown: i.authServers.length, total: i.total },
          undefined,
        ),
      );
    return nodes;
  }

  private authServerChildren(parent: NodeOf<'authServer'>, l: Loadable<AuthServerChildren>): TreeNode[] {
    if (l.state === 'signedOut') return [];
    if (l.state === 'error') return this.errorNodes(parent, l.error, parent.key);
    const a = parent.authServer;
    return (['scopes', 'claims', 'clients'] as const).map((group) =>
      this.intern(
        { kind: 'identityGroup', key: `${parent.key}/${group}`, authServer: a, group, count: l.value[group].length },
        parent,
      ),
    );
  }

  private async clientGroupChildren(parent: NodeOf<'clientGroup'>): Promise<TreeNode[]> {
    const { authServer, client } = parent;
    const l =
      parent.group === 'secrets'
        ? await this.model.clientList(authServer.id, client.id, 'secrets')
        : await this.model.clientList(authServer.id, client.id, 'tokens');
    if (l.state === 'signedOut') return [];
    if (l.state === 'error') return this.errorNodes(parent, l.error, parent.key);
    if (!l.value.length)
      return [
        this.intern(
          {
            kind: 'message',
            key: `${parent.key}/none`,
            severity: 'info',
            text: parent.group === 'secrets' ? vscode.l10n.t('No secrets') : vscode.l10n.t('No issued tokens'),
          },
          parent,
        ),
      ];
    if (parent.group === 'tokens')
      return (l.value as readonly Token[]).map((token) =>
        this.intern({ kind: 'clientToken', key: `${parent.key}/${token.id}`, authServer, client, token }, parent),
      );
    return (l.value as readonly ClientSecretItem[]).map((secret) =>
      this.intern({ kind: 'clientSecret', key: `${parent.key}/${secret.id}`, authServer, client, secret }, parent),
    );
  }

  private strategyFields(parent: NodeOf<'strategy'>, catalog: Catalog | undefined): TreeNode[] {
    const s = parent.strategy;
    const out: TreeNode[] = [];
    const field = (f: StrategyField, label: string, value: string): void => {
      out.push(
        this.intern({ kind: 'strategyField', key: `${parent.key}/${f}`, strategy: s, field: f, label, value }, parent),
      );
    };
    const list = (xs: readonly string[] | undefined): string =>
      xs && xs.length ? xs.join(', ') : vscode.l10n.t('(none)');
    if (s.strategy_type === 'openid_connect') {
      const pid = s.dcr_provider?.id;
      out.push(
        this.intern(
          {
            kind: 'linkedProvider',
            key: `${parent.key}/provider`,
            strategy: s,
            providerId: pid,
            provider: pid ? catalog?.providerById.get(pid) : undefined,
          },
          parent,
        ),
      );
      const c = s.configs['openid-connect'];
      field('issuer', vscode.l10n.t('Issuer'), c.issuer);
      field('scopes', vscode.l10n.t('Scopes'), list(c.scopes));
      field('credentialClaims', vscode.l10n.t('Credential claims'), list(c.credential_claim));
      field('authMethods', vscode.l10n.t('Auth methods'), list(c.auth_methods));
    } else {
      const c = s.configs['key-auth'];
      field('keyNames', vscode.l10n.t('Key names'), list(c.key_names));
      if (c.ttl) field('ttl', vscode.l10n.t('TTL'), `${c.ttl.value} ${c.ttl.unit}`);
    }
    // `principals` is in the answer only where Konnect has the setting
    if (s.principals)
      field(
        'principals',
        vscode.l10n.t('Application principals'),
        s.principals.enabled ? vscode.l10n.t('enabled') : vscode.l10n.t('disabled'),
      );
    if (this.admin) {
      const key = `${parent.key}/users`;
      out.push(
        this.intern(
          { kind: 'admin', key, node: { kind: 'strategyUsers', key, strategyId: s.id, strategyName: s.name } },
          parent,
        ),
      );
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------- interned resource nodes (also used by reveal)

  groupNode(providerType: NodeOf<'providerGroup'>['providerType'], count: number): NodeOf<'providerGroup'> {
    return this.intern({ kind: 'providerGroup', key: `p:group:${providerType}`, providerType, count }, undefined);
  }

  /** The node of a provider in the providers view (with its group as parent); undefined when not loaded. */
  providerNode(id: string, catalog: Catalog, group?: TreeNode): NodeOf<'provider'> {
    const p = catalog.providerById.get(id)!;
    const g =
      group ??
      this.groupNode(p.provider_type, catalog.providers.filter((x) => x.provider_type === p.provider_type).length);
    return this.intern({ kind: 'provider', key: `p:${id}`, provider: p }, g);
  }

  strategyNode(id: string, catalog: Catalog): NodeOf<'strategy'> {
    return this.intern({ kind: 'strategy', key: `s:${id}`, strategy: catalog.strategyById.get(id)! }, undefined);
  }

  authServerNode(id: string, identity: Identity): NodeOf<'authServer'> {
    return this.intern({ kind: 'authServer', key: `i:${id}`, authServer: identity.authServerById.get(id)! }, undefined);
  }

  identityChildNode(
    authServerId: string,
    group: 'scopes' | 'claims' | 'clients',
    id: string,
    identity: Identity,
    children: AuthServerChildren,
  ): TreeNode | undefined {
    const server = this.authServerNode(authServerId, identity);
    const g = this.intern(
      {
        kind: 'identityGroup',
        key: `${server.key}/${group}`,
        authServer: server.authServer,
        group,
        count: children[group].length,
      },
      server,
    );
    const key = `${g.key}/${id}`;
    const a = server.authServer;
    if (group === 'scopes') {
      const scope = children.scopes.find((x) => x.id === id);
      return scope && this.intern({ kind: 'scope', key, authServer: a, scope }, g);
    }
    if (group === 'claims') {
      const claim = children.claims.find((x) => x.id === id);
      return claim && this.intern({ kind: 'claim', key, authServer: a, claim }, g);
    }
    const client = children.clients.find((x) => x.id === id);
    return client && this.intern({ kind: 'client', key, authServer: a, client }, g);
  }

  // ------------------------------------------------------------------------------------------- errors

  private notReady(l: Exclude<Loadable<unknown>, { state: 'ready' }>): TreeNode[] {
    if (l.state === 'signedOut') return []; // the welcome view (viewsWelcome on !konnectDcr.signedIn) takes over
    return this.errorNodes(undefined, l.error, 'root');
  }

  private errorNodes(parent: TreeNode | undefined, error: Classified, scope: string): TreeNode[] {
    const key = `${this.viewId}:error:${scope}`;
    const info = this.connections.active();
    const way: NodeAction =
      error.action === 'signIn'
        ? {
            command: Commands.signIn,
            title: vscode.l10n.t('Sign In…'),
            args: info
              ? [{ name: info.name, ...(info.region ? { region: info.region } : { baseUrl: info.baseUrl }) }]
              : [],
          }
        : { command: Commands.refresh, title: vscode.l10n.t('Retry') };
    return [
      this.intern(
        { kind: 'message', key, severity: 'error', text: error.headline, tooltip: error.message, action: way },
        parent,
      ),
      this.intern(
        {
          kind: 'action',
          key: `${key}:way`,
          label: error.action === 'signIn' ? vscode.l10n.t('Sign in again…') : vscode.l10n.t('Retry'),
          icon: error.action === 'signIn' ? 'sign-in' : 'refresh',
          action: way,
        },
        parent,
      ),
      this.intern(
        {
          kind: 'action',
          key: `${key}:log`,
          label: vscode.l10n.t('Show Log'),
          icon: 'output',
          action: { command: Commands.showLog, title: vscode.l10n.t('Show Log') },
        },
        parent,
      ),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/**
 * Whether `holds()` is true now, or becomes true at one of `event`'s firings within `timeoutMs` (checked once more at
 * the end).
 */
function eventually(holds: () => boolean, event: vscode.Event<unknown>, timeoutMs: number): Promise<boolean> {
  if (holds()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sub.dispose();
      resolve(ok);
    };
    const timer = setTimeout(() => done(holds()), timeoutMs);
    const sub = event(() => {
      if (holds()) done(true);
    });
  });
}

/**
 * The three views: providers, TreeViews (selection, reveal, counts in the description), view-scoped progress while
 * the model loads, and the `konnectDcr.loading` context key.
 */
export class Trees implements vscode.Disposable {
  readonly providers: ResourceTree;
  readonly strategies: ResourceTree;
  readonly identity: ResourceTree;
  readonly views: Record<ViewId, vscode.TreeView<TreeNode>>;
  private readonly disposables: vscode.Disposable[] = [];
  private inFlight = 0;

  constructor(
    private readonly model: KonnectModel,
    connections: ConnectionStore,
  ) {
    this.providers = new ResourceTree(Views.providers, model, connections);
    this.strategies = new ResourceTree(Views.strategies, model, connections);
    this.identity = new ResourceTree(Views.identity, model, connections);
    // Under the activation shell the views already exist (created before main loaded); main only backs them.
    const host = shellHost();
    const view = (t: ResourceTree): vscode.TreeView<TreeNode> =>
      host
        ? host.bindTreeView(t.viewId, t)
        : vscode.window.createTreeView(t.viewId, { treeDataProvider: t, showCollapseAll: true });
    this.views = {
      [Views.providers]: view(this.providers),
      [Views.strategies]: view(this.strategies),
      [Views.identity]: view(this.identity),
    };
    this.disposables.push(this.providers, this.strategies, this.identity, ...Object.values(this.views));
    this.disposables.push(model.onDidChange(() => this.describe()));
    model.progress = (section, work) => this.showProgress(section, work);
  }

  /**
   * Select (and show) a resource in its view: providers in DCR Providers (under their type group), strategies in
   * Auth Strategies, Kong Identity resources in Kong Identity. Loads what is needed; returns the revealed node.
   */
  async reveal(target: FoundResource): Promise<ResourceNode | undefined> {
    // bring the Konnect DCR container forward first, and reveal only once the view shows: on VS Code 1.100 a reveal in
    // a view that has not rendered yet (its container just opened, or never opened this session) selects nothing
    await vscode.commands.executeCommand('workbench.view.extension.konnectDcr');
    if (target.kind === 'provider' || target.kind === 'strategy') {
      const l = await this.model.getCatalog();
      if (l.state !== 'ready') return undefined;
      if (target.kind === 'provider') {
        if (!l.value.providerById.has(target.id)) return undefined;
        const node = this.providers.providerNode(target.id, l.value);
        await this.revealIn(Views.providers, node);
        return node;
      }
      if (!l.value.strategyById.has(target.id)) return undefined;
      const node = this.strategies.strategyNode(target.id, l.value);
      await this.revealIn(Views.strategies, node);
      return node;
    }
    const l = await this.model.getIdentity();
    if (l.state !== 'ready') return undefined;
    if (target.kind === 'authServer') {
      if (!l.value.authServerById.has(target.id)) return undefined;
      const node = this.identity.authServerNode(target.id, l.value);
      await this.revealIn(Views.identity, node);
      return node;
    }
    if (!l.value.authServerById.has(target.authServerId)) return undefined;
    const children = await this.model.getAuthServerChildren(target.authServerId);
    if (children.state !== 'ready') return undefined;
    const group = target.kind === 'scope' ? 'scopes' : target.kind === 'claim' ? 'claims' : 'clients';
    const node = this.identity.identityChildNode(target.authServerId, group, target.id, l.value, children.value);
    if (!node) return undefined;
    await this.revealIn(Views.identity, node);
    return node as ResourceNode;
  }

  /**
   * Reveal and select a node once its view shows. VS Code 1.100 at times acknowledges the first reveal after a view
   * rendered new roots without selecting anything; if the node is not selected shortly after, it is revealed once more.
   */
  private async revealIn(id: ViewId, node: TreeNode): Promise<void> {
    const view = this.views[id];
    const options = { select: true, focus: true, expand: false };
    // a view the user collapsed may never show: after 3 s the reveal goes ahead anyway
    await eventually(() => view.visible, view.onDidChangeVisibility, 3000);
    await view.reveal(node, options);
    const isSelected = (): boolean => view.selection.some((n) => n.key === node.key);
    if (!(await eventually(isSelected, view.onDidChangeSelection, 1000))) await view.reveal(node, options);
  }

  tree(viewId: ViewId): ResourceTree {
    return viewId === Views.providers ? this.providers : viewId === Views.strategies ? this.strategies : this.identity;
  }

  private showProgress(section: Section | 'children', work: Promise<unknown>): void {
    const viewIds: ViewId[] = section === 'catalog' ? [Views.providers, Views.strategies] : [Views.identity];
    this.inFlight++;
    void vscode.commands.executeCommand('setContext', ContextKeys.loading, true);
    // Only the end of the work matters here: its failure is its caller's to report (an error node, a message).
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    for (const viewId of viewIds) void vscode.window.withProgress({ location: { viewId } }, () => settled);
    void settled.then(
      () => {
        this.inFlight--;
        if (this.inFlight === 0) void vscode.commands.executeCommand('setContext', ContextKeys.loading, false);
        this.describe();
      },
      () => undefined,
    );
  }

  /** Counts in the view descriptions ("12 providers", "40 of 9,000 strategies"). */
  private describe(): void {
    const c = this.model.peekCatalog();
    const i = this.model.peekIdentity();
    // one message per form, "N of M …" or "M …", singular or plural: l10n.t has no plural rules of its own
    const n = (x: number): string => x.toLocaleString('en');
    interface Forms {
      some(shown: string, total: string): string;
      someOne(shown: string): string;
      all(total: string): string;
      one(): string;
    }
    const count = (shown: number, total: number, f: Forms): string =>
      shown < total
        ? total === 1
          ? f.someOne(n(shown))
          : f.some(n(shown), n(total))
        : total === 1
          ? f.one()
          : f.all(n(total));
    this.views[Views.providers].description = c
      ? count(c.providers.length, c.totals.providers, {
          some: (a, b) => vscode.l10n.t('{0} of {1} providers', a, b),
          someOne: (a) => vscode.l10n.t('{0} of 1 provider', a),
          all: (b) => vscode.l10n.t('{0} providers', b),
          one: () => vscode.l10n.t('1 provider'),
        })
      : '';
    this.views[Views.strategies].description = c
      ? count(c.strategies.length, c.totals.strategies, {
          some: (a, b) => vscode.l10n.t('{0} of {1} strategies', a, b),
          someOne: (a) => vscode.l10n.t('{0} of 1 strategy', a),
          all: (b) => vscode.l10n.t('{0} strategies', b),
          one: () => vscode.l10n.t('1 strategy'),
        })
      : '';
    this.views[Views.identity].description = i
      ? count(i.authServers.length, i.total, {
          some: (a, b) => vscode.l10n.t('{0} of {1} auth servers', a, b),
          someOne: (a) => vscode.l10n.t('{0} of 1 auth server', a),
          all: (b) => vscode.l10n.t('{0} auth servers', b),
          one: () => vscode.l10n.t('1 auth server'),
        })
      : '';
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
