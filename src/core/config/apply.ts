/**
 * Apply: makes Konnect match a config file, in dependency order (auth servers, their scopes and claims → DCR
 * providers → auth strategies), with `!ref`s resolved to the ids and issuers just created or found.
 *
 * - The plan is recomputed against a fresh read of Konnect first; when it differs from the plan the user confirmed,
 *   nothing is done and the fresh plan is returned (`stale`).
 * - Secrets are resolved before the first call; a missing one stops the apply before anything is sent.
 * - No duplicates: the read at the start says what exists, so a create is sent without asking again, except when
 *   Konnect may hold the resource without that read showing it: a create an earlier apply sent without getting an
 *   answer (`ApplyResult.maybeCreated`, handed back as `lookUpFirst`: Konnect may carry it out after the read) is
 *   looked up by name first, and a create Konnect answers 409 (a name taken since the read) is looked up and used.
 *   Within an apply a create is never repeated (the engine does not repeat a POST that may have been applied).
 * - Steps run in waves, one per kind in dependency order (a wave starts when the one before has finished, so every
 *   `!ref` a step needs is resolved), each wave with at most `concurrency` steps in flight. Names are unique per kind
 *   in a file, so two steps never create the same resource. When Konnect answers 429/503 with `Retry-After`, no
 *   worker sends anything before that time (one `RetryGate` for the whole apply).
 * - A failure or a cancellation starts no further step; the steps already in flight finish (or are cancelled) and
 *   the result lists what exists now and what was not done.
 * - Apply never deletes. A sync (`mode: 'sync'`) carries out the plan's deletes in two last waves, strategies then
 *   providers; a resource already gone (404) counts as deleted, so an interrupted sync run again deletes nothing twice.
 * - A second apply right after is a no-op (secrets are not re-sent unless asked).
 * - A Kong Identity client's secret is issued by Konnect once, in the create answer: it goes to `keepSecret` (the UI
 *   puts it into VS Code's SecretStorage) under the name the result gives (`AppliedStep.secretKeptAs`), and nowhere
 *   else (not the file, the plan, the result text or the log).
 */
import type { KonnectClient } from '../api/client';
import { RetryGate } from '../api/engine';
import type { AppAuthStrategy } from '../model/authStrategy';
import type { DcrProvider } from '../model/dcrProvider';
import type { AuthServer } from '../model/kongIdentity';
import type { DesiredAuthServer, DesiredProvider, DesiredState, DesiredStrategy } from './model';
import {
  diffAuthServer,
  diffClaim,
  diffClient,
  diffProvider,
  diffScope,
  diffStrategy,
  fetchRemote,
  planAgainst,
  resolveRef,
  rotates,
  seedExternal,
  type Plan,
  type PlanOptions,
  type PlanStep,
  type RefTable,
  type RemoteState,
  type ResourceKind,
} from './plan';
import { secretVarName, type SecretSpec } from './tags';
import {
  WireValidationError,
  authServerCreateBody,
  authServerUpdateBody,
  claimCreateBody,
  claimUpdateBody,
  clientCreateBody,
  clientUpdateBody,
  providerCreateBody,
  providerUpdateBody,
  scopeCreateBody,
  scopeUpdateBody,
  strategyCreateBody,
  strategyUpdateBody,
} from './wire';

export interface ApplyOptions {
  readonly signal?: AbortSignal | undefined;
  /** Looks a secret up by its variable name (SecretStorage, then the environment). Never logged. */
  readonly resolveSecret: (name: string) => Promise<string | undefined>;
  readonly resendSecrets?: boolean | undefined;
  /** Re-send only these secrets of existing providers (`<ref>.<field>`). */
  readonly rotate?: PlanOptions['rotate'];
  /** `sync` also deletes (the plan's `delete` steps). */
  readonly mode?: PlanOptions['mode'];
  /** Reads a `!file` secret (path as written, relative to the config file); the caller checks where it may read. */
  readonly readSecretFile?: ((path: string) => Promise<string>) | undefined;
  /** The plan the user confirmed: when Konnect changed since, nothing is applied (`stale`). */
  readonly expected?: Plan | undefined;
  readonly onProgress?: ((done: number, total: number, message: string) => void) | undefined;
  readonly maxItems?: number | undefined;
  /**
   * Creates an earlier apply of this file sent without getting an answer (its `maybeCreated`): each is asked for by
   * name before it is created, because Konnect may have carried it out after this apply's read.
   */
  readonly lookUpFirst?: readonly StepKey[] | undefined;
  /** Resources of sibling config files this file references (see PlanOptions.external). */
  readonly external?: PlanOptions['external'];
  /** Steps in flight at once within a wave (default `DEFAULT_APPLY_CONCURRENCY`; 1: one after the other). */
  readonly concurrency?: number | undefined;
  /**
   * Keeps the secret Konnect issues for a Kong Identity client this apply creates (shown once), under `name`.
   * Without it the secret is dropped and the result says so (a new one can be made in Konnect).
   */
  readonly keepSecret?: ((name: string, value: string) => Promise<void>) | undefined;
}

/** Konnect's rate limits are per organisation and generous for a handful of connections: six, as a browser uses. */
export const DEFAULT_APPLY_CONCURRENCY = 6;

/** The dependency order of the waves: a kind only refers to kinds before it. */
const WAVE: Record<ResourceKind, number> = { authServer: 0, scope: 1, claim: 2, client: 2, provider: 3, strategy: 4 };
/** A sync's deletes, after every create and update: what uses a resource goes before it. */
const DELETE_WAVE: Record<ResourceKind, number> = {
  strategy: 5,
  provider: 6,
  client: 7,
  claim: 7,
  scope: 8,
  authServer: 9,
};

/** What names a step across applies: its kind, its auth server's name (scopes, claims, clients) and its name. */
export interface StepKey {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly parentName?: string | undefined;
}

const keyOf = (s: StepKey): string => `${s.kind}\u0000${s.parentName ?? ''}\u0000${s.name}`;

export interface ExistingResource {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly id: string;
  readonly ref?: string | undefined;
  readonly parentName?: string | undefined;
}

export interface AppliedStep extends ExistingResource {
  /**
   * `matched`: a create found a resource of that name that had appeared since the plan, and used it. `gone`: a delete
   * found the resource already deleted.
   */
  readonly action: 'created' | 'updated' | 'matched' | 'deleted' | 'gone';
  /**
   * A created Kong Identity client: the name its secret was kept under (`keepSecret`), or `null` when it could not be
   * kept (no `keepSecret`, or keeping failed). Never the secret itself.
   */
  readonly secretKeptAs?: string | null | undefined;
}

export interface ApplyResult {
  readonly ok: boolean;
  readonly plan: Plan;
  /** Konnect changed since the expected plan: nothing was applied; `plan` is the fresh one. */
  readonly stale: boolean;
  readonly cancelled: boolean;
  readonly applied: readonly AppliedStep[];
  readonly failed?:
    | {
        readonly step: PlanStep;
        readonly message: string;
        readonly fields: readonly { field: string; reason: string }[];
        /** The request was sent and no answer came back (timeout, reset, cancel): the resource may exist after all. */
        readonly uncertain: boolean;
      }
    | undefined;
  /** Steps of the plan that were not carried out (after a failure or cancellation). */
  readonly notDone: readonly PlanStep[];
  /** Every resource of the file that exists in Konnect after this apply. */
  readonly existing: readonly ExistingResource[];
  /**
   * Creates sent without a usable answer (failed, or cancelled in flight): Konnect may have carried them out, maybe
   * only after a next apply reads it. Give them to that apply as `lookUpFirst`, so that it looks them up by name.
   */
  readonly maybeCreated: readonly StepKey[];
}

/** Request bodies that would be refused (a secret value the wire schema rejects, …): found before anything is sent. */
export class NothingAppliedError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Nothing was applied: ${problems.join(' ')}`);
    this.name = 'NothingAppliedError';
  }
}

/** Secrets a create (or a re-send) needs and that neither SecretStorage nor the environment has. */
export class MissingSecretsError extends Error {
  constructor(
    readonly names: readonly string[],
    readonly problems: readonly string[] = [],
  ) {
    super(
      names.length
        ? `Set ${names.join(', ')} before applying: run "Konnect DCR: Store Secret…" (kept in VS Code's SecretStorage) or export ${names.length > 1 ? 'them' : 'it'} in the environment VS Code was started from.${problems.length ? ` ${problems.join(' ')}` : ''}`
        : problems.join(' '),
    );
    this.name = 'MissingSecretsError';
  }
}

const KIND_WORD: Record<ResourceKind, string> = {
  authServer: 'auth server',
  scope: 'scope',
  claim: 'claim',
  client: 'client',
  provider: 'DCR provider',
  strategy: 'auth strategy',
};

/** A one-line description of a step, for progress and reports. */
export function stepLabel(s: Pick<PlanStep, 'kind' | 'name' | 'parentName'>): string {
  return `${KIND_WORD[s.kind]} "${s.name}"${s.parentName ? ` of "${s.parentName}"` : ''}`;
}

export function signature(plan: Plan): string {
  return plan.steps
    .filter((s) => s.action !== 'unchanged')
    .map((s) => `${s.kind}:${s.parentName ?? ''}:${s.name}:${s.action}:${s.changes.map((c) => c.field).join(',')}`)
    .join('\n');
}

async function resolveSecretSpec(
  spec: SecretSpec,
  field: string,
  resolve: ApplyOptions['resolveSecret'],
  missing: Set<string>,
  problems: string[],
  readFile?: ApplyOptions['readSecretFile'],
): Promise<string | undefined> {
  if (spec.kind === 'literal') return spec.value;
  if (spec.kind === 'file') {
    if (!readFile) {
      problems.push(`${field} comes from !file ${spec.path}, which cannot be read here.`);
      return undefined;
    }
    try {
      const v = await readFile(spec.path);
      if (v === '') problems.push(`${field}: the file ${spec.path} is empty.`);
      return v || undefined;
    } catch (err) {
      problems.push(`${field}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
  let out = '';
  for (const part of spec.parts) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    if (part.extract) {
      problems.push(
        `${field}: !env ${part.env}#${part.extract} (extracting from a structured variable) is not supported here; store the plain value.`,
      );
      return undefined;
    }
    const v = await resolve(part.env);
    if (v === undefined || v === '') {
      missing.add(part.env);
      return undefined;
    }
    out += v;
  }
  return out;
}

/** Resolves the secrets of the providers the plan will create (and of all providers when re-sending). */
async function resolveSecrets(
  desired: DesiredState,
  plan: Plan,
  opts: ApplyOptions,
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const missing = new Set<string>();
  const problems: string[] = [];
  for (const step of plan.steps) {
    if (
      step.kind !== 'provider' ||
      (step.action !== 'create' && step.action !== 'update' && step.action !== 'unchanged')
    )
      continue;
    const p = desired.providers.find((d) => d.ref === step.ref);
    if (!p) continue;
    const values: Record<string, string> = {};
    for (const [field, spec] of Object.entries(p.secrets)) {
      if (step.action !== 'create' && !rotates(opts, p.ref, field)) continue;
      const v = await resolveSecretSpec(
        spec,
        `${p.name}: dcr_config.${field}`,
        opts.resolveSecret,
        missing,
        problems,
        opts.readSecretFile,
      );
      if (v !== undefined) values[field] = v;
    }
    if (Object.keys(values).length) out.set(p.ref, values);
  }
  if (missing.size || problems.length) throw new MissingSecretsError([...missing], problems);
  return out;
}

interface Describable {
  userMessage?: unknown;
  message?: unknown;
  invalidParameters?: unknown;
}

function describe(err: unknown): { message: string; fields: { field: string; reason: string }[] } {
  const e = (err && typeof err === 'object' ? err : {}) as Describable;
  const message =
    typeof e.userMessage === 'string' ? e.userMessage : typeof e.message === 'string' ? e.message : String(err);
  const fields = Array.isArray(e.invalidParameters)
    ? (e.invalidParameters as { field?: unknown; reason?: unknown }[]).map((p) => ({
        field: String(p.field ?? ''),
        reason: String(p.reason ?? ''),
      }))
    : [];
  return { message: message.split('\n')[0] ?? message, fields };
}

export async function applyConfig(
  client: KonnectClient,
  desired: DesiredState,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const planOpts = {
    signal: opts.signal,
    resendSecrets: opts.resendSecrets,
    rotate: opts.rotate,
    mode: opts.mode,
    maxItems: opts.maxItems,
    external: opts.external,
  };
  const remote = await fetchRemote(client, desired, planOpts);
  const plan = planAgainst(desired, remote, planOpts);
  const existing = (): ExistingResource[] => [
    ...matched,
    ...applied.filter((a) => a.action === 'created' || a.action === 'matched'),
  ];
  const matched: ExistingResource[] = plan.steps
    .filter((s) => s.id && s.action !== 'onlyInKonnect' && s.action !== 'conflict' && s.action !== 'delete')
    .map((s) => ({ kind: s.kind, name: s.name, id: s.id!, ref: s.ref, parentName: s.parentName }));
  const applied: AppliedStep[] = [];
  const uncertainCreates: StepKey[] = [];
  /** The earlier ones still unresolved (not found existing now) and this apply's own. */
  const maybeCreated = (): StepKey[] => {
    const exists = new Set(existing().map(keyOf));
    const out = new Map<string, StepKey>();
    for (const k of [...(opts.lookUpFirst ?? []), ...uncertainCreates])
      if (!exists.has(keyOf(k)))
        out.set(keyOf(k), { kind: k.kind, name: k.name, ...(k.parentName ? { parentName: k.parentName } : {}) });
    return [...out.values()];
  };
  if (opts.expected && signature(opts.expected) !== signature(plan)) {
    return {
      ok: false,
      plan,
      stale: true,
      cancelled: false,
      applied,
      notDone: plan.steps.filter(isWork),
      existing: existing(),
      maybeCreated: maybeCreated(),
    };
  }
  const secrets = await resolveSecrets(desired, plan, opts);
  const ctx = new Runner(client, desired, remote, secrets, opts);
  const work = plan.steps.filter(isWork);
  ctx.precheck(work);
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_APPLY_CONCURRENCY));
  const done = new Set<PlanStep>();
  let failure: { step: PlanStep; err: unknown; sent: boolean } | undefined;
  let started = 0;
  const runStep = async (step: PlanStep): Promise<void> => {
    const mark = { sent: false };
    try {
      applied.push(await ctx.run(step, mark));
      done.add(step);
    } catch (err) {
      // the first failure is the one reported, unless a later one may have created its resource (that one matters
      // more for "what exists now")
      const uncertain = isUncertain(err, mark.sent);
      if (uncertain && step.action === 'create') uncertainCreates.push(step);
      if (!failure || (uncertain && !isUncertain(failure.err, failure.sent))) failure = { step, err, sent: mark.sent };
    }
  };
  for (const wave of waves(work)) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < wave.length && !failure && !opts.signal?.aborted) {
        const step = wave[next++]!;
        opts.onProgress?.(
          started++,
          work.length,
          `${{ create: 'Creating', delete: 'Deleting' }[step.action as string] ?? 'Updating'} ${stepLabel(step)}`,
        );
        await runStep(step);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, wave.length) }, worker));
    if (failure || opts.signal?.aborted) break;
  }
  const notDone = work.filter((s) => !done.has(s));
  if (!failure && !notDone.length) {
    opts.onProgress?.(work.length, work.length, 'Done');
    return {
      ok: true,
      plan,
      stale: false,
      cancelled: false,
      applied,
      notDone: [],
      existing: existing(),
      maybeCreated: maybeCreated(),
    };
  }
  const f = failure as { step: PlanStep; err: unknown; sent: boolean } | undefined;
  const cancelled = !f || (f.err instanceof Error && f.err.name === 'AbortError');
  const uncertain = !!f && isUncertain(f.err, f.sent);
  return {
    ok: false,
    plan,
    stale: false,
    cancelled,
    applied,
    failed: !f || (cancelled && !uncertain) ? undefined : { step: f.step, ...describe(f.err), uncertain },
    notDone,
    existing: existing(),
    maybeCreated: maybeCreated(),
  };
}

/** Sent, and no usable answer came back (none at all, or a 2xx whose body could not be read): Konnect may have acted on it. */
function isUncertain(err: unknown, sent: boolean): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return (
    sent && !(err instanceof WireValidationError) && (typeof status !== 'number' || (status >= 200 && status < 300))
  );
}

/** The work in dependency order, one list per kind (plan order kept within a kind). */
function waves(work: readonly PlanStep[]): PlanStep[][] {
  const out: PlanStep[][] = [];
  for (const step of work) (out[step.action === 'delete' ? DELETE_WAVE[step.kind] : WAVE[step.kind]] ??= []).push(step);
  return out.filter((w) => w && w.length);
}

function isWork(s: PlanStep): boolean {
  return s.action === 'create' || s.action === 'update' || s.action === 'delete';
}

interface Mark {
  sent: boolean;
}

/** Carries out steps, keeping the ref → id / issuer table and the scope ids up to date. */
class Runner {
  private readonly table: RefTable = { ids: new Map(), issuers: new Map() };
  /** auth server ref → scope name → id */
  private readonly scopeIds = new Map<string, Map<string, string | undefined>>();
  private readonly call: { signal?: AbortSignal | undefined; gate: RetryGate };
  /** Creates to look up by name first (`ApplyOptions.lookUpFirst`). */
  private readonly lookUpFirst: ReadonlySet<string>;

  constructor(
    private readonly client: KonnectClient,
    private readonly desired: DesiredState,
    private readonly remote: RemoteState,
    private readonly secrets: ReadonlyMap<string, Record<string, string>>,
    private readonly opts: ApplyOptions,
  ) {
    this.call = { signal: opts.signal, gate: new RetryGate() };
    this.lookUpFirst = new Set((opts.lookUpFirst ?? []).map(keyOf));
    seedExternal(this.table, remote, opts.external);
    for (const a of desired.authServers) {
      const r = (remote.authServers ?? []).find((x) => x.name === a.name);
      if (r) {
        this.table.ids.set(a.ref, r.id);
        this.table.issuers.set(a.ref, r.issuer);
        this.scopeIds.set(a.ref, new Map((remote.scopes.get(r.id) ?? []).map((s) => [s.name, s.id])));
      } else this.scopeIds.set(a.ref, new Map());
    }
    for (const p of desired.providers) {
      const r = remote.providers.find((x) => x.name === p.name);
      if (r) this.table.ids.set(p.ref, r.id);
    }
    for (const s of desired.strategies) {
      const r = remote.strategies.find((x) => x.name === s.name);
      if (r) this.table.ids.set(s.ref, r.id);
    }
  }

  /**
   * Builds every create body once, with placeholders for what only the apply will know (new ids and issuers), so
   * that a value Konnect would refuse stops the apply before its first write, not half-way.
   */
  precheck(work: readonly PlanStep[]): void {
    const problems: string[] = [];
    const id = '00000000-0000-4000-8000-000000000000';
    const value = (v: Parameters<typeof resolveRef>[1], placeholder: string): string => {
      const r = resolveRef(this.table, v);
      return 'pending' in r ? placeholder : r.value;
    };
    const check = (build: () => unknown): void => {
      try {
        build();
      } catch (err) {
        if (err instanceof WireValidationError) problems.push(err.message);
        else throw err;
      }
    };
    for (const step of work) {
      if (step.action === 'delete') continue;
      if (step.kind === 'provider' && (step.action === 'create' || this.secrets.has(step.ref ?? ''))) {
        const p = this.find(this.desired.providers, step);
        check(() => providerCreateBody(p, value(p.issuer, 'https://pending.invalid'), this.secrets.get(p.ref) ?? {}));
      }
      if (step.action !== 'create') continue;
      if (step.kind === 'authServer') check(() => authServerCreateBody(this.find(this.desired.authServers, step)));
      if (step.kind === 'strategy') {
        const s = this.find(this.desired.strategies, step);
        check(() =>
          strategyCreateBody(
            s,
            s.issuer ? value(s.issuer, 'https://pending.invalid') : undefined,
            s.provider ? value(s.provider, id) : s.provider,
          ),
        );
      }
      const server = this.desired.authServers.find((a) => a.ref === step.parentRef);
      if (step.kind === 'scope' && server) {
        const d = server.scopes.find((x) => x.name === step.name);
        if (d) check(() => scopeCreateBody(d));
      }
      if (step.kind === 'client' && server) {
        const d = server.clients.find((x) => x.name === step.name);
        if (d)
          check(() =>
            clientCreateBody(
              d,
              d.allow_scopes?.map(() => id),
            ),
          );
      }
      if (step.kind === 'claim' && server) {
        const d = server.claims.find((x) => x.name === step.name);
        if (d)
          check(() =>
            claimCreateBody(
              d,
              d.include_in_scopes?.map(() => id),
            ),
          );
      }
    }
    if (problems.length) throw new NothingAppliedError(problems);
  }

  /** Carries out one step; `mark.sent` says whether its write (create / update) was sent. */
  async run(step: PlanStep, mark: Mark): Promise<AppliedStep> {
    if (step.action === 'delete') return this.remove(step, mark);
    switch (step.kind) {
      case 'authServer':
        return this.authServer(step, this.find(this.desired.authServers, step), mark);
      case 'scope':
        return this.scope(step, mark);
      case 'claim':
        return this.claim(step, mark);
      case 'client':
        return this.clientStep(step, mark);
      case 'provider':
        return this.provider(step, this.find(this.desired.providers, step), mark);
      case 'strategy':
        return this.strategy(step, this.find(this.desired.strategies, step), mark);
    }
  }

  /** A sync's delete: a 404 means someone (or an interrupted earlier sync) deleted it already. */
  private async remove(step: PlanStep, mark: Mark): Promise<AppliedStep> {
    const id = step.id!;
    const api =
      step.kind === 'provider'
        ? this.client.dcrProviders
        : step.kind === 'strategy'
          ? this.client.authStrategies
          : undefined;
    if (!api) throw new Error(`internal: a sync does not delete ${stepLabel(step)}`);
    mark.sent = true;
    try {
      await api.delete(id, this.call);
      return this.done(step, 'deleted', id);
    } catch (err) {
      if ((err as { status?: unknown } | null)?.status === 404) return this.done(step, 'gone', id);
      throw err;
    }
  }

  /**
   * A create, or the resource of that name when Konnect may have it already: looked up first when an earlier apply
   * sent this create without an answer, and after a 409 (the name was taken since the read). `found` says which.
   */
  private async createOrFind<F extends { name: string }, C>(
    step: PlanStep,
    mark: Mark,
    list: (query: { filter: { name: { eq: string } }; pageSize: number }) => Promise<{ data: readonly F[] }>,
    create: () => Promise<C>,
  ): Promise<{ found: F; created?: undefined } | { found?: undefined; created: C }> {
    const lookUp = async (): Promise<F | undefined> =>
      (await list({ filter: { name: { eq: step.name } }, pageSize: 10 })).data.find((x) => x.name === step.name);
    if (this.lookUpFirst.has(keyOf(step))) {
      const found = await lookUp();
      if (found) return { found };
    }
    mark.sent = true;
    try {
      return { created: await create() };
    } catch (err) {
      if ((err as { status?: unknown } | null)?.status !== 409) throw err;
      const found = await lookUp();
      if (!found) throw err;
      return { found };
    }
  }

  private find<T extends { ref: string }>(list: readonly T[], step: PlanStep): T {
    const d = list.find((x) => x.ref === step.ref);
    if (!d) throw new Error(`internal: no entry for ${stepLabel(step)}`);
    return d;
  }

  private done(step: PlanStep, action: AppliedStep['action'], id: string): AppliedStep {
    return { kind: step.kind, name: step.name, ref: step.ref, parentName: step.parentName, id, action };
  }

  private async authServer(step: PlanStep, a: DesiredAuthServer, mark: Mark): Promise<AppliedStep> {
    const api = this.client.identity.authServers;
    let r: AuthServer | undefined;
    let action: AppliedStep['action'] = 'updated';
    if (step.action === 'create') {
      const body = authServerCreateBody(a);
      const c = await this.createOrFind(
        step,
        mark,
        (q) => api.list(q, this.call),
        () => api.create(body, this.call),
      );
      r = c.found ?? c.created;
      action = c.found ? 'matched' : 'created';
    } else r = (this.remote.authServers ?? []).find((x) => x.id === step.id)!;
    if (action !== 'created') {
      const diff = diffAuthServer(a, r);
      if (diff.changes.length) {
        const body = authServerUpdateBody(a.name, diff.patch);
        mark.sent = true;
        r = await api.update(r.id, body, this.call);
      }
    }
    this.table.ids.set(a.ref, r.id);
    this.table.issuers.set(a.ref, r.issuer);
    if (action === 'matched')
      this.scopeIds.set(
        a.ref,
        new Map((await this.client.identity.scopes.listAll(r.id, {}, this.call)).map((s) => [s.name, s.id])),
      );
    return this.done(step, action, r.id);
  }

  private parent(step: PlanStep): { server: DesiredAuthServer; id: string; scopes: Map<string, string | undefined> } {
    const server = this.desired.authServers.find((a) => a.ref === step.parentRef);
    const id = step.parentRef ? this.table.ids.get(step.parentRef) : undefined;
    if (!server || !id) throw new Error(`The auth server of ${stepLabel(step)} does not exist.`);
    return { server, id, scopes: this.scopeIds.get(server.ref) ?? new Map() };
  }

  private async scope(step: PlanStep, mark: Mark): Promise<AppliedStep> {
    const { server, id, scopes } = this.parent(step);
    const d = server.scopes.find((s) => s.name === step.name)!;
    const api = this.client.identity.scopes;
    if (step.action === 'create') {
      const body = scopeCreateBody(d);
      const { found, created } = await this.createOrFind(
        step,
        mark,
        (q) => api.list(id, q, this.call),
        () => api.create(id, body, this.call),
      );
      if (!found) {
        scopes.set(d.name, created.id);
        return this.done(step, 'created', created.id);
      }
      scopes.set(d.name, found.id);
      const diff = diffScope(d, found);
      if (diff.changes.length) {
        const patch = scopeUpdateBody(d.name, diff.patch);
        mark.sent = true;
        await api.update(id, found.id, patch, this.call);
      }
      return this.done(step, 'matched', found.id);
    }
    const current = (this.remote.scopes.get(id) ?? []).find((s) => s.id === step.id)!;
    const diff = diffScope(d, current);
    const body = scopeUpdateBody(d.name, diff.patch);
    mark.sent = true;
    await api.update(id, current.id, body, this.call);
    return this.done(step, 'updated', current.id);
  }

  private async claim(step: PlanStep, mark: Mark): Promise<AppliedStep> {
    const { server, id, scopes } = this.parent(step);
    const d = server.claims.find((c) => c.name === step.name)!;
    const api = this.client.identity.claims;
    const ids = d.include_in_scopes?.map((n) => {
      const sid = scopes.get(n);
      if (!sid) throw new Error(`Claim "${d.name}": the scope "${n}" does not exist in "${server.name}".`);
      return sid;
    });
    if (step.action === 'create') {
      const body = claimCreateBody(d, ids);
      const { found, created } = await this.createOrFind(
        step,
        mark,
        (q) => api.list(id, q, this.call),
        () => api.create(id, body, this.call),
      );
      if (!found) return this.done(step, 'created', created.id);
      const diff = diffClaim(d, found, scopes);
      if (diff.changes.length) {
        const patch = claimUpdateBody(d.name, diff.patch);
        mark.sent = true;
        await api.update(id, found.id, patch, this.call);
      }
      return this.done(step, 'matched', found.id);
    }
    const current = (this.remote.claims.get(id) ?? []).find((c) => c.id === step.id)!;
    const diff = diffClaim(d, current, scopes);
    const body = claimUpdateBody(d.name, diff.patch);
    mark.sent = true;
    await api.update(id, current.id, body, this.call);
    return this.done(step, 'updated', current.id);
  }

  private async clientStep(step: PlanStep, mark: Mark): Promise<AppliedStep> {
    const { server, id, scopes } = this.parent(step);
    const d = server.clients.find((c) => c.name === step.name)!;
    const api = this.client.identity.clients;
    const ids = d.allow_scopes?.map((n) => {
      const sid = scopes.get(n);
      if (!sid) throw new Error(`Client "${d.name}": the scope "${n}" does not exist in "${server.name}".`);
      return sid;
    });
    if (step.action === 'create') {
      const body = clientCreateBody(d, ids);
      const { found, created } = await this.createOrFind(
        step,
        mark,
        (q) => api.list(id, q, this.call),
        () => api.create(id, body, this.call),
      );
      if (!found)
        return { ...this.done(step, 'created', created.id), secretKeptAs: await this.keep(server, d, created) };
      const diff = diffClient(d, found, scopes);
      if (Object.keys(diff.patch).length) {
        const patch = clientUpdateBody(d.name, diff.patch);
        mark.sent = true;
        await api.update(id, found.id, patch, this.call);
      }
      return this.done(step, 'matched', found.id);
    }
    const current = (this.remote.clients.get(id) ?? []).find((c) => c.id === step.id)!;
    const diff = diffClient(d, current, scopes);
    const body = clientUpdateBody(d.name, diff.patch);
    mark.sent = true;
    await api.update(id, current.id, body, this.call);
    return this.done(step, 'updated', current.id);
  }

  /** Hands the secret of a client just created to `keepSecret`; the name it is kept under, or null. */
  private async keep(
    server: DesiredAuthServer,
    d: { name: string },
    created: { client_secret?: unknown },
  ): Promise<string | null> {
    const secret = created.client_secret;
    if (!this.opts.keepSecret || typeof secret !== 'string' || !secret) return null;
    const name = secretVarName(`${server.ref}_${d.name}`, 'client_secret');
    try {
      await this.opts.keepSecret(name, secret);
      return name;
    } catch {
      return null;
    }
  }

  private resolved(v: Parameters<typeof resolveRef>[1], what: string): string {
    const r = resolveRef(this.table, v);
    if ('pending' in r)
      throw new Error(
        `${what}: ${v.kind === 'ref' ? `!ref ${v.ref}` : 'the reference'} could not be resolved (its resource was not created).`,
      );
    return r.value;
  }

  private async provider(step: PlanStep, p: DesiredProvider, mark: Mark): Promise<AppliedStep> {
    const api = this.client.dcrProviders;
    const secrets = this.secrets.get(p.ref);
    let r: DcrProvider | undefined;
    if (step.action === 'create') {
      const body = providerCreateBody(p, this.resolved(p.issuer, `DCR provider "${p.name}" issuer`), secrets ?? {});
      const { found, created } = await this.createOrFind(
        step,
        mark,
        (q) => api.list(q, this.call),
        () => api.create(body, this.call),
      );
      if (!found) {
        this.table.ids.set(p.ref, created.id);
        return this.done(step, 'created', created.id);
      }
      r = found;
    } else r = this.remote.providers.find((x) => x.id === step.id)!;
    this.table.ids.set(p.ref, r.id);
    const diff = diffProvider(
      p,
      r,
      this.table,
      (k) => step.action === 'create' || rotates(this.opts, p.ref, k),
      secrets,
    );
    if (Object.keys(diff.patch).length) {
      const body = providerUpdateBody(p.name, diff.patch);
      mark.sent = true;
      await api.update(r.id, body, this.call);
    }
    return this.done(step, step.action === 'create' ? 'matched' : 'updated', r.id);
  }

  private async strategy(step: PlanStep, s: DesiredStrategy, mark: Mark): Promise<AppliedStep> {
    const api = this.client.authStrategies;
    let r: AppAuthStrategy | undefined;
    if (step.action === 'create') {
      const issuer = s.issuer ? this.resolved(s.issuer, `auth strategy "${s.name}" issuer`) : undefined;
      const provider = s.provider ? this.resolved(s.provider, `auth strategy "${s.name}" dcr_provider_id`) : s.provider;
      const body = strategyCreateBody(s, issuer, provider);
      const { found, created } = await this.createOrFind(
        step,
        mark,
        (q) => api.list(q, this.call),
        () => api.create(body, this.call),
      );
      if (!found) {
        this.table.ids.set(s.ref, created.id);
        return this.done(step, 'created', created.id);
      }
      r = found;
    } else r = this.remote.strategies.find((x) => x.id === step.id)!;
    this.table.ids.set(s.ref, r.id);
    const diff = diffStrategy(s, r, this.table);
    if (Object.keys(diff.patch).length) {
      const body = strategyUpdateBody(s.name, diff.patch);
      mark.sent = true;
      await api.update(r.id, body, this.call);
    }
    return this.done(step, step.action === 'create' ? 'matched' : 'updated', r.id);
  }
}
