/**
 * Pull: Konnect's current DCR providers and auth strategies as a config file in this format (kongctl-compatible),
 * such that applying it right away changes nothing:
 * - write-only secrets become `!secret {source: !env <REF>_<FIELD>}` references to fill in (SecretStorage or the
 *   environment); they are only needed to create the provider elsewhere;
 * - strategies point at pulled providers with `!ref`;
 * - kongctl's labels become `kongctl:` metadata (`_defaults.kongctl.namespace` when every resource shares one).
 */
import { Document, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { KonnectClient } from '../api/client';
import type { AppAuthStrategy } from '../model/authStrategy';
import { DCR_SECRET_FIELDS, type DcrProvider } from '../model/dcrProvider';
import { providerType } from '../model/providerTypes';
import { KONGCTL_LABEL_PREFIX, NAMESPACE_LABEL, PROTECTED_LABEL } from './model';
import { refFromName, secretVarName } from './tags';

export interface PullOptions {
  readonly signal?: AbortSignal | undefined;
  readonly maxItems?: number | undefined;
  /** Only resources with this kongctl namespace label. */
  readonly namespace?: string | undefined;
  /** First comment lines (e.g. where it was pulled from). */
  readonly comment?: string | undefined;
}

export interface PullResult {
  readonly text: string;
  readonly providers: number;
  readonly strategies: number;
  /** The variables the `!secret` references name. */
  readonly secretNames: readonly string[];
}

export async function pullConfig(client: KonnectClient, opts: PullOptions = {}): Promise<PullResult> {
  const call = { signal: opts.signal, maxItems: opts.maxItems ?? 5000 };
  const [providers, strategies] = await Promise.all([client.dcrProviders.listAll({}, call), client.authStrategies.listAll({}, call)]);
  const keep = <T extends { labels?: Record<string, string> | undefined }>(r: T): boolean => opts.namespace === undefined || r.labels?.[NAMESPACE_LABEL] === opts.namespace;
  return renderPulled(providers.filter(keep), strategies.filter(keep), opts.comment);
}

function userLabels(labels: Record<string, string> | undefined): Record<string, string> | undefined {
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

/** The file for these resources (pure). */
export function renderPulled(providers: readonly DcrProvider[], strategies: readonly AppAuthStrategy[], comment?: string): PullResult {
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
  const all = [...providers, ...strategies];
  const nsValues = new Set(all.map((r) => r.labels?.[NAMESPACE_LABEL]));
  const shared = nsValues.size === 1 ? [...nsValues][0] : undefined;
  if (shared !== undefined) root.set('_defaults', doc.createNode({ kongctl: { namespace: shared } }));
  const meta = (labels: Record<string, string> | undefined): Record<string, unknown> | undefined => {
    const ns = labels?.[NAMESPACE_LABEL];
    const m: Record<string, unknown> = {};
    if (ns !== undefined && ns !== shared) m['namespace'] = ns;
    if (labels?.[PROTECTED_LABEL] === 'true') m['protected'] = true;
    return Object.keys(m).length ? m : undefined;
  };

  const secretNames: string[] = [];
  const refs = new Map<string, string>();
  if (providers.length) {
    const seq = new YAMLSeq();
    for (const p of providers) {
      const ref = uniqueRef(p.name);
      refs.set(p.id, ref);
      const entry = new YAMLMap();
      entry.set('ref', ref);
      entry.set('name', p.name);
      if (p.display_name !== undefined) entry.set('display_name', p.display_name);
      entry.set('provider_type', p.provider_type);
      entry.set('issuer', p.issuer);
      if (providerType(p.provider_type).dcrConfig.length) {   // a type without dcr_config fields (Kong Identity) has none
        const cfg = new YAMLMap();
        for (const [k, v] of Object.entries(p.dcr_config as Record<string, unknown>)) if (v !== null && v !== undefined) cfg.set(k, doc.createNode(v));
        for (const field of DCR_SECRET_FIELDS[p.provider_type]) {
          const name = secretVarName(ref, field);
          secretNames.push(name);
          cfg.set(field, secretRef(doc, name));
        }
        entry.set('dcr_config', cfg);
      }
      const labels = userLabels(p.labels);
      if (labels) entry.set('labels', doc.createNode(labels));
      const m = meta(p.labels);
      if (m) entry.set('kongctl', doc.createNode(m));
      seq.items.push(entry);
    }
    root.set('dcr_providers', seq);
  }

  if (strategies.length) {
    const seq = new YAMLSeq();
    for (const s of strategies) {
      const entry = new YAMLMap();
      entry.set('ref', uniqueRef(s.name));
      entry.set('name', s.name);
      entry.set('display_name', s.display_name);
      entry.set('strategy_type', s.strategy_type);
      if (s.strategy_type === 'openid_connect') {
        const pid = s.dcr_provider?.id;
        if (pid) entry.set('dcr_provider_id', refs.has(pid) ? tagged(refs.get(pid)!, '!ref') : pid);
        const { issuer, credential_claim, scopes, auth_methods, ...extra } = s.configs['openid-connect'];
        entry.set('configs', doc.createNode({ openid_connect: { issuer, credential_claim, scopes, auth_methods, ...extra } }));
      } else {
        const c = s.configs['key-auth'];
        entry.set('configs', doc.createNode({ key_auth: Object.fromEntries(Object.entries({ key_names: c.key_names, ttl: c.ttl }).filter(([, v]) => v !== undefined)) }));
      }
      const labels = userLabels(s.labels);
      if (labels) entry.set('labels', doc.createNode(labels));
      if (s.principals) entry.set('principals', doc.createNode(s.principals));
      const m = meta(s.labels);
      if (m) entry.set('kongctl', doc.createNode(m));
      seq.items.push(entry);
    }
    root.set('application_auth_strategies', seq);
  }

  const lines = comment ? comment.split('\n') : [];
  lines.push('kongctl-compatible declarative config (Konnect DCR). Plan and apply it with "Konnect DCR: Plan" / "Apply", or kongctl.');
  if (secretNames.length) {
    lines.push('Konnect never returns write-only secrets: they are references to fill in before creating these providers elsewhere,');
    lines.push(`in VS Code's SecretStorage ("Konnect DCR: Store Secret…") or the environment: ${secretNames.join(', ')}`);
  }
  doc.commentBefore = lines.map((l) => ` ${l}`).join('\n');
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), providers: providers.length, strategies: strategies.length, secretNames };
}
