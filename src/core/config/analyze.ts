/**
 * One pass over a config file: YAML syntax → schema (zod) → references, duplicates and tags → lint → the desired
 * state (when there is no error). Pure: the VS Code layer turns the result into a DiagnosticCollection, code
 * actions and plan input.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { DCR_SECRET_FIELDS, type ProviderType } from '../model/dcrProvider';
import { isProviderType } from '../model/providerTypes';
import type { ConfigDiagnostic } from './diagnostic';
import { ConfigDocument, SECTIONS, type Path } from './document';
import { schemaDiagnostics, suggest } from './issues';
import { lint } from './lint';
import {
  DEFAULT_NAMESPACE,
  KONGCTL_LABEL_PREFIX,
  type DesiredAuthServer,
  type DesiredProvider,
  type DesiredState,
  type DesiredStrategy,
  type ValueRef,
} from './model';
import { AuthServerEntrySchema, AuthStrategyEntrySchema, ConfigFileSchema, DcrProviderEntrySchema } from './schema';
import { ENV_NAME, envPart, parseRef, type SecretPart, type SecretSpec } from './tags';

export type RefKind = 'provider' | 'strategy' | 'authServer' | 'other';

export interface DefinedRef {
  readonly ref: string;
  readonly kind: RefKind;
  readonly name: string | undefined;
  readonly path: Path;
}

export interface AnalyzeOptions {
  /** The file's name (e.g. `dcr.kongctl.yaml`): a file kongctl reads gets a warning for sections kongctl rejects. */
  readonly fileName?: string | undefined;
  /** Refs defined in sibling config files (kongctl loads a folder as one set). */
  readonly externalRefs?: ReadonlyMap<string, RefKind> | undefined;
}

export interface Analysis {
  readonly doc: ConfigDocument;
  readonly diagnostics: readonly ConfigDiagnostic[];
  readonly refs: readonly DefinedRef[];
  readonly errorCount: number;
  /** The desired state, when the file has no error. */
  readonly model: DesiredState | undefined;
}

const SECTION_KIND: Record<(typeof SECTIONS)[number], RefKind> = {
  kong_identity_auth_servers: 'authServer',
  dcr_providers: 'provider',
  application_auth_strategies: 'strategy',
};
const KIND_WORD: Record<RefKind, string> = {
  provider: 'DCR provider',
  strategy: 'auth strategy',
  authServer: 'Kong Identity auth server',
  other: 'resource',
};

/** Does kongctl read this file? (`*.kongctl.yaml` / `.yml`) */
export function isKongctlFile(fileName: string | undefined): boolean {
  return !!fileName && /\.kongctl\.ya?ml$/i.test(fileName);
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function analyzeConfig(text: string, options: AnalyzeOptions = {}): Analysis {
  const doc = ConfigDocument.parse(text);
  const diagnostics: ConfigDiagnostic[] = [];
  const push = (d: ConfigDiagnostic): void => {
    diagnostics.push(d);
  };
  const done = (refs: DefinedRef[], model?: DesiredState): Analysis => ({
    doc,
    refs,
    model,
    errorCount: diagnostics.filter((d) => d.severity === 'error').length,
    diagnostics: diagnostics.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    ),
  });

  for (const p of doc.syntaxProblems())
    push({ range: p.range, severity: p.severity, message: p.message, code: p.code });
  if (doc.doc.errors.length || doc.viewError) return done([]);

  const view = doc.view;
  // an empty (or comment-only) file declares nothing: plan says "nothing to do"
  if (view === undefined || view === null) return done([], { authServers: [], providers: [], strategies: [] });
  const root = asObj(view);
  if (!root) {
    push({
      range: doc.valueRange([]),
      severity: 'error',
      code: 'schema',
      message: 'A config file is a YAML mapping (dcr_providers:, application_auth_strategies:, …).',
    });
    return done([]);
  }

  // 1. the schema
  const parsed = ConfigFileSchema.safeParse(view);
  if (!parsed.success) {
    for (const d of schemaDiagnostics(doc, parsed.error))
      push({ range: d.range, severity: 'error', message: d.message, code: d.code, path: d.path });
  }

  // 2. top-level keys: near-misses of ours, and sections kongctl would reject
  for (const key of Object.keys(root)) {
    if ((SECTIONS as readonly string[]).includes(key) || key === '_defaults') continue;
    const hint = suggest(key, [...SECTIONS, '_defaults']);
    if (hint) {
      push({
        range: doc.keyRange([key]),
        severity: 'warning',
        code: 'unknown-section',
        path: [key],
        message: `\`${key}\` is not a section this extension knows: did you mean \`${hint}\`? (Other kongctl sections are left alone.)`,
      });
    }
  }
  if (root['kong_identity_auth_servers'] !== undefined && isKongctlFile(options.fileName)) {
    push({
      range: doc.keyRange(['kong_identity_auth_servers']),
      severity: 'warning',
      code: 'kongctl-strict-section',
      path: ['kong_identity_auth_servers'],
      message:
        'kongctl has no Kong Identity resource and rejects a file with unknown keys: keep kong_identity_auth_servers in a konnect-dcr*.yaml file that kongctl does not read (Konnect DCR plans and applies both).',
    });
  }

  // 3. refs and names
  const refs: DefinedRef[] = [];
  const firstRef = new Map<string, DefinedRef>();
  for (const [key, value] of Object.entries(root)) {
    if (key === '_defaults') continue;
    const kind: RefKind = (SECTIONS as readonly string[]).includes(key)
      ? SECTION_KIND[key as (typeof SECTIONS)[number]]
      : 'other';
    asArr(value).forEach((item, i) => {
      const o = asObj(item);
      const ref = o?.['ref'];
      if (typeof ref !== 'string' || !ref) return;
      const d: DefinedRef = {
        ref,
        kind,
        name: typeof o?.['name'] === 'string' ? o['name'] : undefined,
        path: [key, i],
      };
      const prev = firstRef.get(ref);
      if (prev) {
        push({
          range: doc.valueRange([key, i, 'ref']),
          severity: 'error',
          code: 'duplicate-ref',
          path: [key, i, 'ref'],
          message: `Duplicate ref \`${ref}\`: already used by the ${KIND_WORD[prev.kind]} on line ${doc.valueRange([...prev.path, 'ref']).start.line + 1}. Refs must be unique across the config files.`,
        });
      } else firstRef.set(ref, d);
      refs.push(d);
    });
  }
  for (const section of SECTIONS) {
    const seen = new Map<string, number>();
    asArr(root[section]).forEach((item, i) => {
      const name = asObj(item)?.['name'];
      if (typeof name !== 'string') return;
      const prev = seen.get(name);
      if (prev !== undefined) {
        push({
          range: doc.valueRange([section, i, 'name']),
          severity: 'error',
          code: 'duplicate-name',
          path: [section, i, 'name'],
          message: `Duplicate name "${name}": entry #${prev + 1} of ${section} has it too. Konnect DCR finds resources by name, so names must be unique.`,
        });
      } else seen.set(name, i);
    });
  }
  const refKind = (ref: string): RefKind | undefined => firstRef.get(ref)?.kind ?? options.externalRefs?.get(ref);

  // 4. tags and references inside our sections
  const checkRef = (path: Path, expect: RefKind, field: string, whatFor: string): void => {
    const node = doc.nodeAt(path);
    if (!node || node.tag !== '!ref' || !isScalar(node)) return;
    const target = parseRef(String(node.value ?? ''));
    const range = doc.valueRange(path);
    const kind = refKind(target.ref);
    if (!target.ref) {
      push({ range, severity: 'error', code: 'dangling-ref', path, message: '!ref needs a ref: `!ref <ref>`.' });
      return;
    }
    if (kind === undefined) {
      const candidates = [...new Set(refs.filter((r) => r.kind === expect).map((r) => r.ref))];
      const hint = suggest(target.ref, candidates);
      push({
        range,
        severity: 'error',
        code: 'dangling-ref',
        path,
        message: `Dangling reference: no resource has ref \`${target.ref}\` in this file or its folder${hint ? ` (did you mean \`${hint}\`?)` : candidates.length ? ` (${KIND_WORD[expect]}s here: ${candidates.join(', ')})` : ''}.`,
      });
      return;
    }
    if (kind !== expect && kind !== 'other') {
      push({
        range,
        severity: 'error',
        code: 'ref-kind',
        path,
        message: `\`${target.ref}\` is a ${KIND_WORD[kind]}, but ${whatFor} must reference a ${KIND_WORD[expect]}.`,
      });
      return;
    }
    if (target.field !== field) {
      push({
        range,
        severity: 'error',
        code: 'ref-field',
        path,
        message: `${whatFor} takes \`!ref ${target.ref}${field === 'id' ? '' : `#${field}`}\` (the ${field}), not #${target.field}.`,
      });
    }
  };

  asArr(root['dcr_providers']).forEach((_item, i) => {
    const base: Path = ['dcr_providers', i];
    const issuer = doc.nodeAt([...base, 'issuer']);
    if (issuer?.tag === '!ref') checkRef([...base, 'issuer'], 'authServer', 'issuer', 'issuer');
    else if (
      isScalar(issuer) &&
      typeof issuer.value === 'string' &&
      /^[A-Za-z0-9_][A-Za-z0-9_.-]*#[a-z_]+$/.test(issuer.value)
    ) {
      push({
        range: doc.valueRange([...base, 'issuer']),
        severity: 'error',
        code: 'ref-untagged',
        path: [...base, 'issuer'],
        message: `Write \`!ref ${issuer.value}\` to reference another resource; as plain text this is not a URL.`,
        fix: {
          kind: 'replace',
          path: [...base, 'issuer'],
          text: `!ref ${issuer.value}`,
          title: `Make it !ref ${issuer.value}`,
        },
      });
    }
    checkTags(doc, [...base], push);
  });
  asArr(root['application_auth_strategies']).forEach((item, i) => {
    const base: Path = ['application_auth_strategies', i];
    const pid = doc.nodeAt([...base, 'dcr_provider_id']);
    if (pid?.tag === '!ref') checkRef([...base, 'dcr_provider_id'], 'provider', 'id', 'dcr_provider_id');
    else if (
      isScalar(pid) &&
      typeof pid.value === 'string' &&
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(pid.value)
    ) {
      const isRef = refKind(pid.value) !== undefined;
      push({
        range: doc.valueRange([...base, 'dcr_provider_id']),
        severity: 'error',
        code: 'ref-untagged',
        path: [...base, 'dcr_provider_id'],
        message: isRef
          ? `dcr_provider_id is an id: write \`!ref ${pid.value}\` to point at the provider with that ref.`
          : `dcr_provider_id must be \`!ref <provider-ref>\` or a provider UUID; "${pid.value}" is neither.`,
        ...(isRef
          ? {
              fix: {
                kind: 'replace',
                path: [...base, 'dcr_provider_id'],
                text: `!ref ${pid.value}`,
                title: `Make it !ref ${pid.value}`,
              } as const,
            }
          : {}),
      });
    }
    const cfgKey = configKeyOf(asObj(item)?.['configs']);
    if (cfgKey) {
      const ip: Path = [...base, 'configs', cfgKey, 'issuer'];
      if (doc.nodeAt(ip)?.tag === '!ref') checkRef(ip, 'authServer', 'issuer', 'issuer');
    }
    checkTags(doc, base, push);
  });
  asArr(root['kong_identity_auth_servers']).forEach((item, i) => {
    const base: Path = ['kong_identity_auth_servers', i];
    checkTags(doc, base, push);
    const o = asObj(item);
    const scopeNames = new Set(
      asArr(o?.['scopes'])
        .map((s) => asObj(s)?.['name'])
        .filter((n): n is string => typeof n === 'string'),
    );
    const dupes = new Set<string>();
    for (const list of ['scopes', 'claims', 'clients'] as const) {
      const seen = new Set<string>();
      asArr(o?.[list]).forEach((s, j) => {
        const n = asObj(s)?.['name'];
        if (typeof n !== 'string') return;
        if (seen.has(n) && !dupes.has(`${list}:${n}`)) {
          dupes.add(`${list}:${n}`);
          push({
            range: doc.valueRange([...base, list, j, 'name']),
            severity: 'error',
            code: 'duplicate-name',
            path: [...base, list, j, 'name'],
            message: `Duplicate ${{ scopes: 'scope', claims: 'claim', clients: 'client' }[list]} "${n}" in this auth server.`,
          });
        }
        seen.add(n);
      });
    }
    for (const [list, field] of [
      ['claims', 'include_in_scopes'],
      ['clients', 'allow_scopes'],
    ] as const)
      asArr(o?.[list]).forEach((c, j) => {
        asArr(asObj(c)?.[field]).forEach((s, k) => {
          if (typeof s === 'string' && !scopeNames.has(s)) {
            push({
              range: doc.valueRange([...base, list, j, field, k]),
              severity: 'error',
              code: 'dangling-ref',
              path: [...base, list, j, field, k],
              message: `This auth server has no scope "${s}"${scopeNames.size ? ` (scopes: ${[...scopeNames].join(', ')})` : ''}.`,
            });
          }
        });
      });
  });

  // 5. lint: per valid entry
  const providerTypeOf = (ref: string): ProviderType | undefined => {
    const r = firstRef.get(ref);
    if (r?.kind !== 'provider') return undefined;
    const t = asObj(valueAtPath(root, r.path))?.['provider_type'];
    // an unknown type is the schema's diagnostic on that entry; the lint of the strategies that use it has no type
    return isProviderType(t) ? t : undefined;
  };
  for (const d of lint(doc, root, { providerTypeOf })) push(d);

  // 6. the model, when nothing is wrong
  const errorCount = diagnostics.filter((d) => d.severity === 'error').length;
  if (errorCount || !parsed.success) return done(refs);
  return done(refs, buildModel(doc, root));
}

function valueAtPath(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const s of path) v = (v as Record<string | number, unknown> | undefined)?.[s];
  return v;
}

/** `openid_connect`, `openid-connect`, `key_auth` or `key-auth`: the inner config key present in `configs`. */
export function configKeyOf(configs: unknown): string | undefined {
  const o = asObj(configs);
  if (!o) return undefined;
  return ['openid_connect', 'openid-connect', 'key_auth', 'key-auth'].find((k) => k in o);
}

/** Checks the custom tags under an entry: `!secret` shapes (kongctl's rules), `!env` names. */
function checkTags(doc: ConfigDocument, base: Path, push: (d: ConfigDiagnostic) => void): void {
  const walk = (node: unknown, path: Path): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.tag === '!secret') {
      checkSecret(doc, n, path, push);
      return;
    } else if (n.tag === '!env' && isScalar(n)) checkEnvName(doc, String(n.value ?? ''), path, push);
    else if (n.tag === '!ref' && !isScalar(n))
      push({
        range: doc.valueRange(path),
        severity: 'error',
        code: 'ref-shape',
        path,
        message: '!ref takes a plain ref: `!ref <ref>` or `!ref <ref>#<field>`.',
      });
    if (isMap(n))
      for (const p of n.items) walk(p.value, [...path, isScalar(p.key) ? String(p.key.value) : String(p.key)]);
    else if (isSeq(n)) n.items.forEach((item, i) => walk(item, [...path, i]));
  };
  walk(doc.nodeAt(base), base);
}

function checkEnvName(doc: ConfigDocument, text: string, path: Path, push: (d: ConfigDiagnostic) => void): void {
  const name = envPart(text).env;
  if (!ENV_NAME.test(name)) {
    push({
      range: doc.valueRange(path),
      severity: 'error',
      code: 'secret-source',
      path,
      message: `"${name}" is not an environment variable name (letters, digits and _, not starting with a digit).`,
    });
  }
}

function checkSecret(doc: ConfigDocument, node: Node, path: Path, push: (d: ConfigDiagnostic) => void): void {
  const range = doc.valueRange(path);
  const bad = (message: string): void => push({ range, severity: 'error', code: 'secret-source', path, message });
  if (!isMap(node)) {
    bad("!secret takes a mapping: `!secret {source: !env VAR}` (kongctl's form).");
    return;
  }
  const keys = node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  if (keys.length !== 1 || (keys[0] !== 'source' && keys[0] !== 'parts')) {
    bad(
      '!secret takes exactly one of `source` or `parts`, and nothing else (kongctl rejects other keys): `!secret {source: !env VAR}`.',
    );
    return;
  }
  const value = node.items[0]!.value as Node | null;
  if (keys[0] === 'source') {
    if (!value || value.tag !== '!env')
      bad(
        "The source of a !secret must be `!env VAR`: kongctl supports only environment sources (this extension also looks VAR up in VS Code's SecretStorage).",
      );
    else if (isScalar(value)) checkEnvName(doc, String(value.value ?? ''), [...path, 'source'], push);
    return;
  }
  if (!isSeq(value) || !value.items.length) {
    bad('!secret parts must be a non-empty list of strings and `!env VAR` sources.');
    return;
  }
  let sources = 0;
  value.items.forEach((item, i) => {
    const it = item as Node;
    if (it.tag === '!env') {
      sources++;
      if (isScalar(it)) checkEnvName(doc, String(it.value ?? ''), [...path, 'parts', i], push);
    } else if (!isScalar(it) || typeof it.value !== 'string')
      push({
        range: doc.valueRange([...path, 'parts', i]),
        severity: 'error',
        code: 'secret-source',
        path: [...path, 'parts', i],
        message: 'A part of a !secret is a string or `!env VAR`.',
      });
  });
  if (!sources) bad('!secret parts need at least one `!env VAR` source (otherwise the value is written in the file).');
}

/** The secret a write-only field declares. */
export function secretSpecAt(doc: ConfigDocument, path: Path): SecretSpec | undefined {
  const node = doc.nodeAt(path);
  if (!node) return undefined;
  if (node.tag === '!env' || node.tag === '!file') {
    const text = String(isScalar(node) ? (node.value ?? '') : '');
    if (node.tag === '!file') return { kind: 'file', path: text };
    return { kind: 'expression', parts: [envPart(text)] };
  }
  if (node.tag === '!secret' && isMap(node)) {
    const pair = node.items[0];
    const key = isScalar(pair?.key) ? String(pair.key.value) : '';
    const v = pair?.value as Node | null | undefined;
    if (key === 'source' && v && isScalar(v)) return { kind: 'expression', parts: [envPart(String(v.value ?? ''))] };
    if (key === 'parts' && isSeq(v)) {
      const parts: SecretPart[] = v.items.map((it) => {
        const n = it as Node;
        const s = isScalar(n) ? String(n.value ?? '') : '';
        return n.tag === '!env' ? envPart(s) : { literal: s };
      });
      return { kind: 'expression', parts };
    }
    return undefined;
  }
  if (isScalar(node) && typeof node.value === 'string') return { kind: 'literal', value: node.value };
  return undefined;
}

function valueRefAt(doc: ConfigDocument, path: Path, value: string): ValueRef {
  if (doc.tagAt(path) === '!ref') {
    const t = parseRef(value);
    return { kind: 'ref', ref: t.ref, field: t.field };
  }
  return { kind: 'value', value };
}

function userLabels(labels: unknown): Record<string, string> | undefined {
  const o = asObj(labels);
  if (!o) return undefined;
  return Object.fromEntries(
    Object.entries(o).filter(([k, v]) => !k.startsWith(KONGCTL_LABEL_PREFIX) && typeof v === 'string'),
  ) as Record<string, string>;
}

function buildModel(doc: ConfigDocument, root: Obj): DesiredState {
  const defaults = asObj(asObj(root['_defaults'])?.['kongctl']);
  const meta = (o: Obj): { namespace: string | undefined; protected: boolean | undefined } => {
    const k = asObj(o['kongctl']);
    const ns = k?.['namespace'] ?? defaults?.['namespace'];
    const prot = k?.['protected'] ?? defaults?.['protected'];
    return {
      namespace: typeof ns === 'string' ? ns : undefined,
      protected: typeof prot === 'boolean' ? prot : undefined,
    };
  };

  const authServers: DesiredAuthServer[] = asArr(root['kong_identity_auth_servers']).map((item, i) => {
    const e = AuthServerEntrySchema.parse(item);
    return {
      kind: 'authServer',
      ref: e.ref,
      name: e.name,
      path: ['kong_identity_auth_servers', i],
      labels: userLabels(e.labels),
      ...meta(e as Obj),
      audience: e.audience,
      description: e.description,
      signingAlgorithm: e.signing_algorithm,
      trustedOrigins: e.trusted_origins,
      scopes: e.scopes ?? [],
      claims: e.claims ?? [],
      clients: e.clients ?? [],
    };
  });

  const providers: DesiredProvider[] = asArr(root['dcr_providers']).map((item, i) => {
    const e = DcrProviderEntrySchema.parse(item);
    const path: Path = ['dcr_providers', i];
    const secretFields: readonly string[] = DCR_SECRET_FIELDS[e.provider_type];
    const config: Record<string, unknown> = {};
    const secrets: Record<string, SecretSpec> = {};
    for (const [k, v] of Object.entries(e.dcr_config ?? {})) {
      if (secretFields.includes(k)) {
        const spec = secretSpecAt(doc, [...path, 'dcr_config', k]);
        if (spec) secrets[k] = spec;
      } else config[k] = v;
    }
    return {
      kind: 'provider',
      ref: e.ref,
      name: e.name,
      path,
      labels: userLabels(e.labels),
      ...meta(e as Obj),
      providerType: e.provider_type,
      displayName: e.display_name,
      issuer: valueRefAt(doc, [...path, 'issuer'], e.issuer),
      config,
      secrets,
    };
  });

  const strategies: DesiredStrategy[] = asArr(root['application_auth_strategies']).map((item, i) => {
    const e = AuthStrategyEntrySchema.parse(item);
    const path: Path = ['application_auth_strategies', i];
    const key = configKeyOf(e.configs)!;
    const inner = { ...((e.configs as Record<string, Obj>)[key] ?? {}) };
    let issuer: ValueRef | undefined;
    if (e.strategy_type === 'openid_connect') {
      issuer = valueRefAt(doc, [...path, 'configs', key, 'issuer'], String(inner['issuer']));
      delete inner['issuer'];
    }
    let provider: ValueRef | null | undefined;
    if (e.strategy_type === 'openid_connect' && e.dcr_provider_id !== undefined) {
      provider = e.dcr_provider_id === null ? null : valueRefAt(doc, [...path, 'dcr_provider_id'], e.dcr_provider_id);
    }
    return {
      kind: 'strategy',
      ref: e.ref,
      name: e.name,
      path,
      labels: userLabels(e.labels),
      ...meta(e as Obj),
      strategyType: e.strategy_type,
      displayName: e.display_name,
      provider,
      issuer,
      config: inner,
      principals: e.principals,
    };
  });

  const namespaces = new Set<string>();
  for (const d of [...providers, ...strategies]) namespaces.add(d.namespace ?? DEFAULT_NAMESPACE);
  const defaultNs = defaults?.['namespace'];
  if (typeof defaultNs === 'string') namespaces.add(defaultNs);
  const scope = {
    providers: 'dcr_providers' in root,
    strategies: 'application_auth_strategies' in root,
    namespaces: namespaces.size ? [...namespaces] : [DEFAULT_NAMESPACE],
  };
  return { authServers, providers, strategies, scope };
}
