import * as vscode from 'vscode';
import type { AuthServer } from '../../core/model/kongIdentity';
import type { Session } from '../auth/session';
import { classify } from '../platform/errors';
import { DETAILS_SCHEME } from '../platform/ids';
import type { KonnectModel } from '../tree/model';
import type { ResourceNode } from '../tree/nodes';

/** The kongctl renderer (with `yaml`) is loaded when the first document is rendered, not at activation. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
const loadKongctl = (): typeof import('../../core/config/kongctlYaml') => require('../../core/config/kongctlYaml');

/** Which resource a details document shows. */
export interface ResourceRef {
  readonly kind: ResourceNode['kind'];
  readonly id: string;
  readonly name: string;
  /** For scopes, claims and clients. */
  readonly authServerId?: string | undefined;
}

export function refOfNode(n: ResourceNode): ResourceRef {
  switch (n.kind) {
    case 'provider':
      return { kind: n.kind, id: n.provider.id, name: n.provider.name };
    case 'strategy':
      return { kind: n.kind, id: n.strategy.id, name: n.strategy.name };
    case 'authServer':
      return { kind: n.kind, id: n.authServer.id, name: n.authServer.name };
    case 'scope':
      return { kind: n.kind, id: n.scope.id, name: n.scope.name, authServerId: n.authServer.id };
    case 'claim':
      return { kind: n.kind, id: n.claim.id, name: n.claim.name, authServerId: n.authServer.id };
    case 'client':
      return { kind: n.kind, id: n.client.id, name: n.client.name, authServerId: n.authServer.id };
  }
}

const KIND_SEGMENT: Record<ResourceRef['kind'], string> = {
  provider: 'dcr-providers',
  strategy: 'application-auth-strategies',
  authServer: 'auth-servers',
  scope: 'scopes',
  claim: 'claims',
  client: 'clients',
};

/** `konnect-dcr:/dcr-providers/<id>/<name>.yaml` (scopes/claims/clients: `/auth-servers/<id>/scopes/<id>/<name>.yaml`). */
export function detailsUri(ref: ResourceRef): vscode.Uri {
  const file = `${ref.name.replace(/[^\w.-]+/g, '-') || 'resource'}.yaml`;
  const prefix = ref.authServerId ? `/auth-servers/${encodeURIComponent(ref.authServerId)}` : '';
  return vscode.Uri.from({
    scheme: DETAILS_SCHEME,
    path: `${prefix}/${KIND_SEGMENT[ref.kind]}/${encodeURIComponent(ref.id)}/${file}`,
  });
}

export function parseDetailsUri(uri: vscode.Uri): ResourceRef | undefined {
  const parts = uri.path.split('/').filter(Boolean).map(decodeURIComponent);
  let authServerId: string | undefined;
  if (parts[0] === 'auth-servers' && parts.length === 5) {
    authServerId = parts[1];
    parts.splice(0, 2);
  }
  const [segment, id, file] = parts;
  const kind = (Object.keys(KIND_SEGMENT) as ResourceRef['kind'][]).find((k) => KIND_SEGMENT[k] === segment);
  if (!kind || !id || !file) return undefined;
  return { kind, id, name: file.replace(/\.yaml$/, ''), authServerId };
}

/**
 * Renders resources as kongctl YAML from the model's cache (fetching by id only what is not loaded), with the config
 * core's renderer (the one Pull uses). Shared by the details documents and "Copy as kongctl YAML". Secrets are never
 * part of it: Konnect does not return them. A scope, claim or client is shown in its auth server's entry.
 */
export class DetailsRenderer {
  constructor(
    private readonly model: KonnectModel,
    private readonly session: Session,
  ) {}

  async render(ref: ResourceRef, signal?: AbortSignal): Promise<string> {
    const k = loadKongctl();
    const s = await this.session.active();
    if (!s) throw new Error(vscode.l10n.t('Not signed in to Konnect.'));
    const opts = signal ? { signal } : {};
    const where = `connection "${s.info.name}" (${s.host})`;
    const catalog = this.model.peekCatalog();
    const authServer = (id: string): Promise<AuthServer> | AuthServer =>
      this.model.peekIdentity()?.authServerById.get(id) ?? s.client.identity.authServers.get(id, opts);
    switch (ref.kind) {
      case 'provider': {
        const p = catalog?.providerById.get(ref.id) ?? (await s.client.dcrProviders.get(ref.id, opts));
        return k.renderKongctlYaml({
          providers: [p],
          comment: `DCR provider "${p.name}" (id ${p.id}) from Konnect ${where}, as kongctl declarative configuration.`,
        }).text;
      }
      case 'strategy': {
        const st = catalog?.strategyById.get(ref.id) ?? (await s.client.authStrategies.get(ref.id, opts));
        const pid = st.dcr_provider?.id;
        const p = pid
          ? (catalog?.providerById.get(pid) ?? (await s.client.dcrProviders.get(pid, opts).catch(() => undefined)))
          : undefined;
        return k.renderKongctlYaml({
          providers: p ? [p] : [],
          strategies: [st],
          comment: `Auth strategy "${st.name}" (id ${st.id}) from Konnect ${where}, as kongctl declarative configuration${p ? ', with the DCR provider it references' : ''}.`,
        }).text;
      }
      case 'authServer': {
        const a = await authServer(ref.id);
        const c = this.model.peekAuthServerChildren(ref.id);
        return k.renderKongctlYaml({
          authServers: [{ authServer: a, scopes: c?.scopes, claims: c?.claims, clients: c?.clients }],
          comment: `Kong Identity auth server "${a.name}" (id ${a.id}) from Konnect ${where}, in this extension's config format.`,
        }).text;
      }
      case 'scope':
      case 'claim':
      case 'client': {
        const asid = ref.authServerId!;
        const a = await authServer(asid);
        const c = this.model.peekAuthServerChildren(asid);
        const api = s.client.identity;
        const comment = (name: string): string =>
          `Kong Identity ${ref.kind} "${name}" of auth server "${a.name}" (id ${a.id}) from Konnect ${where}: the auth server's entry with only this ${ref.kind}.`;
        if (ref.kind === 'scope') {
          const scope = c?.scopes.find((x) => x.id === ref.id) ?? (await api.scopes.get(asid, ref.id, opts));
          return k.renderKongctlYaml({
            authServers: [{ authServer: a, scopes: [scope] }],
            comment: comment(scope.name),
          }).text;
        }
        if (ref.kind === 'claim') {
          const claim = c?.claims.find((x) => x.id === ref.id) ?? (await api.claims.get(asid, ref.id, opts));
          // the scopes the claim names, so that its include_in_scopes can name them
          const scopes = (c?.scopes ?? []).filter((x) => claim.include_in_scopes.includes(x.id));
          return k.renderKongctlYaml({
            authServers: [{ authServer: a, scopes, claims: [claim] }],
            comment: comment(claim.name),
          }).text;
        }
        const client = c?.clients.find((x) => x.id === ref.id) ?? (await api.clients.get(asid, ref.id, opts));
        return k.renderKongctlYaml({
          authServers: [{ authServer: a, clients: [client] }],
          comment: comment(client.name),
        }).text;
      }
    }
  }
}

/** The read-only `konnect-dcr:` documents. Open ones are re-rendered when the model reloads. */
export class DetailsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly renderer: DetailsRenderer,
    model: KonnectModel,
  ) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, this),
      model.onDidChange((section) => {
        // Only documents still shown in a tab (a closed tab's document lingers for a while; re-rendering it races its disposal).
        const inTabs = new Set(
          vscode.window.tabGroups.all.flatMap((g) =>
            g.tabs.map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.toString() : '')),
          ),
        );
        for (const doc of vscode.workspace.textDocuments) {
          if (doc.uri.scheme !== DETAILS_SCHEME || doc.isClosed || !inTabs.has(doc.uri.toString())) continue;
          const ref = parseDetailsUri(doc.uri);
          const catalog = ref?.kind === 'provider' || ref?.kind === 'strategy';
          if (ref && catalog === (section === 'catalog')) this.changed.fire(doc.uri);
        }
      }),
    ];
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const ref = parseDetailsUri(uri);
    if (!ref) return `# ${vscode.l10n.t('Not a Konnect DCR details address: {0}', uri.toString())}\n`;
    const ctrl = new AbortController();
    const sub = token.onCancellationRequested(() => ctrl.abort());
    try {
      return await this.renderer.render(ref, ctrl.signal);
    } catch (err) {
      // The document says what went wrong (one line, as a YAML comment) rather than failing to open.
      return `# ${vscode.l10n.t('Could not load this {0} ({1}): {2}', ref.kind, ref.id, classify(err).message.replace(/\n/g, ' '))}\n`;
    } finally {
      sub.dispose();
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
