/**
 * Kong Identity from the editor: create / edit / delete auth servers, scopes and claims, a `kongIdentity` DCR
 * provider for an auth server, and the guided seed (auth server → scope → claim → DCR provider → strategy → publish →
 * Prove DCR). Quick inputs and picks go through `Prompts` (ids `identity.*`), so in-host tests script them; every
 * flow also takes an argument object instead of asking. Loaded on the first identity command.
 */
import * as vscode from 'vscode';
import * as z from 'zod';
import type { KonnectClient } from '../../core/api/client';
import {
  CLAIM_PRESETS,
  changedFields,
  checkIdentityName,
  runKongIdentitySetup,
  suggestAudience,
  type KongIdentityPlan,
  type KongIdentitySetup,
  type SetupProgress,
} from '../../core/identity/setup';
import type {
  AuthServer,
  Claim,
  CreateClaimRequest,
  Scope,
  UpdateAuthServerRequest,
  UpdateClaimRequest,
  UpdateScopeRequest,
} from '../../core/model/kongIdentity';
import { SIGNING_ALGORITHMS } from '../../core/model/kongIdentity';
import type { ActiveSession } from '../auth/session';
import type { CommandContext } from '../commands/context';
import { toAbortSignal } from '../platform/errorBoundary';
import { ProveCommands } from '../prove/ids';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const cancelled = (): Error => Object.assign(new Error('cancelled'), { name: 'AbortError' });

async function session(ctx: CommandContext): Promise<ActiveSession> {
  const s = await ctx.session.active();
  if (!s) throw new Error('Sign in to Konnect first.');
  return s;
}

/** Cancellable notification progress around one Konnect write. */
function withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Konnect DCR: ${title}`, cancellable: true },
    (_p, token) => work(toAbortSignal(token)),
  );
}

async function ask(
  ctx: CommandContext,
  id: string,
  title: string,
  options: vscode.InputBoxOptions = {},
): Promise<string> {
  const v = await ctx.prompts.input(id, { title: `Konnect DCR: ${title}`, ignoreFocusOut: true, ...options });
  if (v === undefined) throw cancelled();
  return v.trim();
}

async function choose<T extends vscode.QuickPickItem>(
  ctx: CommandContext,
  id: string,
  title: string,
  items: readonly T[],
): Promise<T> {
  const pick = await ctx.prompts.pick(id, items, {
    title: `Konnect DCR: ${title}`,
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!pick) throw cancelled();
  return pick;
}

const required =
  (what: string) =>
  (v: string): string | undefined =>
    v.trim() ? undefined : `Enter the ${what}`;

/** The auth server a node is about (auth server, its groups, scopes, claims, clients), an id, or a pick. */
async function authServerFor(ctx: CommandContext, s: ActiveSession, arg: unknown, title: string): Promise<AuthServer> {
  if (isObj(arg) && isObj(arg['authServer']) && typeof arg['authServer']['id'] === 'string')
    return arg['authServer'] as unknown as AuthServer;
  const id =
    typeof arg === 'string'
      ? arg
      : isObj(arg) && typeof arg['authServerId'] === 'string'
        ? arg['authServerId']
        : undefined;
  if (id) return s.client.identity.authServers.get(id);
  const servers = await s.client.identity.authServers.listAll({}, { maxItems: 500 });
  if (!servers.length)
    throw new Error('There is no Kong Identity auth server yet: create one first ("New Kong Identity Auth Server…").');
  return (
    await choose(
      ctx,
      'identity.authServer',
      title,
      servers.map((a) => ({ label: a.name, description: a.issuer, detail: a.id, server: a })),
    )
  ).server;
}

async function refreshIdentity(ctx: CommandContext): Promise<void> {
  await ctx.model.refresh(['identity']);
}

// ----------------------------------------------------------------------------------------------------- auth servers

const AuthServerValues = z.strictObject({
  name: z.string().min(1).optional(),
  audience: z.string().min(1).optional(),
  description: z.string().optional(),
  signing_algorithm: z.enum(SIGNING_ALGORITHMS).optional(),
});

export async function newAuthServer(ctx: CommandContext, arg?: unknown): Promise<AuthServer> {
  const s = await session(ctx);
  const given = AuthServerValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  const name =
    given.name ??
    (await ask(ctx, 'identity.authServer.name', 'New Kong Identity auth server (1/3): name', {
      placeHolder: 'e.g. orders-auth',
      validateInput: required('name'),
    }));
  const audience =
    given.audience ??
    (await ask(ctx, 'identity.authServer.audience', 'New Kong Identity auth server (2/3): audience', {
      prompt: 'Becomes the "aud" claim of its access tokens: usually the URL of the API the tokens are for.',
      value: suggestAudience(name),
      validateInput: required('audience'),
    }));
  const description =
    given.description ??
    (given.name
      ? ''
      : await ask(
          ctx,
          'identity.authServer.description',
          'New Kong Identity auth server (3/3): description (optional)',
        ));
  const created = await withProgress(`creating auth server "${name}"…`, (signal) =>
    s.client.identity.authServers.create(
      {
        name,
        audience,
        ...(description ? { description } : {}),
        ...(given.signing_algorithm ? { signing_algorithm: given.signing_algorithm } : {}),
      },
      { signal },
    ),
  );
  ctx.log.info(`created Kong Identity auth server "${created.name}" (${created.id}), issuer ${created.issuer}`);
  ctx.prompts.notify('info', `Created auth server "${created.name}". Its issuer: ${created.issuer}`);
  await refreshIdentity(ctx);
  return created;
}

export async function editAuthServer(ctx: CommandContext, arg?: unknown): Promise<AuthServer | undefined> {
  const s = await session(ctx);
  const current = await authServerFor(ctx, s, arg, 'Edit which auth server?');
  let next = AuthServerValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  if (!Object.keys(next).length) {
    const field = await choose(ctx, 'identity.authServer.field', `Edit auth server "${current.name}": which field?`, [
      { label: 'Name', description: current.name, key: 'name' as const },
      { label: 'Audience', description: current.audience, key: 'audience' as const },
      { label: 'Description', description: current.description || '—', key: 'description' as const },
      { label: 'Signing algorithm', description: current.signing_algorithm, key: 'signing_algorithm' as const },
    ]);
    if (field.key === 'signing_algorithm') {
      const alg = await choose(
        ctx,
        'identity.authServer.signingAlgorithm',
        'Signing algorithm of the access tokens',
        SIGNING_ALGORITHMS.map((a) => ({ label: a, description: a === current.signing_algorithm ? 'current' : '' })),
      );
      next = { signing_algorithm: alg.label as (typeof SIGNING_ALGORITHMS)[number] };
    } else {
      const value = await ask(
        ctx,
        `identity.authServer.${field.key}`,
        `Auth server "${current.name}": ${field.label.toLowerCase()}`,
        {
          value: current[field.key] ?? '',
          ...(field.key === 'description' ? {} : { validateInput: required(field.label.toLowerCase()) }),
        },
      );
      next = { [field.key]: value };
    }
  }
  const body = changedFields<UpdateAuthServerRequest>(
    {
      name: current.name,
      audience: current.audience,
      description: current.description,
      signing_algorithm: current.signing_algorithm,
    },
    next,
  );
  if (!Object.keys(body).length) {
    ctx.prompts.notify('info', `Auth server "${current.name}": nothing changed.`);
    return current;
  }
  const updated = await withProgress(`updating auth server "${current.name}"…`, (signal) =>
    s.client.identity.authServers.update(current.id, body, { signal }),
  );
  ctx.log.info(`updated auth server "${updated.name}" (${updated.id}): ${Object.keys(body).join(', ')}`);
  ctx.prompts.notify('info', `Updated auth server "${updated.name}" (${Object.keys(body).join(', ')}).`);
  await refreshIdentity(ctx);
  return updated;
}

// ------------------------------------------------------------------------------------------------------------ scopes

const ScopeValues = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  default: z.boolean().optional(),
  include_in_metadata: z.boolean().optional(),
  enabled: z.boolean().optional(),
});

export async function newScope(ctx: CommandContext, arg?: unknown): Promise<Scope> {
  const s = await session(ctx);
  const server = await authServerFor(ctx, s, arg, 'Add a scope to which auth server?');
  const given = ScopeValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  let name = given.name;
  if (!name) {
    const preset = await choose(ctx, 'identity.scope.preset', `New scope of "${server.name}"`, [
      { label: 'openid', description: 'the OpenID Connect scope (the Kong Identity how-to asks for it)' },
      { label: 'Custom scope…', description: 'e.g. orders:read' },
    ]);
    name =
      preset.label === 'openid'
        ? 'openid'
        : await ask(ctx, 'identity.scope.name', `New scope of "${server.name}": name`, {
            placeHolder: 'orders:read',
            validateInput: (v) => checkIdentityName('scope', v),
          });
  }
  const problem = checkIdentityName('scope', name);
  if (problem) throw new Error(problem);
  const description =
    given.description ??
    (given.name ? undefined : await ask(ctx, 'identity.scope.description', `Scope "${name}": description (optional)`));
  const created = await withProgress(`adding scope "${name}" to "${server.name}"…`, (signal) =>
    s.client.identity.scopes.create(
      server.id,
      {
        name,
        enabled: true,
        ...(description ? { description } : {}),
        ...(given.default !== undefined ? { default: given.default } : {}),
        ...(given.include_in_metadata !== undefined ? { include_in_metadata: given.include_in_metadata } : {}),
      },
      { signal },
    ),
  );
  ctx.log.info(`created scope "${created.name}" (${created.id}) on auth server ${server.id}`);
  ctx.prompts.notify('info', `Added scope "${created.name}" to auth server "${server.name}".`);
  await refreshIdentity(ctx);
  return created;
}

/** A scope or claim node (or `{authServerId, scopeId|claimId}`). */
function childOf(arg: unknown, kind: 'scope' | 'claim'): { authServerId: string; id: string } | undefined {
  if (!isObj(arg)) return undefined;
  if (arg['kind'] === kind && isObj(arg['authServer']) && isObj(arg[kind]))
    return { authServerId: String(arg['authServer']['id']), id: String(arg[kind]['id']) };
  const idKey = `${kind}Id`;
  if (typeof arg['authServerId'] === 'string' && typeof arg[idKey] === 'string')
    return { authServerId: arg['authServerId'], id: arg[idKey] };
  return undefined;
}

async function pickChild(
  ctx: CommandContext,
  s: ActiveSession,
  arg: unknown,
  kind: 'scope' | 'claim',
): Promise<{ authServerId: string; id: string }> {
  const found = childOf(arg, kind);
  if (found) return found;
  const server = await authServerFor(ctx, s, arg, `Which auth server's ${kind}?`);
  const list =
    kind === 'scope'
      ? await s.client.identity.scopes.listAll(server.id, {}, { maxItems: 500 })
      : await s.client.identity.claims.listAll(server.id, {}, { maxItems: 500 });
  if (!list.length) throw new Error(`Auth server "${server.name}" has no ${kind}s.`);
  const pick = await choose(
    ctx,
    `identity.${kind}`,
    `Which ${kind} of "${server.name}"?`,
    list.map((x) => ({ label: x.name, detail: x.id, id: x.id })),
  );
  return { authServerId: server.id, id: pick.id };
}

type Toggle<T> = { label: string; description: string; key: keyof T; toggle?: boolean };

export async function editScope(ctx: CommandContext, arg?: unknown): Promise<Scope> {
  const s = await session(ctx);
  const ref = await pickChild(ctx, s, arg, 'scope');
  const current = await s.client.identity.scopes.get(ref.authServerId, ref.id);
  let next = ScopeValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  if (!Object.keys(next).length) {
    const onOff = (b: boolean): string => (b ? 'on: pick to turn off' : 'off: pick to turn on');
    const items: (vscode.QuickPickItem & Toggle<UpdateScopeRequest>)[] = [
      { label: 'Name', description: current.name, key: 'name' },
      { label: 'Description', description: current.description || '—', key: 'description' },
      { label: 'Enabled', description: onOff(current.enabled), key: 'enabled', toggle: true },
      { label: 'Default', description: onOff(current.default), key: 'default', toggle: true },
      {
        label: 'Include in metadata',
        description: onOff(current.include_in_metadata),
        key: 'include_in_metadata',
        toggle: true,
      },
    ];
    const field = await choose(ctx, 'identity.scope.field', `Edit scope "${current.name}": which field?`, items);
    if (field.toggle) next = { [field.key]: !current[field.key as 'enabled' | 'default' | 'include_in_metadata'] };
    else
      next = {
        [field.key]: await ask(
          ctx,
          `identity.scope.${String(field.key)}`,
          `Scope "${current.name}": ${field.label.toLowerCase()}`,
          {
            value: String(current[field.key as 'name' | 'description'] ?? ''),
            ...(field.key === 'name' ? { validateInput: (v: string) => checkIdentityName('scope', v) } : {}),
          },
        ),
      };
  }
  const body = changedFields<UpdateScopeRequest>(current, next);
  if (!Object.keys(body).length) {
    ctx.prompts.notify('info', `Scope "${current.name}": nothing changed.`);
    return current;
  }
  const updated = await withProgress(`updating scope "${current.name}"…`, (signal) =>
    s.client.identity.scopes.update(ref.authServerId, ref.id, body, { signal }),
  );
  ctx.prompts.notify('info', `Updated scope "${updated.name}" (${Object.keys(body).join(', ')}).`);
  await refreshIdentity(ctx);
  return updated;
}

// ------------------------------------------------------------------------------------------------------------ claims

const ClaimValues = z.strictObject({
  name: z.string().min(1).optional(),
  value: z.string().min(1).optional(),
  include_in_token: z.boolean().optional(),
  include_in_all_scopes: z.boolean().optional(),
  include_in_scopes: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
});

export async function newClaim(ctx: CommandContext, arg?: unknown): Promise<Claim> {
  const s = await session(ctx);
  const server = await authServerFor(ctx, s, arg, 'Add a claim to which auth server?');
  const given = ClaimValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  let name = given.name;
  let value = given.value;
  if (!name || !value) {
    const preset = await choose(ctx, 'identity.claim.preset', `New claim of "${server.name}"`, [
      ...CLAIM_PRESETS.map((p) => ({ label: p.name, description: p.value, detail: p.description })),
      {
        label: 'Custom claim…',
        description: 'a static value or a ${ … } template',
        detail: 'Templates: .Client.ID, .Client.Name, .Client.Labels.<key>, .AuthServer.Audience, uuidv4, now…',
      },
    ]);
    const p = CLAIM_PRESETS.find((x) => x.name === preset.label);
    name =
      p?.name ??
      (await ask(ctx, 'identity.claim.name', `New claim of "${server.name}": name`, {
        placeHolder: 'tenant',
        validateInput: (v) => checkIdentityName('claim', v),
      }));
    value =
      p?.value ??
      (await ask(ctx, 'identity.claim.value', `Claim "${name}": value`, {
        prompt: 'A static value, or a template such as ${ .Client.Labels.tenant }',
        validateInput: required('value'),
      }));
  }
  const problem = checkIdentityName('claim', name);
  if (problem) throw new Error(problem);
  const body: CreateClaimRequest = {
    name,
    value,
    include_in_token: given.include_in_token ?? true,
    include_in_all_scopes: given.include_in_scopes?.length ? false : (given.include_in_all_scopes ?? true),
    enabled: given.enabled ?? true,
    ...(given.include_in_scopes ? { include_in_scopes: given.include_in_scopes } : {}),
  };
  const created = await withProgress(`adding claim "${name}" to "${server.name}"…`, (signal) =>
    s.client.identity.claims.create(server.id, body, { signal }),
  );
  ctx.log.info(`created claim "${created.name}" (${created.id}) on auth server ${server.id}`);
  ctx.prompts.notify(
    'info',
    `Added claim "${created.name}" = ${created.value} to auth server "${server.name}" (in every token).`,
  );
  await refreshIdentity(ctx);
  return created;
}

export async function editClaim(ctx: CommandContext, arg?: unknown): Promise<Claim> {
  const s = await session(ctx);
  const ref = await pickChild(ctx, s, arg, 'claim');
  const current = await s.client.identity.claims.get(ref.authServerId, ref.id);
  let next = ClaimValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  if (!Object.keys(next).length) {
    const onOff = (b: boolean): string => (b ? 'on: pick to turn off' : 'off: pick to turn on');
    const items: (vscode.QuickPickItem & Toggle<UpdateClaimRequest>)[] = [
      { label: 'Value', description: current.value, key: 'value' },
      { label: 'Name', description: current.name, key: 'name' },
      {
        label: 'Include in token',
        description: onOff(current.include_in_token),
        key: 'include_in_token',
        toggle: true,
      },
      {
        label: 'Include in all scopes',
        description: onOff(current.include_in_all_scopes),
        key: 'include_in_all_scopes',
        toggle: true,
      },
      { label: 'Enabled', description: onOff(current.enabled), key: 'enabled', toggle: true },
    ];
    const field = await choose(ctx, 'identity.claim.field', `Edit claim "${current.name}": which field?`, items);
    if (field.toggle)
      next = { [field.key]: !current[field.key as 'include_in_token' | 'include_in_all_scopes' | 'enabled'] };
    else
      next = {
        [field.key]: await ask(
          ctx,
          `identity.claim.${String(field.key)}`,
          `Claim "${current.name}": ${field.label.toLowerCase()}`,
          {
            value: String(current[field.key as 'name' | 'value']),
            validateInput: field.key === 'name' ? (v) => checkIdentityName('claim', v) : required('value'),
          },
        ),
      };
  }
  const body = changedFields<UpdateClaimRequest>(current, next);
  if (!Object.keys(body).length) {
    ctx.prompts.notify('info', `Claim "${current.name}": nothing changed.`);
    return current;
  }
  const updated = await withProgress(`updating claim "${current.name}"…`, (signal) =>
    s.client.identity.claims.update(ref.authServerId, ref.id, body, { signal }),
  );
  ctx.prompts.notify('info', `Updated claim "${updated.name}" (${Object.keys(body).join(', ')}).`);
  await refreshIdentity(ctx);
  return updated;
}

// ------------------------------------------------------------------------------------------------------------ delete

export interface IdentityDeleteOutcome {
  readonly deleted: boolean;
  readonly message?: string;
}

/** Deletes a scope or a claim, or an auth server with everything in it (Konnect's `force=true`), after a confirmation. */
export async function deleteIdentityItem(ctx: CommandContext, arg?: unknown): Promise<IdentityDeleteOutcome> {
  const s = await session(ctx);
  const kind = isObj(arg) ? arg['kind'] : undefined;
  if (kind !== 'scope' && kind !== 'claim' && kind !== 'authServer')
    throw new TypeError('Delete runs on a Kong Identity auth server, scope or claim in the tree');
  const node = arg as Obj;
  const server = node['authServer'] as AuthServer;
  let message: string;
  try {
    if (kind === 'authServer') {
      const [scopes, claims, clients] = await Promise.all([
        s.client.identity.scopes.list(server.id, { pageSize: 1 }),
        s.client.identity.claims.list(server.id, { pageSize: 1 }),
        s.client.identity.clients.list(server.id, { pageSize: 1 }),
      ]);
      const counts = [
        [scopes.meta.page.total, 'scope'],
        [claims.meta.page.total, 'claim'],
        [clients.meta.page.total, 'client'],
      ]
        .filter(([n]) => Number(n) > 0)
        .map(([n, w]) => `${n} ${w}${n === 1 ? '' : 's'}`);
      const ok = await ctx.prompts.confirm(
        'identity.delete.authServer',
        `Delete auth server "${server.name}"${counts.length ? ' and everything in it' : ''}?`,
        `This deletes it in Konnect (connection "${s.info.name}")${counts.length ? `, with its ${counts.join(', ')}` : ''}. DCR providers with its issuer stop working. This cannot be undone.`,
        'Delete',
      );
      if (!ok) return { deleted: false };
      await withProgress(`deleting auth server "${server.name}"…`, (signal) =>
        s.client.identity.authServers.delete(server.id, { force: counts.length > 0 }, { signal }),
      );
      message = `Deleted auth server "${server.name}"${counts.length ? ` with its ${counts.join(', ')}` : ''}.`;
    } else {
      const item = node[kind] as Scope | Claim;
      const ok = await ctx.prompts.confirm(
        `identity.delete.${kind}`,
        `Delete ${kind} "${item.name}" of "${server.name}"?`,
        kind === 'scope'
          ? 'Clients allowed this scope lose it; strategies that list it will ask for a scope the auth server no longer has.'
          : 'Tokens no longer carry this claim: a strategy using it as its credential claim stops working.',
        'Delete',
      );
      if (!ok) return { deleted: false };
      await withProgress(`deleting ${kind} "${item.name}"…`, (signal) =>
        (kind === 'scope' ? s.client.identity.scopes : s.client.identity.claims).delete(server.id, item.id, { signal }),
      );
      message = `Deleted ${kind} "${item.name}" of auth server "${server.name}".`;
    }
  } catch (err) {
    if ((err as { name?: unknown }).name === 'AbortError') throw err;
    message = `Could not delete: ${(err as { userMessage?: string }).userMessage ?? (err instanceof Error ? err.message : String(err))}`;
    ctx.log.warn(message, err);
    ctx.prompts.notify('error', message);
    return { deleted: false, message };
  }
  ctx.log.info(message);
  ctx.prompts.notify('info', message);
  await refreshIdentity(ctx);
  return { deleted: true, message };
}

// --------------------------------------------------------------------------------------------- kongIdentity provider

/**
 * "New DCR Provider" of type kongIdentity for an auth server: the provider form with the type, auth server and issuer
 * filled in when the form command is there; otherwise a name prompt and the provider is created at once.
 */
export async function newKongIdentityProvider(ctx: CommandContext, arg?: unknown): Promise<unknown> {
  const s = await session(ctx);
  const server = await authServerFor(ctx, s, arg, 'A DCR provider for which auth server?');
  const direct = isObj(arg) && arg['form'] === false;
  if (!direct && (await vscode.commands.getCommands(true)).includes('konnectDcr.newProvider')) {
    return vscode.commands.executeCommand('konnectDcr.newProvider', {
      values: {
        providerType: 'kongIdentity',
        authServerId: server.id,
        issuer: server.issuer,
        name: `${server.name}-dcr`,
      },
    });
  }
  const name =
    isObj(arg) && typeof arg['name'] === 'string'
      ? arg['name']
      : await ask(ctx, 'identity.provider.name', `New Kong Identity DCR provider for "${server.name}": name`, {
          value: `${server.name}-dcr`,
          validateInput: required('name'),
        });
  const created = await withProgress(`creating DCR provider "${name}"…`, (signal) =>
    s.client.dcrProviders.create({ name, provider_type: 'kongIdentity', issuer: server.issuer }, { signal }),
  );
  ctx.log.info(`created kongIdentity DCR provider "${created.name}" (${created.id}) with issuer ${created.issuer}`);
  ctx.prompts.notify('info', `Created DCR provider "${created.name}" (Kong Identity, issuer ${created.issuer}).`);
  await ctx.model.refresh(['catalog']);
  return created;
}

// ---------------------------------------------------------------------------------------------------- guided setup

const ExistingRef = z.strictObject({ id: z.string().min(1) });
/** Answers a caller may give the guided setup instead of being asked (any left out are asked). */
export const GuidedAnswersSchema = z.strictObject({
  authServer: z
    .union([ExistingRef, z.strictObject({ name: z.string().min(1), audience: z.string().min(1).optional() })])
    .optional(),
  scope: z.union([ExistingRef, z.strictObject({ name: z.string().min(1) })]).optional(),
  /** null: no extra claim. */
  claim: z
    .union([ExistingRef, z.strictObject({ name: z.string().min(1), value: z.string().min(1) }), z.null()])
    .optional(),
  credentialClaim: z.string().min(1).optional(),
  providerName: z.string().min(1).optional(),
  strategyName: z.string().min(1).optional(),
  api: z.union([ExistingRef, z.strictObject({ name: z.string().min(1), version: z.string().optional() })]).optional(),
  portal: z.union([ExistingRef, z.strictObject({ name: z.string().min(1) })]).optional(),
  gatewayService: z.strictObject({ controlPlaneId: z.string().min(1), serviceId: z.string().min(1) }).optional(),
  /** Options handed to Prove DCR at the end (gatewayUrl, keepApp, show…); false: do not prove. */
  prove: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
});
export type GuidedAnswers = z.infer<typeof GuidedAnswersSchema>;

export interface GuidedOutcome {
  readonly setup: Omit<KongIdentitySetup, 'steps'> & { readonly steps: readonly SetupProgress[] };
  readonly report?: unknown;
}

const NEW = '$(add) ';

async function planFromAnswers(
  ctx: CommandContext,
  client: KonnectClient,
  a: GuidedAnswers,
): Promise<KongIdentityPlan> {
  const T = (n: number, what: string): string => `Set up Kong Identity DCR (${n}/7): ${what}`;

  // 1. auth server
  let authServer: KongIdentityPlan['authServer'];
  let serverName: string;
  let existingServer: AuthServer | undefined;
  if (a.authServer && 'id' in a.authServer) {
    existingServer = await client.identity.authServers.get(a.authServer.id);
    authServer = { id: existingServer.id };
    serverName = existingServer.name;
  } else if (a.authServer) {
    serverName = a.authServer.name;
    authServer = {
      create: { name: a.authServer.name, audience: a.authServer.audience ?? suggestAudience(a.authServer.name) },
    };
  } else {
    const servers = await client.identity.authServers.listAll({}, { maxItems: 500 });
    const pick = await choose(ctx, 'identity.guided.authServer', T(1, 'auth server'), [
      { label: `${NEW}New auth server…`, description: 'create one' },
      ...servers.map((x) => ({
        label: x.name,
        description: x.issuer,
        detail: x.id,
        server: x as AuthServer | undefined,
      })),
    ]);
    if ('server' in pick && pick.server) {
      existingServer = pick.server;
      authServer = { id: pick.server.id };
      serverName = pick.server.name;
    } else {
      serverName = await ask(ctx, 'identity.authServer.name', T(1, 'new auth server name'), {
        placeHolder: 'e.g. orders-auth',
        validateInput: required('name'),
      });
      const audience = await ask(ctx, 'identity.authServer.audience', T(1, `audience of "${serverName}"`), {
        prompt: 'The "aud" claim of its tokens.',
        value: suggestAudience(serverName),
        validateInput: required('audience'),
      });
      authServer = { create: { name: serverName, audience } };
    }
  }

  // 2. scope
  let scope: KongIdentityPlan['scope'];
  if (a.scope) scope = 'id' in a.scope ? { id: a.scope.id } : { create: { name: a.scope.name } };
  else {
    const existing = existingServer
      ? await client.identity.scopes.listAll(existingServer.id, {}, { maxItems: 500 })
      : [];
    const pick = await choose(ctx, 'identity.guided.scope', T(2, 'the scope the strategy asks for'), [
      ...existing.map((x) => ({
        label: x.name,
        description: x.enabled ? 'existing scope' : 'existing scope (disabled: will be enabled)',
        id: x.id as string | undefined,
      })),
      ...(existing.some((x) => x.name === 'openid')
        ? []
        : [{ label: 'openid', description: 'create it: the OpenID Connect scope' }]),
      { label: `${NEW}Custom scope…`, description: 'create one, e.g. orders:read' },
    ]);
    if ('id' in pick && pick.id) scope = { id: pick.id };
    else if (pick.label === 'openid') scope = { create: { name: 'openid', description: 'OpenID Connect' } };
    else
      scope = {
        create: {
          name: await ask(ctx, 'identity.scope.name', T(2, 'custom scope name'), {
            placeHolder: 'orders:read',
            validateInput: (v) => checkIdentityName('scope', v),
          }),
        },
      };
  }

  // 3. claim
  let claim: KongIdentityPlan['claim'];
  let claimName: string | undefined;
  if (a.claim === null) claim = undefined;
  else if (a.claim) {
    claim = 'id' in a.claim ? { id: a.claim.id } : { create: { name: a.claim.name, value: a.claim.value } };
    claimName = 'name' in a.claim ? a.claim.name : undefined;
  } else {
    const pick = await choose(ctx, 'identity.guided.claim', T(3, 'a claim for the tokens'), [
      ...CLAIM_PRESETS.filter((p) => p.name !== 'sub').map((p) => ({
        label: p.name,
        description: p.value,
        detail: p.description,
      })),
      {
        label: 'No extra claim',
        description: 'tokens carry the client id in sub anyway',
        detail: 'Kong Identity puts the client id in `sub`',
      },
      { label: `${NEW}Custom claim…`, description: 'a static value or a ${ … } template' },
    ]);
    const preset = CLAIM_PRESETS.find((p) => p.name === pick.label);
    if (preset) {
      claim = { create: { name: preset.name, value: preset.value } };
      claimName = preset.name;
    } else if (pick.label === 'No extra claim') claim = undefined;
    else {
      claimName = await ask(ctx, 'identity.claim.name', T(3, 'claim name'), {
        validateInput: (v) => checkIdentityName('claim', v),
      });
      claim = {
        create: {
          name: claimName,
          value: await ask(ctx, 'identity.claim.value', T(3, `value of "${claimName}"`), {
            validateInput: required('value'),
          }),
        },
      };
    }
  }

  // 4. credential claim, provider and strategy names
  let credentialClaim = a.credentialClaim;
  if (!credentialClaim) {
    const pick = await choose(
      ctx,
      'identity.guided.credentialClaim',
      T(4, 'the credential claim (which claim names the application to the gateway)'),
      [
        { label: 'sub', description: "the client id (Kong Identity's default)" },
        ...(claimName && claimName !== 'sub' ? [{ label: claimName, description: 'the claim added in step 3' }] : []),
      ],
    );
    credentialClaim = pick.label;
  }
  const providerName =
    a.providerName ??
    (await ask(ctx, 'identity.guided.providerName', T(5, 'DCR provider name'), {
      value: `${serverName}-dcr`,
      validateInput: required('name'),
    }));
  const strategyName =
    a.strategyName ??
    (await ask(ctx, 'identity.guided.strategyName', T(5, 'auth strategy name'), {
      value: `${serverName}-strategy`,
      validateInput: required('name'),
    }));

  // 6. API (and, for a new one, its Gateway Service)
  let api: KongIdentityPlan['api'];
  let gatewayService = a.gatewayService;
  if (a.api) api = 'id' in a.api ? { id: a.api.id } : { create: { name: a.api.name, version: a.api.version } };
  else {
    const apis = await client.apis.listAll({}, { maxItems: 500 });
    const pick = await choose(ctx, 'identity.guided.api', T(6, 'the API to publish with the strategy'), [
      { label: `${NEW}New API…`, description: 'create one' },
      ...apis.map((x) => ({
        label: x.name,
        description: x.version ?? '',
        detail: x.id,
        id: x.id as string | undefined,
      })),
    ]);
    if ('id' in pick && pick.id) api = { id: pick.id };
    else {
      const name = await ask(ctx, 'identity.guided.apiName', T(6, 'new API name'), {
        placeHolder: 'orders',
        validateInput: required('name'),
      });
      const version = await ask(ctx, 'identity.guided.apiVersion', T(6, `version of "${name}" (optional)`), {
        value: 'v1',
      });
      api = { create: { name, version: version || undefined } };
      // a real gateway enforces the strategy only on an API linked to a Gateway Service
      const link = await choose(ctx, 'identity.guided.gatewayService', T(6, `link "${name}" to a Gateway Service?`), [
        {
          label: 'Not now',
          description: 'link it in Konnect later (API → Gateway Service); the gateway enforces the strategy only then',
        },
        { label: 'Link a Gateway Service…', description: 'give its control plane id and service id' },
      ]);
      if (link.label !== 'Not now') {
        const controlPlaneId = await ask(
          ctx,
          'identity.guided.controlPlaneId',
          T(6, 'control plane id of the Gateway Service'),
          { validateInput: required('control plane id') },
        );
        const serviceId = await ask(ctx, 'identity.guided.serviceId', T(6, 'Gateway Service id'), {
          validateInput: required('service id'),
        });
        gatewayService = { controlPlaneId, serviceId };
      }
    }
  }

  // 7. portal
  let portal: KongIdentityPlan['portal'];
  if (a.portal) portal = 'id' in a.portal ? { id: a.portal.id } : { create: { name: a.portal.name } };
  else {
    const portals = await client.portals.listAll({}, { maxItems: 500 });
    const pick = await choose(ctx, 'identity.guided.portal', T(7, 'the portal to publish in'), [
      { label: `${NEW}New portal…`, description: 'create one (applications auto-approved)' },
      ...portals.map((x) => ({
        label: x.display_name || x.name,
        description: x.default_domain,
        detail: x.id,
        id: x.id as string | undefined,
      })),
    ]);
    if ('id' in pick && pick.id) portal = { id: pick.id };
    else
      portal = {
        create: {
          name: await ask(ctx, 'identity.guided.portalName', T(7, 'new portal name'), {
            value: `${serverName}-portal`,
            validateInput: required('name'),
          }),
        },
      };
  }

  return {
    authServer,
    scope,
    claim,
    api,
    portal,
    provider: { create: { name: providerName } },
    strategy: { create: { name: strategyName, credential_claim: [credentialClaim] } },
    ...(gatewayService ? { gatewayService } : {}),
  };
}

const PART_LABELS: Record<SetupProgress['part'], string> = {
  authServer: 'auth server',
  scope: 'scope',
  claim: 'claim',
  provider: 'DCR provider',
  strategy: 'auth strategy',
  api: 'API',
  portal: 'portal',
  publication: 'publication',
};

/** The guided Kong Identity seed: asks (or takes) every choice, creates what is missing, publishes, then proves. */
export async function guidedSetup(ctx: CommandContext, arg?: unknown): Promise<GuidedOutcome | undefined> {
  const s = await session(ctx);
  const answers = GuidedAnswersSchema.parse(isObj(arg) ? arg : {});
  const plan = await planFromAnswers(ctx, s.client, answers);
  const setup = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Konnect DCR: setting up Kong Identity DCR',
      cancellable: true,
    },
    (progress, token) =>
      runKongIdentitySetup(s.client, plan, toAbortSignal(token), (p) => {
        progress.report({ message: `${p.action} ${PART_LABELS[p.part]} ${p.name}`, increment: 100 / 8 });
        ctx.log.info(`guided setup: ${p.action} ${PART_LABELS[p.part]} "${p.name}"${p.id ? ` (${p.id})` : ''}`);
      }),
  );
  await Promise.all([ctx.model.refresh(['identity']), ctx.model.refresh(['catalog'])]);
  const created = setup.steps.filter((x) => x.action === 'created').map((x) => PART_LABELS[x.part]);
  ctx.prompts.notify(
    'info',
    `Kong Identity DCR is set up: ${created.length ? `created ${created.join(', ')}` : 'everything existed'}; "${setup.api.name}" is published to "${setup.portal.name}" with "${setup.strategy.name}".`,
  );
  let report: unknown;
  if (answers.prove !== false) {
    report = await vscode.commands.executeCommand(ProveCommands.prove, {
      ...(answers.prove ?? {}),
      strategy: setup.strategy.id,
      apiId: setup.api.id,
      portalId: setup.portal.id,
    });
  }
  return { setup, report };
}
