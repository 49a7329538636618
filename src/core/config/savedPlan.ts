/**
 * Saved plans (kongctl's plan artifacts: `kongctl plan --output-file plan.json`, then `kongctl apply --plan plan.json`
 * or `sync --plan`; Terraform's `plan -out` / `apply <planfile>`): a plan written to a JSON file, reviewed, and applied
 * later exactly as saved.
 *
 * - The file holds the plan, the desired state it was made from (so the later apply does what was reviewed, even if
 *   the config file changed since), the config file's path and the connection it was made against, and the base:
 *   every existing resource the plan is about, as Konnect returned it then.
 * - It never holds a secret. Secrets stay references (`!env VAR`, SecretStorage, `!file path`), resolved when the plan
 *   is applied; a plan of a file with a secret written literally is refused (move it to SecretStorage first), and the
 *   base leaves out every field a secret may be in (`withoutSecrets`).
 * - Apply of a saved plan reads Konnect again and refuses when the base changed: a resource changed (which fields),
 *   was deleted, or one the plan would create (or a sync would now see) was created since. Nothing is applied then.
 */
import { createHash } from 'node:crypto';
import type { KonnectClient } from '../api/client';
import { applyConfig, stepLabel, type ApplyOptions, type ApplyResult } from './apply';
import type { DesiredState } from './model';
import {
  fetchRemote,
  fingerprint,
  planAgainst,
  withoutSecrets,
  type BaseEntry,
  type ExternalRef,
  type Plan,
  type PlanOptions,
  type RemoteState,
  type ResourceKind,
} from './plan';
import { renderPlan } from './render';

export const SAVED_PLAN_FORMAT = 'konnect-dcr-plan';
export const SAVED_PLAN_VERSION = 1;

export interface SavedPlan {
  readonly format: typeof SAVED_PLAN_FORMAT;
  readonly version: number;
  /** ISO time the plan was made. */
  readonly created_at: string;
  /** The plan as text, line by line: what a reviewer reads (the JSON is the same plan). */
  readonly review: readonly string[];
  /** The config file, as shown to the user (workspace-relative), and a hash of its text when planned. */
  readonly config: { readonly file: string; readonly sha256: string };
  /** The connection the plan was made against. */
  readonly target: { readonly name: string; readonly host: string };
  readonly plan: Plan;
  readonly desired: DesiredState;
  readonly external: readonly ExternalRef[];
}

export interface SaveMeta {
  readonly file: string;
  /** The config file's text (only its hash is kept). */
  readonly text: string;
  readonly target: { readonly name: string; readonly host: string };
  readonly external?: readonly ExternalRef[] | undefined;
  readonly now?: Date | undefined;
}

/** A config secret that cannot be saved by reference (it is written in the file). */
export class SecretInPlanError extends Error {
  constructor(readonly fields: readonly string[]) {
    super(
      `A saved plan never holds a secret, and ${fields.join(', ')} ${fields.length > 1 ? 'are' : 'is'} written in the config file: move ${fields.length > 1 ? 'them' : 'it'} to SecretStorage (the quick fix on the warning) or to !env / !file, then save the plan again.`,
    );
    this.name = 'SecretInPlanError';
  }
}

export class SavedPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SavedPlanError';
  }
}

/** The JSON text of a saved plan. Throws SecretInPlanError for a secret written in the file. */
export function savePlan(plan: Plan, desired: DesiredState, meta: SaveMeta): string {
  const literal = desired.providers.flatMap((p) =>
    Object.entries(p.secrets)
      .filter(([, spec]) => spec.kind === 'literal')
      .map(([k]) => `${p.name}: dcr_config.${k}`),
  );
  if (literal.length) throw new SecretInPlanError(literal);
  const saved: SavedPlan = {
    format: SAVED_PLAN_FORMAT,
    version: SAVED_PLAN_VERSION,
    created_at: (meta.now ?? new Date()).toISOString(),
    review: renderPlan(plan, { file: meta.file, target: `${meta.target.name} (${meta.target.host})` }).split('\n'),
    config: { file: meta.file, sha256: sha256(meta.text) },
    target: meta.target,
    plan: { ...plan, base: plan.base.map((b) => ({ ...b, state: b.state && withoutSecrets(b.state) })) } as Plan,
    desired,
    external: meta.external ?? [],
  };
  return `${JSON.stringify(saved, null, 2)}\n`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads a saved plan; a file that is not one (or of a later version) is a SavedPlanError saying so. */
export function readSavedPlan(text: string): SavedPlan {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new SavedPlanError(`Not a saved plan: not JSON (${err instanceof Error ? err.message : String(err)}).`);
  }
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  if (o['format'] !== SAVED_PLAN_FORMAT)
    throw new SavedPlanError(
      `Not a saved plan: "format" is not "${SAVED_PLAN_FORMAT}" (Konnect DCR: Save Plan… writes one).`,
    );
  if (o['version'] !== SAVED_PLAN_VERSION)
    throw new SavedPlanError(
      `This saved plan is of version ${String(o['version'])}; this extension reads version ${SAVED_PLAN_VERSION}. Plan again.`,
    );
  const plan = o['plan'] as Record<string, unknown> | undefined;
  const desired = o['desired'] as Record<string, unknown> | undefined;
  const ok =
    !!plan &&
    (plan['mode'] === 'apply' || plan['mode'] === 'sync') &&
    Array.isArray(plan['steps']) &&
    Array.isArray(plan['base']) &&
    !!desired &&
    Array.isArray(desired['providers']) &&
    Array.isArray(desired['strategies']) &&
    Array.isArray(desired['authServers']) &&
    typeof (o['config'] as Record<string, unknown> | undefined)?.['file'] === 'string' &&
    typeof (o['target'] as Record<string, unknown> | undefined)?.['host'] === 'string';
  if (!ok)
    throw new SavedPlanError('Not a saved plan: its plan, desired state, config or target is missing or malformed.');
  return o as unknown as SavedPlan;
}

/** One way Konnect differs from a saved plan's base. */
export interface BaseChange {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly parentName?: string | undefined;
  readonly id: string;
  readonly what: 'changed' | 'deleted' | 'created';
  /** `changed`: the fields that differ (dotted, as Konnect names them). */
  readonly fields: readonly string[];
}

function list(remote: RemoteState, kind: ResourceKind): readonly { id: string; name: string }[] {
  if (kind === 'provider') return remote.providers;
  if (kind === 'strategy') return remote.strategies;
  if (kind === 'authServer') return remote.authServers ?? [];
  return [...(kind === 'scope' ? remote.scopes : kind === 'claim' ? remote.claims : remote.clients).values()].flat();
}

function diffFields(a: unknown, b: unknown, prefix = ''): string[] {
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffFields(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(the resource)'];
}

/**
 * What changed in Konnect since a plan was made: compares its base with a fresh read, and the fresh plan of the same
 * desired state with the saved one (a resource that appeared since).
 */
export function baseChanges(
  saved: Pick<SavedPlan, 'plan' | 'desired' | 'external'>,
  remote: RemoteState,
): BaseChange[] {
  const out: BaseChange[] = [];
  const base: readonly BaseEntry[] = saved.plan.base;
  for (const b of base) {
    const now = list(remote, b.kind).find((r) => r.id === b.id);
    if (!now) {
      out.push({ kind: b.kind, name: b.name, parentName: b.parentName, id: b.id, what: 'deleted', fields: [] });
      continue;
    }
    const fields = b.state ? diffFields(b.state, withoutSecrets(now)) : [];
    // equal but for a field left out of the base (a secret-named one): the fingerprint still says it changed
    if (!fields.length && fingerprint(now) !== b.fingerprint) fields.push('(a field not saved in the plan)');
    if (!fields.length) continue;
    out.push({ kind: b.kind, name: b.name, parentName: b.parentName, id: b.id, what: 'changed', fields });
  }
  const known = new Set(base.map((b) => b.id));
  const fresh = planAgainst(saved.desired, remote, optionsOf(saved.plan, saved.external));
  for (const s of fresh.steps) {
    if (!s.id || known.has(s.id) || s.action === 'onlyInKonnect') continue;
    out.push({ kind: s.kind, name: s.name, parentName: s.parentName, id: s.id, what: 'created', fields: [] });
  }
  return out;
}

export function optionsOf(plan: Plan, external: readonly ExternalRef[] | undefined): PlanOptions {
  return {
    mode: plan.mode,
    resendSecrets: plan.resendSecrets,
    rotate: plan.rotate,
    external,
  };
}

export function renderBaseChanges(changes: readonly BaseChange[]): string {
  return changes
    .map((c) => {
      const label = `${stepLabel(c)} (${c.id})`;
      if (c.what === 'deleted') return `- ${label}: deleted in Konnect since the plan was made`;
      if (c.what === 'created') return `+ ${label}: created in Konnect since the plan was made`;
      return `~ ${label}: changed in Konnect since the plan was made (${c.fields.join(', ')})`;
    })
    .join('\n');
}

export interface SavedApplyResult {
  /** Undefined when the base changed (nothing was applied). */
  readonly result: ApplyResult | undefined;
  readonly changes: readonly BaseChange[];
}

/**
 * Applies a saved plan (`kongctl apply --plan` / `sync --plan`): refuses, applying nothing, when its base changed in
 * Konnect; else applies its desired state, in its mode, expecting exactly its steps.
 */
export async function applySavedPlan(
  client: KonnectClient,
  saved: SavedPlan,
  opts: Omit<ApplyOptions, 'expected' | 'mode' | 'rotate' | 'resendSecrets' | 'external'>,
): Promise<SavedApplyResult> {
  const planOpts = { ...optionsOf(saved.plan, saved.external), signal: opts.signal, maxItems: opts.maxItems };
  const remote = await fetchRemote(client, saved.desired, planOpts);
  const changes = baseChanges(saved, remote);
  if (changes.length) return { result: undefined, changes };
  const result = await applyConfig(client, saved.desired, {
    ...opts,
    mode: saved.plan.mode,
    rotate: saved.plan.rotate,
    resendSecrets: saved.plan.resendSecrets,
    external: saved.external,
    expected: saved.plan,
  });
  return { result, changes: [] };
}
