/**
 * Konnect resources as a config file in this extension's format (kongctl's declarative format, plus
 * `kong_identity_auth_servers`): the one renderer behind Pull, the details documents and "Copy as kongctl YAML".
 * Whatever it writes loads in the config analyzer with no problem of its own making:
 * - write-only secrets (the provider-type table's secret fields) become `!secret {source: !env <REF>_<FIELD>}`;
 * - strategies point at rendered providers with `!ref`; claims and clients name their scopes by name;
 * - kongctl's `KONGCTL-*` labels become `kongctl:` metadata (`_defaults.kongctl.namespace` when asked and shared);
 * - what Konnect computes (ids, issuer, metadata and JWKS URIs of an auth server, client ids) and what the format
 *   has no key for are YAML comments, never keys; a client's secret is never written (Konnect lists none).
 */
import { Document, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { AppAuthStrategy } from '../model/authStrategy';
import type { DcrProvider } from '../model/dcrProvider';
import type { AuthServer, Claim, Client, Scope } from '../model/kongIdentity';
import { providerType, secretKeysOf } from '../model/providerTypes';
import { KONGCTL_LABEL_PREFIX, NAMESPACE_LABEL, PROTECTED_LABEL } from './model';
import { refFromName, secretVarName } from './tags';

/** An auth server with what is loaded of it (undefined lists are left out). */
export interface AuthServerResources {
  readonly authServer: AuthServer;
  readonly scopes?: readonly Scope[] | undefined;
  readonly claims?: readonly Claim[] | undefined;
  readonly clients?: readonly Client[] | undefined;
}

export interface KongctlResources {
  readonly providers?: readonly DcrProvider[] | undefined;
  readonly strategies?: readonly AppAuthStrategy[] | undefined;
  readonly authServers?: readonly AuthServerResources[] | undefined;
  /** First comment lines (what this is, where it came from). */
  readonly comment?: string | undefined;
  /** Put a kongctl namespace every resource shares into `_defaults` (a whole file) instead of on each entry (a snippet). */
  readonly namespaceDefaults?: boolean | undefined;
}

export interface KongctlYaml {
  readonly text: string;
  /** The variables the `!secret` references name. */
  readonly secretNames: readonly string[];
}

type Labels = Readonly<Record<string, string>> | undefined;

function userLabels(labels: Labels): Record<string, string> | undefined {
  const out = Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !k.startsWith(KONGCTL_LABEL_PREFIX)));
  return Object.keys(out).length ? out : undefined;
}

function tagged(value: string, tag: string): Scalar {
  const s = new Scalar(value);
  s.tag = tag;
  return s;
}

function secretRef(doc: Document, name: string): Node {
  const m = new YAMLMap();
  m.flow = true;
  m.tag = '!secret';
  m.items.push(doc.createPair('source', tagged(name, '!env')) as never);
  return m;
}

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

const commentLines = (lines: readonly string[]): string => lines.map((l) => ` ${l}`).join('\n');

export function renderKongctlYaml(r: KongctlResources): KongctlYaml {
  const providers = r.providers ?? [];
  const strategies = r.strategies ?? [];
  const authServers = r.authServers ?? [];
  const doc = new Document(new YAMLMap());
  const root = doc.contents as unknown as YAMLMap;
  const used = new Set<string>();
  const uniqueRef = (name: string): string => {
    const base = refFromName(name);
    let ref = base;
    for (let n = 2; used.has(ref); n++) ref = `${base}-${n}`;
    used.add(ref);
    return ref;
  };

  // kongctl's labels → kongctl metadata
  const all = [...providers, ...strategies];
  const namespaces = new Set(all.map((x) => x.labels?.[NAMESPACE_LABEL]));
  const shared = r.namespaceDefaults && namespaces.size === 1 ? [...namespaces][0] : undefined;
  if (shared !== undefined) root.set('_defaults', doc.createNode({ kongctl: { namespace: shared } }));
  const setLabels = (entry: YAMLMap, labels: Labels): void => {
    const user = userLabels(labels);
    if (user) entry.set('labels', doc.createNode(user));
    const ns = labels?.[NAMESPACE_LABEL];
    const meta: Record<string, unknown> = {};
    if (ns !== undefined && ns !== shared) meta['namespace'] = ns;
    if (labels?.[PROTECTED_LABEL] === 'true') meta['protected'] = true;
    if (Object.keys(meta).length) entry.set('kongctl', doc.createNode(meta));
  };

  const lines = r.comment ? r.comment.split('\n') : [];
  const secretNames: string[] = [];

  if (authServers.length) {
    const seq = new YAMLSeq();
    for (const d of authServers) seq.items.push(authServerEntry(doc, d, uniqueRef(d.authServer.name)));
    root.set('kong_identity_auth_servers', seq);
    lines.push(
      "kong_identity_auth_servers is Konnect DCR's own section (kongctl has no Kong Identity resource): keep it in a konnect-dcr*.yaml file.",
    );
  }

  const refs = new Map<string, string>();
  if (providers.length) {
    const seq = new YAMLSeq();
    for (const p of providers) {
      const ref = uniqueRef(p.name);
      refs.set(p.id, ref);
      const entry = new YAMLMap();
      entry.commentBefore = ` id ${p.id}`;
      entry.set('ref', ref);
      entry.set('name', p.name);
      if (p.display_name !== undefined) entry.set('display_name', p.display_name);
      entry.set('provider_type', p.provider_type);
      entry.set('issuer', p.issuer);
      if (providerType(p.provider_type).dcrConfig.length) {
        // a type without dcr_config fields (Kong Identity) has none
        const cfg = new YAMLMap();
        for (const [k, v] of Object.entries(p.dcr_config as Record<string, unknown>))
          if (v !== null && v !== undefined) cfg.set(k, doc.createNode(v));
        for (const field of secretKeysOf(p.provider_type)) {
          const name = secretVarName(ref, field);
          secretNames.push(name);
          cfg.set(field, secretRef(doc, name));
        }
        entry.set('dcr_config', cfg);
      }
      setLabels(entry, p.labels);
      seq.items.push(entry);
    }
    root.set('dcr_providers', seq);
  }

  if (strategies.length) {
    const seq = new YAMLSeq();
    for (const s of strategies) {
      const entry = new YAMLMap();
      entry.commentBefore = ` id ${s.id}`;
      entry.set('ref', uniqueRef(s.name));
      entry.set('name', s.name);
      entry.set('display_name', s.display_name);
      entry.set('strategy_type', s.strategy_type);
      if (s.strategy_type === 'openid_connect') {
        const pid = s.dcr_provider?.id;
        if (pid) entry.set('dcr_provider_id', refs.has(pid) ? tagged(refs.get(pid)!, '!ref') : pid);
        const { issuer, credential_claim, scopes, auth_methods, ...extra } = s.configs['openid-connect'];
        entry.set(
          'configs',
          doc.createNode({ openid_connect: { issuer, credential_claim, scopes, auth_methods, ...extra } }),
        );
      } else {
        const c = s.configs['key-auth'];
        entry.set('configs', doc.createNode({ key_auth: defined({ key_names: c.key_names, ttl: c.ttl }) }));
      }
      setLabels(entry, s.labels);
      if (s.principals) entry.set('principals', doc.createNode(s.principals));
      seq.items.push(entry);
    }
    root.set('application_auth_strategies', seq);
  }

  if (secretNames.length) {
    lines.push(
      'Konnect never returns write-only secrets: they are !secret references to fill in before creating these providers',
    );
    lines.push(
      `elsewhere, in VS Code's SecretStorage ("Konnect DCR: Store Secret…") or the environment (kongctl): ${secretNames.join(', ')}`,
    );
  }
  if (lines.length) doc.commentBefore = commentLines(lines);
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), secretNames };
}

/** An auth server entry: its writable fields as keys, what Konnect computes as comments. */
function authServerEntry(doc: Document, d: AuthServerResources, ref: string): YAMLMap {
  const a = d.authServer;
  const entry = doc.createNode(
    defined({
      ref,
      name: a.name,
      audience: a.audience,
      description: a.description || undefined,
      signing_algorithm: a.signing_algorithm,
      labels: userLabels(a.labels),
      trusted_origins: a.trusted_origins?.length ? a.trusted_origins : undefined,
    }),
  ) as YAMLMap;
  const before = [
    `id ${a.id} (read-only: issuer, metadata_uri and jwks_uri are Konnect's)`,
    `issuer: ${a.issuer}`,
    `metadata_uri: ${a.metadata_uri}`,
  ];
  if (a.jwks_uri) before.push(`jwks_uri: ${a.jwks_uri}`);
  const kongctlLabels = Object.entries(a.labels ?? {}).filter(([k]) => k.startsWith(KONGCTL_LABEL_PREFIX));
  if (kongctlLabels.length)
    before.push(`labels kongctl manages (left out): ${kongctlLabels.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  entry.commentBefore = commentLines(before);

  const scopeName = new Map((d.scopes ?? []).map((s) => [s.id, s.name]));
  if (d.scopes) {
    entry.set(
      'scopes',
      doc.createNode(
        d.scopes.map((s) =>
          defined({
            name: s.name,
            description: s.description || undefined,
            default: s.default,
            include_in_metadata: s.include_in_metadata,
            enabled: s.enabled,
          }),
        ),
      ),
    );
  }
  const unnamed: string[] = [];
  if (d.claims) {
    entry.set(
      'claims',
      doc.createNode(
        d.claims.map((c) => {
          const names = c.include_in_scopes.flatMap((id) => {
            const n = scopeName.get(id);
            if (!n) unnamed.push(`${c.name}: ${id}`);
            return n ? [n] : [];
          });
          return defined({
            name: c.name,
            value: c.value,
            include_in_token: c.include_in_token,
            include_in_all_scopes: c.include_in_all_scopes,
            include_in_scopes: names.length ? names : undefined,
            enabled: c.enabled,
          });
        }),
      ),
    );
  }
  const after: string[] = [];
  if (unnamed.length)
    after.push(`claims in scopes that are not shown here (left out of include_in_scopes): ${unnamed.join(', ')}`);
  const unnamedClientScopes: string[] = [];
  if (d.clients?.length) {
    const seq = doc.createNode(
      d.clients.map((c) => {
        const names = c.allow_scopes.flatMap((id) => {
          const n = scopeName.get(id);
          if (!n) unnamedClientScopes.push(`${c.name}: ${id}`);
          return n ? [n] : [];
        });
        return defined({
          name: c.name,
          grant_types: c.grant_types,
          response_types: c.response_types,
          redirect_uris: c.redirect_uris.length ? c.redirect_uris : undefined,
          login_uri: c.login_uri || undefined,
          access_token_duration: c.access_token_duration,
          id_token_duration: c.id_token_duration,
          allow_all_scopes: c.allow_all_scopes,
          allow_scopes: c.allow_all_scopes || !c.allow_scopes.length ? undefined : names,
          labels: userLabels(c.labels),
          token_endpoint_auth_method: c.token_endpoint_auth_method,
        });
      }),
    ) as YAMLSeq;
    seq.items.forEach((item, i) => {
      (item as YAMLMap).commentBefore = commentLines([
        `client_id ${d.clients![i]!.id} (Konnect's; its secret is never shown)`,
      ]);
    });
    entry.set('clients', seq);
  }
  if (unnamedClientScopes.length)
    after.push(
      `clients allowed scopes that are not shown here (left out of allow_scopes): ${unnamedClientScopes.join(', ')}`,
    );
  if (after.length) entry.comment = commentLines(after);
  return entry;
}
