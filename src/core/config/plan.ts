/**
 * Plan: what applying a config file would change in Konnect, resource by resource, in dependency order
 * (Kong Identity auth servers with their scopes, claims and clients → DCR providers → auth strategies).
 * A client's secret is Konnect's: issued once when apply creates the client, never compared nor part of a plan.
 *
 * - Resources are matched by name, like kongctl; when several share a name, by kongctl's `KONGCTL-namespace` label.
 *   A resource that belongs to another kongctl namespace, or whose type would have to change, is a conflict and is
 *   left alone.
 * - Only the fields the file declares are compared (a missing `labels:` leaves the labels alone).
 * - Write-only secrets are never compared (Konnect does not return them): they are "will be sent" on create, and on
 *   update only when `resendSecrets` is asked for. So a plan right after an apply shows no change.
 * - Apply never deletes: what Konnect has and the file does not is listed as "only in Konnect".
 * - Sync (kongctl's `sync`) also deletes what Konnect has and the file does not, scoped like kongctl: only resources
 *   carrying the `KONGCTL-namespace` label of one of the file's namespaces, only in the sections the file has. Never
 *   a resource labelled `KONGCTL-protected: "true"`, nor a strategy a publication or a portal still uses, nor a
 *   provider a remaining strategy still uses: the plan says why. Deletes come last, strategies before providers.
 * - Every step on an existing resource records a fingerprint of it (`base`): an apply of a saved plan refuses when
 *   one of them changed in Konnect since.
 */
import { createHash } from 'node:crypto';
import type { AppAuthStrategy } from '../model/authStrategy';
import type { DcrProvider } from '../model/dcrProvider';
import type { ApiPublicationListItem } from '../model/catalog';
import type { AuthServer, Claim, Client, Scope } from '../model/kongIdentity';
import type { KonnectClient } from '../api/client';
import type { Path } from './document';
import {
  DEFAULT_NAMESPACE,
  KONGCTL_LABEL_PREFIX,
  NAMESPACE_LABEL,
  PROTECTED_LABEL,
  type DesiredAuthServer,
  type DesiredBase,
  type DesiredClaim,
  type DesiredClient,
  type DesiredProvider,
  type DesiredScope,
  type DesiredState,
  type DesiredStrategy,
  type ValueRef,
} from './model';
import { describeSecret, secretEnvNames } from './tags';
import { normalizeProviderIssuer, wireConfigKey } from './wire';

export type ResourceKind = 'authServer' | 'scope' | 'claim' | 'client' | 'provider' | 'strategy';
export type PlanAction = 'create' | 'update' | 'unchanged' | 'onlyInKonnect' | 'delete' | 'conflict';
/** `apply` (kongctl apply: creates and updates) or `sync` (kongctl sync: also deletes, in the file's scope). */
export type PlanMode = 'apply' | 'sync';

export interface FieldChange {
  /** In the file's spelling, e.g. `dcr_config.dcr_base_url`, `configs.openid_connect.scopes`. */
  readonly field: string;
  readonly from?: unknown;
  readonly to?: unknown;
  /** Instead of a value: "will be sent (from OKTA_DCR_TOKEN)", "id of okta-dcr, created by this apply". */
  readonly note?: string | undefined;
}

export interface PlanStep {
  readonly kind: ResourceKind;
  readonly action: PlanAction;
  readonly name: string;
  readonly ref?: string | undefined;
  /** Konnect's id, when the resource exists. */
  readonly id?: string | undefined;
  /** Scopes, claims and clients: their auth server's ref and name. */
  readonly parentRef?: string | undefined;
  readonly parentName?: string | undefined;
  /** The entry in the file. */
  readonly path?: Path | undefined;
  readonly changes: readonly FieldChange[];
  /** Why a conflict is one; for a delete, its kongctl namespace. */
  readonly reason?: string | undefined;
  /**
   * Write-only fields of an existing resource (`dcr_config.dcr_token`, …): Konnect never returns them, so whether
   * they differ from the file is unknowable. They are never drift; they are sent only when rotated.
   */
  readonly unknowable?: readonly string[] | undefined;
}

/** What an existing resource looked like when the plan was made. */
export interface BaseEntry {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly id: string;
  readonly parentName?: string | undefined;
  /** A hash of the resource as Konnect returned it. */
  readonly fingerprint: string;
  readonly updatedAt?: string | undefined;
  /**
   * The resource's fields as Konnect returned them, write-only and secret-named fields left out: what a saved plan
   * compares to say which field changed since.
   */
  readonly state?: Readonly<Record<string, unknown>> | undefined;
}

export interface Plan {
  readonly mode: PlanMode;
  readonly steps: readonly PlanStep[];
  readonly counts: Readonly<Record<PlanAction, number>>;
  /** Resources in Konnect that are neither in the file nor in one of its kongctl namespaces (not listed). */
  readonly others: { readonly providers: number; readonly strategies: number; readonly authServers: number };
  readonly resendSecrets: boolean;
  /** Write-only fields re-sent to existing providers (`<ref>.<field>`), as asked. */
  readonly rotate: readonly string[];
  /** Environment / SecretStorage names the apply will read (for the creates, and the updates when re-sending). */
  readonly secretNames: readonly string[];
  /** Every existing resource a step is about, as it was (for the staleness check of a saved plan). */
  readonly base: readonly BaseEntry[];
}

export interface PlanOptions {
  readonly signal?: AbortSignal | undefined;
  /** Also send the write-only secrets of existing providers (rotation of all of them). */
  readonly resendSecrets?: boolean | undefined;
  /** Re-send only these write-only secrets of existing providers: `<provider ref>.<field>`, e.g. `okta.dcr_token`. */
  readonly rotate?: readonly string[] | undefined;
  /** `sync` also plans deletes (default `apply`). */
  readonly mode?: PlanMode | undefined;
  /** Upper bound per list (default 5000). */
  readonly maxItems?: number | undefined;
  /**
   * Resources of sibling config files this file references with `!ref` (kongctl loads a folder as one set): they
   * are found in Konnect by name, so that their ids and issuers resolve.
   */
  readonly external?: readonly ExternalRef[] | undefined;
}

export interface ExternalRef {
  readonly ref: string;
  readonly kind: 'provider' | 'strategy' | 'authServer' | 'other';
  readonly name: string | undefined;
}

/** Puts the ids (and issuers) of sibling files' resources that exist in Konnect into the table. */
export function seedExternal(table: RefTable, remote: RemoteState, external: readonly ExternalRef[] | undefined): void {
  for (const e of external ?? []) {
    if (!e.name || table.ids.has(e.ref)) continue;
    if (e.kind === 'provider') {
      const r = remote.providers.find((x) => x.name === e.name);
      if (r) table.ids.set(e.ref, r.id);
    }
    if (e.kind === 'strategy') {
      const r = remote.strategies.find((x) => x.name === e.name);
      if (r) table.ids.set(e.ref, r.id);
    }
    if (e.kind === 'authServer') {
      const r = (remote.authServers ?? []).find((x) => x.name === e.name);
      if (r) {
        table.ids.set(e.ref, r.id);
        table.issuers.set(e.ref, r.issuer);
      }
    }
  }
}

/** What Konnect holds, as far as the plan needs it. */
export interface RemoteState {
  readonly providers: readonly DcrProvider[];
  readonly strategies: readonly AppAuthStrategy[];
  /** `undefined` when the file has no auth servers (Kong Identity is not read at all then). */
  readonly authServers: readonly AuthServer[] | undefined;
  readonly scopes: ReadonlyMap<string, readonly Scope[]>;
  readonly claims: ReadonlyMap<string, readonly Claim[]>;
  /** auth server id → its clients (as Konnect lists them: without secrets). */
  readonly clients: ReadonlyMap<string, readonly Client[]>;
  /** Sync only: who uses a strategy (a strategy in use is not deleted). */
  readonly usage?: StrategyUsage | undefined;
}

export interface StrategyUsage {
  readonly publications: readonly ApiPublicationListItem[];
  /** id → name, for messages. */
  readonly apiNames: ReadonlyMap<string, string>;
  readonly portals: readonly { id: string; name: string; defaultStrategyId: string | null | undefined }[];
}

export async function fetchRemote(
  client: KonnectClient,
  desired: DesiredState,
  opts: PlanOptions = {},
): Promise<RemoteState> {
  const call = { signal: opts.signal, maxItems: opts.maxItems ?? 5000 };
  const [providers, strategies, authServers] = await Promise.all([
    client.dcrProviders.listAll({}, call),
    client.authStrategies.listAll({}, call),
    desired.authServers.length || opts.external?.some((e) => e.kind === 'authServer')
      ? client.identity.authServers.listAll({}, call)
      : Promise.resolve(undefined),
  ]);
  const scopes = new Map<string, Scope[]>();
  const claims = new Map<string, Claim[]>();
  const clients = new Map<string, Client[]>();
  if (authServers) {
    const wanted = new Set(desired.authServers.map((a) => a.name));
    for (const a of authServers.filter((s) => wanted.has(s.name))) {
      const [s, c, k] = await Promise.all([
        client.identity.scopes.listAll(a.id, {}, call),
        client.identity.claims.listAll(a.id, {}, call),
        client.identity.clients.listAll(a.id, {}, call),
      ]);
      scopes.set(a.id, s);
      claims.set(a.id, c);
      clients.set(a.id, k);
    }
  }
  let usage: StrategyUsage | undefined;
  if (opts.mode === 'sync') {
    const [publications, apis, portals] = await Promise.all([
      client.apiPublications.listAll({}, call),
      client.apis.listAll({}, call),
      client.portals.listAll({}, call),
    ]);
    usage = {
      publications,
      apiNames: new Map(apis.map((a) => [a.id, a.name])),
      portals: portals.map((p) => ({
        id: p.id,
        name: p.name,
        defaultStrategyId: p.default_application_auth_strategy_id,
      })),
    };
  }
  return { providers, strategies, authServers, scopes, claims, clients, usage };
}

export async function computePlan(client: KonnectClient, desired: DesiredState, opts: PlanOptions = {}): Promise<Plan> {
  return planAgainst(desired, await fetchRemote(client, desired, opts), opts);
}

// ---------------------------------------------------------------------------------------------------------------
// Resolution of !ref values

/** A resolved value, or a note saying it will be known after the apply created its target. */
export type Resolved = { readonly value: string } | { readonly pending: string };

export interface RefTable {
  /** ref → Konnect id / issuer (undefined while pending). */
  readonly ids: Map<string, string | undefined>;
  readonly issuers: Map<string, string | undefined>;
}

export function resolveRef(table: RefTable, v: ValueRef): Resolved {
  if (v.kind === 'value') return { value: v.value };
  const map = v.field === 'issuer' ? table.issuers : table.ids;
  const got = map.get(v.ref);
  if (got !== undefined) return { value: got };
  return { pending: `${v.field} of ${v.ref}, known once this apply creates it` };
}

// ---------------------------------------------------------------------------------------------------------------
// Diffs (shared with apply, which recomputes them with the real ids)

export interface Diff {
  readonly changes: FieldChange[];
  /** The PATCH body (only meaningful when nothing is pending). */
  readonly patch: Record<string, unknown>;
  readonly pending: boolean;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return (
      ka.length === kb.length &&
      ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

function labelDiff(
  d: DesiredBase,
  remote: Readonly<Record<string, string>> | undefined,
  withKongctl: boolean,
  changes: FieldChange[],
): Record<string, string | null> | undefined {
  const have = remote ?? {};
  const patch: Record<string, string | null> = {};
  if (d.labels !== undefined) {
    for (const [k, v] of Object.entries(d.labels)) {
      if (have[k] !== v) {
        patch[k] = v;
        changes.push({ field: `labels.${k}`, from: have[k], to: v });
      }
    }
    for (const k of Object.keys(have)) {
      if (!k.startsWith(KONGCTL_LABEL_PREFIX) && !(k in d.labels)) {
        patch[k] = null;
        changes.push({ field: `labels.${k}`, from: have[k], note: 'removed' });
      }
    }
  }
  if (withKongctl) {
    if (d.namespace !== undefined && have[NAMESPACE_LABEL] !== d.namespace) {
      patch[NAMESPACE_LABEL] = d.namespace;
      changes.push({ field: `labels.${NAMESPACE_LABEL}`, from: have[NAMESPACE_LABEL], to: d.namespace });
    }
    if (d.protected !== undefined) {
      const want = d.protected ? 'true' : undefined;
      if (have[PROTECTED_LABEL] !== want) {
        patch[PROTECTED_LABEL] = want ?? null;
        changes.push({
          field: `labels.${PROTECTED_LABEL}`,
          from: have[PROTECTED_LABEL],
          ...(want ? { to: want } : { note: 'removed' }),
        });
      }
    }
  }
  return Object.keys(patch).length ? patch : undefined;
}

export function diffProvider(
  d: DesiredProvider,
  r: DcrProvider,
  table: RefTable,
  resendSecrets: boolean | ((field: string) => boolean),
  secretValues?: Readonly<Record<string, string>>,
): Diff {
  const resend = typeof resendSecrets === 'function' ? resendSecrets : (): boolean => resendSecrets;
  const changes: FieldChange[] = [];
  const patch: Record<string, unknown> = {};
  let pending = false;
  if (d.displayName !== undefined && d.displayName !== r.display_name) {
    patch['display_name'] = d.displayName;
    changes.push({ field: 'display_name', from: r.display_name, to: d.displayName });
  }
  const issuer = resolveRef(table, d.issuer);
  if ('pending' in issuer) {
    pending = true;
    changes.push({ field: 'issuer', from: r.issuer, note: issuer.pending });
  } else if (normalizeProviderIssuer(issuer.value) !== normalizeProviderIssuer(r.issuer)) {
    patch['issuer'] = normalizeProviderIssuer(issuer.value);
    changes.push({ field: 'issuer', from: r.issuer, to: normalizeProviderIssuer(issuer.value) });
  }
  const labels = labelDiff(d, r.labels, true, changes);
  if (labels) patch['labels'] = labels;
  const config: Record<string, unknown> = {};
  const have = r.dcr_config as Record<string, unknown>;
  for (const [k, v] of Object.entries(d.config)) {
    if (!same(have[k], v)) {
      config[k] = v;
      changes.push({ field: `dcr_config.${k}`, from: have[k], to: v });
    }
  }
  {
    for (const [k, spec] of Object.entries(d.secrets)) {
      if (!resend(k)) continue;
      changes.push({
        field: `dcr_config.${k}`,
        note: `will be sent (${describeSecret(spec)}): rotated, as asked`,
      });
      if (secretValues?.[k] !== undefined) config[k] = secretValues[k];
    }
  }
  if (Object.keys(config).length) patch['dcr_config'] = config;
  return { changes, patch, pending };
}

export function diffStrategy(d: DesiredStrategy, r: AppAuthStrategy, table: RefTable): Diff {
  const changes: FieldChange[] = [];
  const patch: Record<string, unknown> = {};
  let pending = false;
  if (d.displayName !== r.display_name) {
    patch['display_name'] = d.displayName;
    changes.push({ field: 'display_name', from: r.display_name, to: d.displayName });
  }
  const labels = labelDiff(d, r.labels, true, changes);
  if (labels) patch['labels'] = labels;
  if (d.principals !== undefined && !same(d.principals, r.principals ?? { enabled: false })) {
    patch['principals'] = d.principals;
    changes.push({ field: 'principals', from: r.principals, to: d.principals });
  }
  if (d.provider !== undefined) {
    const have = r.dcr_provider?.id ?? null;
    if (d.provider === null) {
      if (have !== null) {
        patch['dcr_provider_id'] = null;
        changes.push({ field: 'dcr_provider_id', from: r.dcr_provider?.name ?? have, note: 'unlinked' });
      }
    } else {
      const want = resolveRef(table, d.provider);
      if ('pending' in want) {
        pending = true;
        changes.push({ field: 'dcr_provider_id', from: r.dcr_provider?.name ?? have, note: want.pending });
      } else if (want.value !== have) {
        patch['dcr_provider_id'] = want.value;
        changes.push({
          field: 'dcr_provider_id',
          from: r.dcr_provider ? `${r.dcr_provider.name} (${r.dcr_provider.id})` : null,
          to: d.provider.kind === 'ref' ? `${d.provider.ref} (${want.value})` : want.value,
        });
      }
    }
  }
  const key = wireConfigKey(d.strategyType);
  const fileKey = key.replace('-', '_');
  const have = (r.configs as Record<string, Record<string, unknown> | undefined>)[key] ?? {};
  const inner: Record<string, unknown> = {};
  if (d.issuer) {
    const want = resolveRef(table, d.issuer);
    if ('pending' in want) {
      pending = true;
      changes.push({ field: `configs.${fileKey}.issuer`, from: have['issuer'], note: want.pending });
    } else if (want.value !== have['issuer']) {
      inner['issuer'] = want.value;
      changes.push({ field: `configs.${fileKey}.issuer`, from: have['issuer'], to: want.value });
    }
  }
  for (const [k, v] of Object.entries(d.config)) {
    if (!same(have[k], v)) {
      inner[k] = v;
      changes.push({ field: `configs.${fileKey}.${k}`, from: have[k], to: v });
    }
  }
  if (Object.keys(inner).length) patch['configs'] = { [key]: inner };
  return { changes, patch, pending };
}

export function diffAuthServer(d: DesiredAuthServer, r: AuthServer): Diff {
  const changes: FieldChange[] = [];
  const patch: Record<string, unknown> = {};
  const cmp = (field: string, want: unknown, have: unknown): void => {
    if (want !== undefined && !same(want, have)) {
      patch[field] = want;
      changes.push({ field, from: have, to: want });
    }
  };
  cmp('audience', d.audience, r.audience);
  cmp('description', d.description, r.description);
  cmp('signing_algorithm', d.signingAlgorithm, r.signing_algorithm);
  cmp('trusted_origins', d.trustedOrigins, r.trusted_origins ?? []);
  const labels = labelDiff(d, r.labels, false, changes);
  if (labels) patch['labels'] = labels;
  return { changes, patch, pending: false };
}

const SCOPE_FIELDS = ['description', 'default', 'include_in_metadata', 'enabled'] as const;
export function diffScope(d: DesiredScope, r: Scope): Diff {
  const changes: FieldChange[] = [];
  const patch: Record<string, unknown> = {};
  diffFields(SCOPE_FIELDS, d, r, changes, patch);
  return { changes, patch, pending: false };
}

/** The fields the file declares that differ from Konnect's, into the patch and the change list. */
function diffFields<F extends string>(
  fields: readonly F[],
  d: Partial<Record<F, unknown>>,
  r: Partial<Record<F, unknown>>,
  changes: FieldChange[],
  patch: Record<string, unknown>,
): void {
  for (const f of fields) {
    if (d[f] !== undefined && !same(d[f], r[f])) {
      patch[f] = d[f];
      changes.push({ field: f, from: r[f], to: d[f] });
    }
  }
}

/**
 * A list of scopes the file names (`want`) against the ids Konnect holds (`have`), through `scopeIds` (scope name →
 * id in this auth server; undefined: created by this apply). Returns whether the value waits for those creates.
 */
function diffScopeNames(
  field: string,
  want: readonly string[] | undefined,
  have: readonly string[],
  scopeIds: ReadonlyMap<string, string | undefined>,
  changes: FieldChange[],
  patch: Record<string, unknown>,
): boolean {
  if (want === undefined) return false;
  const ids = want.map((n) => scopeIds.get(n));
  if (ids.some((i) => i === undefined)) {
    changes.push({ field, to: want, note: 'scopes created by this apply' });
    return true;
  }
  if (!same([...(ids as string[])].sort(), [...have].sort())) {
    patch[field] = ids;
    const names = new Map([...scopeIds].map(([n, id]) => [id, n]));
    changes.push({ field, from: have.map((id) => names.get(id) ?? id), to: want });
  }
  return false;
}

const CLAIM_FIELDS = ['value', 'include_in_token', 'include_in_all_scopes', 'enabled'] as const;
/** `scopeIds`: scope name → id in this auth server (undefined: created by this apply). */
export function diffClaim(d: DesiredClaim, r: Claim, scopeIds: ReadonlyMap<string, string | undefined>): Diff {
  const changes: FieldChange[] = [];
  const patch: Record<string, unknown> = {};
  diffFields(CLAIM_FIELDS, d, r, changes, patch);
  const pending = diffScopeNames(
    'include_in_scopes',
    d.include_in_scopes,
    r.include_in_scopes,
    scopeIds,
    changes,
    patch,
  );
  return { changes, patch, pending };
}

const CLIENT_FIELDS = [
  'grant_types',
  'response_types',
  'redirect_uris',
  'login_uri',
  'access_token_duration',
  'id_token_duration',
  'allow_all_scopes',
  'token_endpoint_auth_method',
] as const;
/** `scopeIds`: scope name → id in this auth server (undefined: created by this apply). Never the secret. */
export function diffClient(d: DesiredClient, r: Client, scopeIds: ReadonlyMap<string, string | undefined>): Diff {
  const changes: FieldChange[] = [];
  const patch: Record<string, unknown> = {};
  diffFields(CLIENT_FIELDS, d, r, changes, patch);
  const pending = diffScopeNames('allow_scopes', d.allow_scopes, r.allow_scopes, scopeIds, changes, patch);
  const labels = labelDiff({ labels: d.labels } as DesiredBase, r.labels, false, changes);
  if (labels) patch['labels'] = labels;
  return { changes, patch, pending };
}

/** The field list of a client's create: every declared value, and that Konnect issues the secret. */
function clientCreateChanges(c: DesiredClient): FieldChange[] {
  return [
    ...createChanges({ ...c, name: undefined }),
    { field: 'client_secret', note: "issued by Konnect once, kept in VS Code's SecretStorage (never in the file)" },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

interface Named {
  readonly id: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/** The remote resource a desired one is, by name (then kongctl namespace); or why it cannot be told. */
export function matchByName<T extends Named>(
  d: DesiredBase,
  remotes: readonly T[],
  withKongctl: boolean,
): { remote?: T; conflict?: string } {
  const same = remotes.filter((r) => r.name === d.name);
  if (!same.length) return {};
  const ns = d.namespace ?? DEFAULT_NAMESPACE;
  let remote: T | undefined = same.length === 1 ? same[0] : undefined;
  if (!remote && withKongctl) {
    const inNs = same.filter((r) => r.labels?.[NAMESPACE_LABEL] === ns);
    if (inNs.length === 1) remote = inNs[0];
  }
  if (!remote)
    return {
      conflict: `${same.length} resources in Konnect are named "${d.name}" (ids ${same.map((r) => r.id).join(', ')}): rename one in Konnect or in the file, so that the name says which one this is.`,
    };
  if (withKongctl) {
    const remoteNs = remote.labels?.[NAMESPACE_LABEL];
    if (remoteNs !== undefined && remoteNs !== ns) {
      return {
        remote,
        conflict: `"${d.name}" in Konnect belongs to kongctl namespace "${remoteNs}", and this file ${d.namespace ? `declares "${d.namespace}"` : 'declares no namespace (kongctl\'s "default")'}: left alone. Set kongctl.namespace: ${remoteNs} to manage it here.`,
      };
    }
  }
  return { remote };
}

function isProtected(r: Named): boolean {
  return r.labels?.[PROTECTED_LABEL] === 'true';
}

// ---------------------------------------------------------------------------------------------------------------
// The plan

function emptyCounts(): Record<PlanAction, number> {
  return { create: 0, update: 0, unchanged: 0, onlyInKonnect: 0, delete: 0, conflict: 0 };
}

/** Stable JSON (sorted keys), so that a fingerprint does not depend on the order Konnect sends keys in. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

export function fingerprint(resource: unknown): string {
  return createHash('sha256').update(stable(resource)).digest('hex').slice(0, 32);
}

/** Whether `<ref>.<field>` is to be rotated under these options. */
export function rotates(opts: Pick<PlanOptions, 'resendSecrets' | 'rotate'>, ref: string, field: string): boolean {
  return !!opts.resendSecrets || !!opts.rotate?.includes(`${ref}.${field}`);
}

/** The plan of `desired` against a known remote state (pure; `computePlan` fetches the state first). */
export function planAgainst(desired: DesiredState, remote: RemoteState, opts: PlanOptions = {}): Plan {
  const resend = !!opts.resendSecrets;
  const mode: PlanMode = opts.mode ?? 'apply';
  const steps: PlanStep[] = [];
  const table: RefTable = { ids: new Map(), issuers: new Map() };
  const secretNames = new Set<string>();
  seedExternal(table, remote, opts.external);

  // Kong Identity auth servers, each followed by its scopes and claims
  for (const a of desired.authServers) {
    const m = matchByName(a, remote.authServers ?? [], false);
    const base = { kind: 'authServer' as const, name: a.name, ref: a.ref, path: a.path };
    if (m.conflict) {
      steps.push({ ...base, action: 'conflict', id: m.remote?.id, changes: [], reason: m.conflict });
      table.ids.set(a.ref, m.remote?.id);
      continue;
    }
    if (!m.remote) {
      table.ids.set(a.ref, undefined);
      table.issuers.set(a.ref, undefined);
      steps.push({
        ...base,
        action: 'create',
        changes: createChanges({
          audience: a.audience,
          description: a.description,
          signing_algorithm: a.signingAlgorithm,
          trusted_origins: a.trustedOrigins,
          labels: a.labels,
        }),
      });
      for (const s of a.scopes)
        steps.push({
          kind: 'scope',
          action: 'create',
          name: s.name,
          parentRef: a.ref,
          parentName: a.name,
          changes: createChanges({ ...s, name: undefined }),
        });
      for (const c of a.claims)
        steps.push({
          kind: 'claim',
          action: 'create',
          name: c.name,
          parentRef: a.ref,
          parentName: a.name,
          changes: createChanges({ ...c, name: undefined }),
        });
      for (const c of a.clients)
        steps.push({
          kind: 'client',
          action: 'create',
          name: c.name,
          parentRef: a.ref,
          parentName: a.name,
          changes: clientCreateChanges(c),
        });
      continue;
    }
    const r = m.remote;
    table.ids.set(a.ref, r.id);
    table.issuers.set(a.ref, r.issuer);
    const diff = diffAuthServer(a, r);
    steps.push({ ...base, id: r.id, action: diff.changes.length ? 'update' : 'unchanged', changes: diff.changes });
    const scopes = remote.scopes.get(r.id) ?? [];
    const scopeIds = new Map<string, string | undefined>(scopes.map((s) => [s.name, s.id]));
    for (const s of a.scopes) {
      const rs = scopes.find((x) => x.name === s.name);
      const child = { kind: 'scope' as const, name: s.name, parentRef: a.ref, parentName: a.name };
      if (!rs) {
        scopeIds.set(s.name, undefined);
        steps.push({ ...child, action: 'create', changes: createChanges({ ...s, name: undefined }) });
        continue;
      }
      const sd = diffScope(s, rs);
      steps.push({ ...child, id: rs.id, action: sd.changes.length ? 'update' : 'unchanged', changes: sd.changes });
    }
    for (const rs of scopes)
      if (!a.scopes.some((s) => s.name === rs.name))
        steps.push({
          kind: 'scope',
          action: 'onlyInKonnect',
          name: rs.name,
          id: rs.id,
          parentRef: a.ref,
          parentName: a.name,
          changes: [],
        });
    const claims = remote.claims.get(r.id) ?? [];
    for (const c of a.claims) {
      const rc = claims.find((x) => x.name === c.name);
      const child = { kind: 'claim' as const, name: c.name, parentRef: a.ref, parentName: a.name };
      if (!rc) {
        steps.push({ ...child, action: 'create', changes: createChanges({ ...c, name: undefined }) });
        continue;
      }
      const cd = diffClaim(c, rc, scopeIds);
      steps.push({ ...child, id: rc.id, action: cd.changes.length ? 'update' : 'unchanged', changes: cd.changes });
    }
    for (const rc of claims)
      if (!a.claims.some((c) => c.name === rc.name))
        steps.push({
          kind: 'claim',
          action: 'onlyInKonnect',
          name: rc.name,
          id: rc.id,
          parentRef: a.ref,
          parentName: a.name,
          changes: [],
        });
    // clients: compared only when the file has a `clients:` list (pulled files before clients had none)
    const clients = remote.clients.get(r.id) ?? [];
    for (const c of a.clients) {
      const rc = clients.find((x) => x.name === c.name);
      const child = { kind: 'client' as const, name: c.name, parentRef: a.ref, parentName: a.name };
      if (!rc) {
        steps.push({ ...child, action: 'create', changes: clientCreateChanges(c) });
        continue;
      }
      const cd = diffClient(c, rc, scopeIds);
      steps.push({ ...child, id: rc.id, action: cd.changes.length ? 'update' : 'unchanged', changes: cd.changes });
    }
    for (const rc of clients)
      if (!a.clients.some((c) => c.name === rc.name))
        steps.push({
          kind: 'client',
          action: 'onlyInKonnect',
          name: rc.name,
          id: rc.id,
          parentRef: a.ref,
          parentName: a.name,
          changes: [],
        });
  }

  // DCR providers
  const matchedProviders = new Set<string>();
  for (const p of desired.providers) {
    const m = matchByName(p, remote.providers, true);
    const base = { kind: 'provider' as const, name: p.name, ref: p.ref, path: p.path };
    if (m.remote) matchedProviders.add(m.remote.id);
    if (!m.conflict && m.remote && m.remote.provider_type !== p.providerType) {
      m.conflict = `"${p.name}" exists in Konnect as a ${m.remote.provider_type} provider; provider_type cannot change. Delete it in Konnect or give this entry another name.`;
    }
    if (m.conflict) {
      steps.push({ ...base, action: 'conflict', id: m.remote?.id, changes: [], reason: m.conflict });
      table.ids.set(p.ref, m.remote?.id);
      continue;
    }
    if (!m.remote) {
      table.ids.set(p.ref, undefined);
      const issuer = resolveRef(table, p.issuer);
      for (const spec of Object.values(p.secrets)) for (const n of secretEnvNames(spec)) secretNames.add(n);
      steps.push({
        ...base,
        action: 'create',
        changes: [
          { field: 'provider_type', to: p.providerType },
          'pending' in issuer
            ? { field: 'issuer', note: issuer.pending }
            : { field: 'issuer', to: normalizeProviderIssuer(issuer.value) },
          ...createChanges({ display_name: p.displayName }),
          ...Object.entries(p.config).map(([k, v]) => ({ field: `dcr_config.${k}`, to: v })),
          ...Object.entries(p.secrets).map(([k, spec]) => ({
            field: `dcr_config.${k}`,
            note: `will be sent (${describeSecret(spec)})`,
          })),
          ...createChanges({ labels: p.labels }),
          { field: `labels.${NAMESPACE_LABEL}`, to: p.namespace ?? DEFAULT_NAMESPACE },
          ...(p.protected ? [{ field: `labels.${PROTECTED_LABEL}`, to: 'true' }] : []),
        ],
      });
      continue;
    }
    const r = m.remote;
    table.ids.set(p.ref, r.id);
    const diff = diffProvider(p, r, table, (k) => rotates(opts, p.ref, k));
    for (const [k, spec] of Object.entries(p.secrets))
      if (rotates(opts, p.ref, k)) for (const n of secretEnvNames(spec)) secretNames.add(n);
    const unknowable = Object.keys(p.secrets)
      .filter((k) => !rotates(opts, p.ref, k))
      .map((k) => `dcr_config.${k}`);
    steps.push(
      withProtection(
        {
          ...base,
          id: r.id,
          action: diff.changes.length ? 'update' : 'unchanged',
          changes: diff.changes,
          ...(unknowable.length ? { unknowable } : {}),
        },
        r,
        p,
      ),
    );
  }

  // auth strategies
  const matchedStrategies = new Set<string>();
  /** remote strategy id → the file's entry for it */
  const strategyEntries = new Map<string, DesiredStrategy>();
  /** Whether this plan links a strategy that now uses `providerId` to another provider (or to none). */
  const movesAway = (r: AppAuthStrategy, providerId: string): boolean => {
    const d = strategyEntries.get(r.id);
    if (!d || d.provider === undefined) return false;
    if (d.provider === null) return true;
    const v = resolveRef(table, d.provider);
    return 'value' in v ? v.value !== providerId : true;
  };
  for (const s of desired.strategies) {
    const m = matchByName(s, remote.strategies, true);
    const base = { kind: 'strategy' as const, name: s.name, ref: s.ref, path: s.path };
    if (m.remote) matchedStrategies.add(m.remote.id);
    if (m.remote && !m.conflict) strategyEntries.set(m.remote.id, s);
    if (!m.conflict && m.remote && m.remote.strategy_type !== s.strategyType) {
      m.conflict = `"${s.name}" exists in Konnect as a ${m.remote.strategy_type} strategy; strategy_type cannot change. Delete it in Konnect or give this entry another name.`;
    }
    if (m.conflict) {
      steps.push({ ...base, action: 'conflict', id: m.remote?.id, changes: [], reason: m.conflict });
      table.ids.set(s.ref, m.remote?.id);
      continue;
    }
    if (!m.remote) {
      table.ids.set(s.ref, undefined);
      const fileKey = s.strategyType;
      const changes: FieldChange[] = [
        { field: 'strategy_type', to: s.strategyType },
        { field: 'display_name', to: s.displayName },
      ];
      if (s.provider) {
        const pr = resolveRef(table, s.provider);
        changes.push(
          'pending' in pr
            ? {
                field: 'dcr_provider_id',
                note: `the id of ${s.provider.kind === 'ref' ? s.provider.ref : '?'}, created by this apply`,
              }
            : {
                field: 'dcr_provider_id',
                to: s.provider.kind === 'ref' ? `${s.provider.ref} (${pr.value})` : pr.value,
              },
        );
      }
      if (s.issuer) {
        const ir = resolveRef(table, s.issuer);
        changes.push(
          'pending' in ir
            ? { field: `configs.${fileKey}.issuer`, note: ir.pending }
            : { field: `configs.${fileKey}.issuer`, to: ir.value },
        );
      }
      for (const [k, v] of Object.entries(s.config)) changes.push({ field: `configs.${fileKey}.${k}`, to: v });
      changes.push(...createChanges({ labels: s.labels, principals: s.principals }), {
        field: `labels.${NAMESPACE_LABEL}`,
        to: s.namespace ?? DEFAULT_NAMESPACE,
      });
      if (s.protected) changes.push({ field: `labels.${PROTECTED_LABEL}`, to: 'true' });
      steps.push({ ...base, action: 'create', changes });
      continue;
    }
    const r = m.remote;
    table.ids.set(s.ref, r.id);
    const diff = diffStrategy(s, r, table);
    steps.push(
      withProtection(
        { ...base, id: r.id, action: diff.changes.length ? 'update' : 'unchanged', changes: diff.changes },
        r,
        s,
      ),
    );
  }

  // only in Konnect: unmatched resources of the file's kongctl namespaces (a sync deletes them, when it may)
  const sync = mode === 'sync';
  const namespaces = new Set(
    desired.scope && sync
      ? desired.scope.namespaces
      : [...desired.providers, ...desired.strategies].map((d) => d.namespace ?? DEFAULT_NAMESPACE),
  );
  const inSection = {
    provider: desired.scope ? desired.scope.providers : desired.providers.length > 0,
    strategy: desired.scope ? desired.scope.strategies : desired.strategies.length > 0,
  };
  const sibling = (kind: 'provider' | 'strategy', name: string): boolean =>
    !!opts.external?.some((e) => e.kind === kind && e.name === name);
  let otherProviders = 0;
  let otherStrategies = 0;
  const deletedStrategies = new Set<string>();
  const onlyIn = (kind: 'provider' | 'strategy', r: Named, held: () => string | undefined): void => {
    const ns = r.labels?.[NAMESPACE_LABEL];
    if (ns === undefined || !namespaces.has(ns) || sibling(kind, r.name)) {
      if (kind === 'provider') otherProviders++;
      else otherStrategies++;
      return;
    }
    const base = { kind, name: r.name, id: r.id, changes: [] };
    if (!sync || !inSection[kind]) {
      steps.push({ ...base, action: 'onlyInKonnect', reason: `kongctl namespace "${ns}"` });
      return;
    }
    if (isProtected(r)) {
      steps.push({
        ...base,
        action: 'conflict',
        reason: `not deleted: protected by kongctl (label ${PROTECTED_LABEL}: "true"); remove the protection in Konnect to let a sync delete it.`,
      });
      return;
    }
    const holder = held();
    if (holder) {
      steps.push({ ...base, action: 'conflict', reason: `not deleted: ${holder}.` });
      return;
    }
    if (kind === 'strategy') deletedStrategies.add(r.id);
    steps.push({ ...base, action: 'delete', reason: `kongctl namespace "${ns}", not in the file` });
  };
  for (const r of remote.strategies) {
    if (matchedStrategies.has(r.id)) continue;
    onlyIn('strategy', r, () => strategyHolder(r, remote.usage));
  }
  for (const r of remote.providers) {
    if (matchedProviders.has(r.id)) continue;
    onlyIn('provider', r, () => {
      const users = remote.strategies.filter(
        (s) => s.dcr_provider?.id === r.id && !deletedStrategies.has(s.id) && !movesAway(s, r.id),
      );
      return users.length
        ? `auth strateg${users.length > 1 ? 'ies' : 'y'} ${users.map((u) => `"${u.name}" (${u.id})`).join(', ')} still use${users.length > 1 ? '' : 's'} it`
        : undefined;
    });
  }
  const wantedServers = new Set(desired.authServers.map((a) => a.name));
  const otherServers = (remote.authServers ?? []).filter((a) => !wantedServers.has(a.name)).length;

  const ordered = orderSteps(steps);
  const counts = emptyCounts();
  for (const s of ordered) counts[s.action]++;
  return {
    mode,
    steps: ordered,
    counts,
    resendSecrets: resend,
    rotate: resend ? [] : [...(opts.rotate ?? [])],
    secretNames: [...secretNames],
    others: { providers: otherProviders, strategies: otherStrategies, authServers: otherServers },
    base: baseOf(ordered, remote),
  };
}

/** Why a strategy Konnect has cannot be deleted: the publications and portals that use it. */
function strategyHolder(r: AppAuthStrategy, usage: StrategyUsage | undefined): string | undefined {
  if (!usage) return undefined;
  const holders = [
    ...usage.publications
      .filter((p) => p.auth_strategy_ids?.includes(r.id))
      .map((p) => {
        const portal = usage.portals.find((x) => x.id === p.portal_id);
        return `API "${usage.apiNames.get(p.api_id) ?? p.api_id}" published to portal "${portal?.name ?? p.portal_id}"`;
      }),
    ...usage.portals
      .filter((p) => p.defaultStrategyId === r.id)
      .map((p) => `portal "${p.name}" (its default application auth strategy)`),
  ];
  return holders.length ? `still used by ${holders.join(', ')}; unpublish or change that first` : undefined;
}

/** The fingerprints of the existing resources the steps are about. */
function baseOf(steps: readonly PlanStep[], remote: RemoteState): BaseEntry[] {
  const out: BaseEntry[] = [];
  for (const s of steps) {
    if (!s.id) continue;
    let r: { id: string; updated_at?: string | undefined } | undefined;
    if (s.kind === 'provider') r = remote.providers.find((x) => x.id === s.id);
    else if (s.kind === 'strategy') r = remote.strategies.find((x) => x.id === s.id);
    else if (s.kind === 'authServer') r = remote.authServers?.find((x) => x.id === s.id);
    else {
      const all: readonly { id: string; updated_at?: string | undefined }[] = [
        ...(s.kind === 'scope' ? remote.scopes : s.kind === 'claim' ? remote.claims : remote.clients).values(),
      ].flat();
      r = all.find((x) => x.id === s.id);
    }
    if (!r) continue;
    out.push({
      kind: s.kind,
      name: s.name,
      id: s.id,
      parentName: s.parentName,
      fingerprint: fingerprint(r),
      updatedAt: typeof r.updated_at === 'string' ? r.updated_at : undefined,
      state: withoutSecrets(r) as Record<string, unknown>,
    });
  }
  return out;
}

/** Field names that hold (or may hold) a secret: never copied into a plan. */
const SECRET_KEY = /secret|password|passwd|private|dcr_token|api_key|^token$|access_token|refresh_token|credential$/i;

/** A deep copy of a resource without the fields a secret may be in (a plan is saved to disk). */
export function withoutSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSecrets);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      if (!SECRET_KEY.test(k)) out[k] = withoutSecrets(x);
    return out;
  }
  return v;
}

/** A change to a protected resource is refused (kongctl does the same), unless the change is the unprotection. */
function withProtection(step: PlanStep, r: Named, d: DesiredBase): PlanStep {
  if (step.action !== 'update' || !isProtected(r) || d.protected === false) return step;
  return {
    ...step,
    action: 'conflict',
    reason: `"${r.name}" is protected by kongctl (label ${PROTECTED_LABEL}: "true"): set kongctl.protected: false to change it.`,
  };
}

/**
 * Auth servers (with their scopes, claims and clients) → providers → strategies; only-in-Konnect ones after their kind. Deletes
 * come after every create and update (a strategy moves to its new provider before the old one goes), strategies
 * before providers (a provider is deleted once nothing uses it).
 */
function orderSteps(steps: PlanStep[]): PlanStep[] {
  const rank: Record<ResourceKind, number> = { authServer: 0, scope: 0, claim: 0, client: 0, provider: 1, strategy: 2 };
  const deleteRank: Record<ResourceKind, number> = {
    strategy: 3,
    provider: 4,
    client: 5,
    claim: 5,
    scope: 6,
    authServer: 7,
  };
  const r = (s: PlanStep): number => (s.action === 'delete' ? deleteRank[s.kind] : rank[s.kind]);
  return steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => r(a.s) - r(b.s) || a.i - b.i)
    .map((x) => x.s);
}

/** The field list of a create: every declared value. */
function createChanges(fields: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (k === 'labels' && v && typeof v === 'object') {
      for (const [lk, lv] of Object.entries(v as Record<string, string>)) out.push({ field: `labels.${lk}`, to: lv });
    } else out.push({ field: k, to: v });
  }
  return out;
}

/** Nothing to do (creates, updates, deletes) in this plan. */
export function isNoop(plan: Plan): boolean {
  return plan.counts.create === 0 && plan.counts.update === 0 && plan.counts.delete === 0;
}
