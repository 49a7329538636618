/**
 * Kong Identity from the editor: create / edit / delete auth servers, scopes and claims, a `kongIdentity` DCR
 * provider for an auth server, and the guided seed (auth server → scope → claim → DCR provider → strategy → publish →
 * Prove DCR). Quick inputs and picks go through `Prompts` (ids `identity.*`), so in-host tests script them; every
 * flow also takes an argument object instead of asking. Loaded on the first identity command.
 */
import * as vscode from 'vscode';
import * as z from 'zod';
import type { KonnectClient } from '../../core/api/client';
import { isKonnectError } from '../../core/api/errors';
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
import { secretVarName } from '../../core/config/tags';
import type {
  AuthServer,
  Claim,
  Client,
  CreateClaimRequest,
  Scope,
  UpdateClientRequest,
  UpdateAuthServerRequest,
  UpdateClaimRequest,
  UpdateScopeRequest,
} from '../../core/model/kongIdentity';
import { SIGNING_ALGORITHMS } from '../../core/model/kongIdentity';
import type { ActiveSession } from '../auth/session';
import type { CommandContext } from '../commands/context';
import { ConfigSecrets } from '../config/secrets';
import { toAbortSignal } from '../platform/errorBoundary';
import { ProveCommands } from '../prove/ids';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const cancelled = (): Error => Object.assign(new Error('cancelled'), { name: 'AbortError' });

export async function session(ctx: CommandContext): Promise<ActiveSession> {
  const s = await ctx.session.active();
  if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
  return s;
}

/** Cancellable notification progress around one Konnect write. */
function withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Konnect DCR: {0}', title),
      cancellable: true,
    },
    (_p, token) => work(toAbortSignal(token)),
  );
}

async function ask(
  ctx: CommandContext,
  id: string,
  title: string,
  options: vscode.InputBoxOptions = {},
): Promise<string> {
  const v = await ctx.prompts.input(id, {
    title: vscode.l10n.t('Konnect DCR: {0}', title),
    ignoreFocusOut: true,
    ...options,
  });
  if (v === undefined) throw cancelled();
  return v.trim();
}

export async function choose<T extends vscode.QuickPickItem>(
  ctx: CommandContext,
  id: string,
  title: string,
  items: readonly T[],
): Promise<T> {
  const pick = await ctx.prompts.pick(id, items, {
    title: vscode.l10n.t('Konnect DCR: {0}', title),
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!pick) throw cancelled();
  return pick;
}

const required =
  (what: string) =>
  (v: string): string | undefined =>
    v.trim() ? undefined : vscode.l10n.t('Enter the {0}', what);

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
    throw new Error(
      vscode.l10n.t('There is no Kong Identity auth server yet: create one first ("New Kong Identity Auth Server…").'),
    );
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
    (await ask(ctx, 'identity.authServer.name', vscode.l10n.t('New Kong Identity auth server (1/3): name'), {
      placeHolder: vscode.l10n.t('e.g. orders-auth'),
      validateInput: required(vscode.l10n.t('name')),
    }));
  const audience =
    given.audience ??
    (await ask(ctx, 'identity.authServer.audience', vscode.l10n.t('New Kong Identity auth server (2/3): audience'), {
      prompt: vscode.l10n.t(
        'Becomes the "aud" claim of its access tokens: usually the URL of the API the tokens are for.',
      ),
      value: suggestAudience(name),
      validateInput: required(vscode.l10n.t('audience')),
    }));
  const description =
    given.description ??
    (given.name
      ? ''
      : await ask(
          ctx,
          'identity.authServer.description',
          vscode.l10n.t('New Kong Identity auth server (3/3): description (optional)'),
        ));
  const created = await withProgress(vscode.l10n.t('creating auth server "{0}"…', name), (signal) =>
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
  ctx.prompts.notify('info', vscode.l10n.t('Created auth server "{0}". Its issuer: {1}', created.name, created.issuer));
  await refreshIdentity(ctx);
  return created;
}

export async function editAuthServer(ctx: CommandContext, arg?: unknown): Promise<AuthServer | undefined> {
  const s = await session(ctx);
  const current = await authServerFor(ctx, s, arg, vscode.l10n.t('Edit which auth server?'));
  let next = AuthServerValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  if (!Object.keys(next).length) {
    const field = await choose(
      ctx,
      'identity.authServer.field',
      vscode.l10n.t('Edit auth server "{0}": which field?', current.name),
      [
        { label: vscode.l10n.t('Name'), description: current.name, key: 'name' as const },
        { label: vscode.l10n.t('Audience'), description: current.audience, key: 'audience' as const },
        { label: vscode.l10n.t('Description'), description: current.description || '—', key: 'description' as const },
        {
          label: vscode.l10n.t('Signing algorithm'),
          description: current.signing_algorithm,
          key: 'signing_algorithm' as const,
        },
      ],
    );
    if (field.key === 'signing_algorithm') {
      const alg = await choose(
        ctx,
        'identity.authServer.signingAlgorithm',
        vscode.l10n.t('Signing algorithm of the access tokens'),
        SIGNING_ALGORITHMS.map((a) => ({
          label: a,
          description: a === current.signing_algorithm ? vscode.l10n.t('current') : '',
        })),
      );
      next = { signing_algorithm: alg.label as (typeof SIGNING_ALGORITHMS)[number] };
    } else {
      const value = await ask(
        ctx,
        `identity.authServer.${field.key}`,
        vscode.l10n.t('Auth server "{0}": {1}', current.name, field.label.toLowerCase()),
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
    ctx.prompts.notify('info', vscode.l10n.t('Auth server "{0}": nothing changed.', current.name));
    return current;
  }
  const updated = await withProgress(vscode.l10n.t('updating auth server "{0}"…', current.name), (signal) =>
    s.client.identity.authServers.update(current.id, body, { signal }),
  );
  ctx.log.info(`updated auth server "${updated.name}" (${updated.id}): ${Object.keys(body).join(', ')}`);
  ctx.prompts.notify(
    'info',
    vscode.l10n.t('Updated auth server "{0}" ({1}).', updated.name, Object.keys(body).join(', ')),
  );
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
  const server = await authServerFor(ctx, s, arg, vscode.l10n.t('Add a scope to which auth server?'));
  const given = ScopeValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  let name = given.name;
  if (!name) {
    const preset = await choose(ctx, 'identity.scope.preset', vscode.l10n.t('New scope of "{0}"', server.name), [
      {
        label: 'openid',
        description: vscode.l10n.t('the OpenID Connect scope (the Kong Identity how-to asks for it)'),
      },
      { label: vscode.l10n.t('Custom scope…'), description: vscode.l10n.t('e.g. orders:read') },
    ]);
    name =
      preset.label === 'openid'
        ? 'openid'
        : await ask(ctx, 'identity.scope.name', vscode.l10n.t('New scope of "{0}": name', server.name), {
            placeHolder: 'orders:read',
            validateInput: (v) => checkIdentityName('scope', v),
          });
  }
  const problem = checkIdentityName('scope', name);
  if (problem) throw new Error(problem);
  const description =
    given.description ??
    (given.name
      ? undefined
      : await ask(ctx, 'identity.scope.description', vscode.l10n.t('Scope "{0}": description (optional)', name)));
  const created = await withProgress(vscode.l10n.t('adding scope "{0}" to "{1}"…', name, server.name), (signal) =>
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
  ctx.prompts.notify('info', vscode.l10n.t('Added scope "{0}" to auth server "{1}".', created.name, server.name));
  await refreshIdentity(ctx);
  return created;
}

type ChildKind = 'scope' | 'claim' | 'client';

/** A scope, claim or client node (or `{authServerId, scopeId|claimId|clientId}`). */
function childOf(arg: unknown, kind: ChildKind): { authServerId: string; id: string } | undefined {
  if (!isObj(arg)) return undefined;
  if (arg['kind'] === kind && isObj(arg['authServer']) && isObj(arg[kind]))
    return { authServerId: String(arg['authServer']['id']), id: String(arg[kind]['id']) };
  const idKey = `${kind}Id`;
  if (typeof arg['authServerId'] === 'string' && typeof arg[idKey] === 'string')
    return { authServerId: arg['authServerId'], id: arg[idKey] };
  return undefined;
}

export async function pickChild(
  ctx: CommandContext,
  s: ActiveSession,
  arg: unknown,
  kind: ChildKind,
): Promise<{ authServerId: string; id: string }> {
  const found = childOf(arg, kind);
  if (found) return found;
  const server = await authServerFor(ctx, s, arg, vscode.l10n.t("Which auth server's {0}?", kind));
  const api = { scope: s.client.identity.scopes, claim: s.client.identity.claims, client: s.client.identity.clients }[
    kind
  ];
  const list: readonly { id: string; name: string }[] = await api.listAll(server.id, {}, { maxItems: 500 });
  if (!list.length)
    throw new Error(
      {
        scope: vscode.l10n.t('Auth server "{0}" has no scopes.', server.name),
        claim: vscode.l10n.t('Auth server "{0}" has no claims.', server.name),
        client: vscode.l10n.t('Auth server "{0}" has no clients.', server.name),
      }[kind],
    );
  const pick = await choose(
    ctx,
    `identity.${kind}`,
    vscode.l10n.t('Which {0} of "{1}"?', kind, server.name),
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
    const onOff = (b: boolean): string =>
      b ? vscode.l10n.t('on: pick to turn off') : vscode.l10n.t('off: pick to turn on');
    const items: (vscode.QuickPickItem & Toggle<UpdateScopeRequest>)[] = [
      { label: vscode.l10n.t('Name'), description: current.name, key: 'name' },
      { label: vscode.l10n.t('Description'), description: current.description || '—', key: 'description' },
      { label: vscode.l10n.t('Enabled'), description: onOff(current.enabled), key: 'enabled', toggle: true },
      { label: vscode.l10n.t('Default'), description: onOff(current.default), key: 'default', toggle: true },
      {
        label: vscode.l10n.t('Include in metadata'),
        description: onOff(current.include_in_metadata),
        key: 'include_in_metadata',
        toggle: true,
      },
    ];
    const field = await choose(
      ctx,
      'identity.scope.field',
      vscode.l10n.t('Edit scope "{0}": which field?', current.name),
      items,
    );
    if (field.toggle) next = { [field.key]: !current[field.key as 'enabled' | 'default' | 'include_in_metadata'] };
    else
      next = {
        [field.key]: await ask(
          ctx,
          `identity.scope.${String(field.key)}`,
          vscode.l10n.t('Scope "{0}": {1}', current.name, field.label.toLowerCase()),
          {
            value: String(current[field.key as 'name' | 'description'] ?? ''),
            ...(field.key === 'name' ? { validateInput: (v: string) => checkIdentityName('scope', v) } : {}),
          },
        ),
      };
  }
  const body = changedFields<UpdateScopeRequest>(current, next);
  if (!Object.keys(body).length) {
    ctx.prompts.notify('info', vscode.l10n.t('Scope "{0}": nothing changed.', current.name));
    return current;
  }
  const updated = await withProgress(vscode.l10n.t('updating scope "{0}"…', current.name), (signal) =>
    s.client.identity.scopes.update(ref.authServerId, ref.id, body, { signal }),
  );
  ctx.prompts.notify('info', vscode.l10n.t('Updated scope "{0}" ({1}).', updated.name, Object.keys(body).join(', ')));
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
  const server = await authServerFor(ctx, s, arg, vscode.l10n.t('Add a claim to which auth server?'));
  const given = ClaimValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  let name = given.name;
  let value = given.value;
  if (!name || !value) {
    const preset = await choose(ctx, 'identity.claim.preset', vscode.l10n.t('New claim of "{0}"', server.name), [
      ...CLAIM_PRESETS.map((p) => ({ label: p.name, description: p.value, detail: p.description })),
      {
        label: vscode.l10n.t('Custom claim…'),
        description: vscode.l10n.t('a static value or a ${ … } template'),
        detail: vscode.l10n.t(
          'Templates: .Client.ID, .Client.Name, .Client.Labels.<key>, .AuthServer.Audience, uuidv4, now…',
        ),
      },
    ]);
    const p = CLAIM_PRESETS.find((x) => x.name === preset.label);
    name =
      p?.name ??
      (await ask(ctx, 'identity.claim.name', vscode.l10n.t('New claim of "{0}": name', server.name), {
        placeHolder: 'tenant',
        validateInput: (v) => checkIdentityName('claim', v),
      }));
    value =
      p?.value ??
      (await ask(ctx, 'identity.claim.value', vscode.l10n.t('Claim "{0}": value', name), {
        prompt: vscode.l10n.t('A static value, or a template such as ${ .Client.Labels.tenant }'),
        validateInput: required(vscode.l10n.t('value')),
      }));
    // a custom template: offer Konnect's rendering of it for a client before saving
    if (!p) value = await reviewClaimValue(ctx, server, name, value);
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
  const created = await withProgress(vscode.l10n.t('adding claim "{0}" to "{1}"…', name, server.name), (signal) =>
    s.client.identity.claims.create(server.id, body, { signal }),
  );
  ctx.log.info(`created claim "${created.name}" (${created.id}) on auth server ${server.id}`);
  ctx.prompts.notify(
    'info',
    vscode.l10n.t(
      'Added claim "{0}" = {1} to auth server "{2}" (in every token).',
      created.name,
      created.value,
      server.name,
    ),
  );
  await refreshIdentity(ctx);
  return created;
}

/**
 * The step before a claim's value is saved (Add Claim… with a custom template, Edit Claim… of the value): save it,
 * preview it for a client with Konnect's test-claim (no token is issued), or change it and come back here.
 * Returns the value to save.
 */
async function reviewClaimValue(ctx: CommandContext, server: AuthServer, name: string, value: string): Promise<string> {
  for (;;) {
    const step = await choose(ctx, 'identity.claim.save', vscode.l10n.t('Claim "{0}" = {1}', name, value), [
      { label: vscode.l10n.t('Save claim'), action: 'save' },
      {
        label: vscode.l10n.t('Preview for a client…'),
        description: vscode.l10n.t("Konnect's test-claim renders the template; no token is issued"),
        action: 'preview',
      },
      { label: vscode.l10n.t('Change the value…'), action: 'edit' },
    ]);
    if (step.action === 'save') return value;
    if (step.action === 'edit')
      value = await ask(ctx, 'identity.claim.value', vscode.l10n.t('Claim "{0}": value', name), {
        value,
        validateInput: required(vscode.l10n.t('value')),
      });
    else
      await previewClaim(ctx, { authServer: server, name, value }).catch((err: unknown) => {
        if (err instanceof Error && err.name === 'AbortError') return;
        ctx.prompts.notify('warning', err instanceof Error ? err.message : String(err));
      });
  }
}

export async function editClaim(ctx: CommandContext, arg?: unknown): Promise<Claim> {
  const s = await session(ctx);
  const ref = await pickChild(ctx, s, arg, 'claim');
  const current = await s.client.identity.claims.get(ref.authServerId, ref.id);
  let next = ClaimValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  if (!Object.keys(next).length) {
    const onOff = (b: boolean): string =>
      b ? vscode.l10n.t('on: pick to turn off') : vscode.l10n.t('off: pick to turn on');
    const items: (vscode.QuickPickItem & Toggle<UpdateClaimRequest>)[] = [
      { label: vscode.l10n.t('Value'), description: current.value, key: 'value' },
      { label: vscode.l10n.t('Name'), description: current.name, key: 'name' },
      {
        label: vscode.l10n.t('Include in token'),
        description: onOff(current.include_in_token),
        key: 'include_in_token',
        toggle: true,
      },
      {
        label: vscode.l10n.t('Include in all scopes'),
        description: onOff(current.include_in_all_scopes),
        key: 'include_in_all_scopes',
        toggle: true,
      },
      { label: vscode.l10n.t('Enabled'), description: onOff(current.enabled), key: 'enabled', toggle: true },
    ];
    const field = await choose(
      ctx,
      'identity.claim.field',
      vscode.l10n.t('Edit claim "{0}": which field?', current.name),
      items,
    );
    if (field.toggle)
      next = { [field.key]: !current[field.key as 'include_in_token' | 'include_in_all_scopes' | 'enabled'] };
    else if (field.key === 'value') {
      const value = await ask(ctx, 'identity.claim.value', vscode.l10n.t('Claim "{0}": value', current.name), {
        value: current.value,
        validateInput: required(vscode.l10n.t('value')),
      });
      // the same step as Add Claim…: Konnect's rendering of the new value for a client before it is saved
      const server = await authServerFor(ctx, s, isObj(arg) && isObj(arg['authServer']) ? arg : ref.authServerId, '');
      next = { value: await reviewClaimValue(ctx, server, current.name, value) };
    } else
      next = {
        name: await ask(ctx, 'identity.claim.name', vscode.l10n.t('Claim "{0}": name', current.name), {
          value: current.name,
          validateInput: (v) => checkIdentityName('claim', v),
        }),
      };
  }
  const body = changedFields<UpdateClaimRequest>(current, next);
  if (!Object.keys(body).length) {
    ctx.prompts.notify('info', vscode.l10n.t('Claim "{0}": nothing changed.', current.name));
    return current;
  }
  const updated = await withProgress(vscode.l10n.t('updating claim "{0}"…', current.name), (signal) =>
    s.client.identity.claims.update(ref.authServerId, ref.id, body, { signal }),
  );
  ctx.prompts.notify('info', vscode.l10n.t('Updated claim "{0}" ({1}).', updated.name, Object.keys(body).join(', ')));
  await refreshIdentity(ctx);
  return updated;
}

// ----------------------------------------------------------------------------------------------------------- clients

const ClientValues = z.strictObject({
  name: z.string().min(1).optional(),
  grant_types: z
    .array(z.enum(['client_credentials', 'implicit']))
    .min(1)
    .optional(),
  allow_all_scopes: z.boolean().optional(),
  /** Scope names (the flows send their ids). */
  scopes: z.array(z.string()).optional(),
  access_token_duration: z.number().int().min(60).max(2_592_000).optional(),
  token_endpoint_auth_method: z.enum(['client_secret_post', 'none']).optional(),
});
type ClientValues = z.infer<typeof ClientValues>;

const durationProblem = (v: string): string | undefined =>
  /^\d+$/.test(v.trim()) && Number(v) >= 60 && Number(v) <= 2_592_000
    ? undefined
    : vscode.l10n.t('A whole number of seconds from 60 to 2592000 (30 days)');

async function askGrantTypes(
  ctx: CommandContext,
  name: string,
  current: readonly string[],
): Promise<Client['grant_types']> {
  const picked = await ctx.prompts.pickMany(
    'identity.client.grantTypes',
    [
      {
        label: 'client_credentials',
        description: vscode.l10n.t('machine to machine: what DCR applications use'),
        picked: current.includes('client_credentials'),
      },
      { label: 'implicit', description: vscode.l10n.t('browser apps'), picked: current.includes('implicit') },
    ],
    { title: vscode.l10n.t('Konnect DCR: client "{0}": grant types', name), ignoreFocusOut: true },
  );
  if (!picked) throw cancelled();
  if (!picked.length) throw new Error(vscode.l10n.t('A client needs at least one grant type.'));
  return picked.map((p) => p.label as Client['grant_types'][number]);
}

/** The scopes a client may ask for: all of the auth server's, or the ones picked (their ids). */
async function askScopes(
  ctx: CommandContext,
  s: ActiveSession,
  server: AuthServer,
  name: string,
  current: { all: boolean; ids: readonly string[] },
): Promise<{ allow_all_scopes: boolean; allow_scopes: string[] }> {
  const scopes = await s.client.identity.scopes.listAll(server.id, {}, { maxItems: 500 });
  const ALL = vscode.l10n.t('All scopes of "{0}"', server.name);
  const picked = await ctx.prompts.pickMany(
    'identity.client.scopes',
    [
      { label: ALL, description: vscode.l10n.t('also the ones added later'), picked: current.all },
      ...scopes.map((x) => ({
        label: x.name,
        description: x.description,
        picked: current.ids.includes(x.id),
        id: x.id,
      })),
    ],
    { title: vscode.l10n.t('Konnect DCR: client "{0}": allowed scopes', name), ignoreFocusOut: true },
  );
  if (!picked) throw cancelled();
  if (picked.some((p) => p.label === ALL)) return { allow_all_scopes: true, allow_scopes: [] };
  return { allow_all_scopes: false, allow_scopes: picked.flatMap((p) => ('id' in p && p.id ? [p.id] : [])) };
}

function scopeIds(names: readonly string[], scopes: readonly Scope[], server: AuthServer): string[] {
  return names.map((n) => {
    const found = scopes.find((x) => x.name === n);
    if (!found) throw new Error(vscode.l10n.t('Auth server "{0}" has no scope "{1}".', server.name, n));
    return found.id;
  });
}

/** What a new client\'s secret is kept as in SecretStorage (the config secrets, so requests and YAML can use it). */
export function clientSecretName(server: AuthServer, clientName: string): string {
  return secretVarName(`${server.name}_${clientName}`, 'client_secret');
}

export interface NewClientOutcome {
  readonly client: Client;
  /** The SecretStorage name of its secret (absent for `token_endpoint_auth_method: none`). */
  readonly secretName?: string;
}

/**
 * "Add Client…": name, grant types, allowed scopes, access token duration and token endpoint auth method. Konnect
 * returns the secret once: it goes straight to SecretStorage (the config secrets) and is never shown in a message.
 */
export async function newClient(ctx: CommandContext, arg?: unknown): Promise<NewClientOutcome> {
  const s = await session(ctx);
  const server = await authServerFor(ctx, s, arg, vscode.l10n.t('Add a client to which auth server?'));
  const given: ClientValues = ClientValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  const scripted = isObj(arg) && isObj(arg['values']);
  const name =
    given.name ??
    (await ask(ctx, 'identity.client.name', vscode.l10n.t('New client of "{0}" (1/5): name', server.name), {
      placeHolder: vscode.l10n.t('e.g. orders-batch'),
      validateInput: required(vscode.l10n.t('name')),
    }));
  const grant_types =
    given.grant_types ?? (scripted ? ['client_credentials'] : await askGrantTypes(ctx, name, ['client_credentials']));
  const scopes =
    given.scopes !== undefined || given.allow_all_scopes !== undefined || scripted
      ? {
          allow_all_scopes: given.allow_all_scopes ?? false,
          allow_scopes: scopeIds(
            given.scopes ?? [],
            await s.client.identity.scopes.listAll(server.id, {}, { maxItems: 500 }),
            server,
          ),
        }
      : await askScopes(ctx, s, server, name, { all: false, ids: [] });
  const access_token_duration =
    given.access_token_duration ??
    (scripted
      ? 300
      : Number(
          await ask(ctx, 'identity.client.duration', vscode.l10n.t('Client "{0}": access token lifetime (s)', name), {
            value: '300',
            validateInput: durationProblem,
          }),
        ));
  const token_endpoint_auth_method =
    given.token_endpoint_auth_method ??
    (scripted
      ? 'client_secret_post'
      : (
          await choose(ctx, 'identity.client.authMethod', vscode.l10n.t('Client "{0}": token endpoint auth', name), [
            {
              label: 'client_secret_post',
              description: vscode.l10n.t('the secret in the token request body'),
              method: 'client_secret_post' as const,
            },
            { label: 'none', description: vscode.l10n.t('public client: no secret'), method: 'none' as const },
          ])
        ).method);
  const created = await withProgress(vscode.l10n.t('adding client "{0}" to "{1}"…', name, server.name), (signal) =>
    s.client.identity.clients.create(
      server.id,
      // the token response type goes with both grant types a Kong Identity client can have
      { name, grant_types, response_types: ['token'], ...scopes, access_token_duration, token_endpoint_auth_method },
      { signal },
    ),
  );
  const { client_secret: secret, ...client } = created;
  let secretName: string | undefined;
  if (secret && token_endpoint_auth_method !== 'none') {
    secretName = clientSecretName(server, client.name);
    await new ConfigSecrets(ctx.secrets, ctx.globalState, process.env, (v) => ctx.redactor.add(v)).store(
      secretName,
      secret,
    );
  }
  ctx.log.info(`created client "${client.name}" (${client.id}) on auth server ${server.id}`);
  ctx.prompts.notify(
    'info',
    secretName
      ? vscode.l10n.t(
          'Added client "{0}" ({1}) to auth server "{2}". Konnect showed its secret once: it is in VS Code\'s SecretStorage as {3} (`!secret {source: !env {3}}` in YAML).',
          client.name,
          client.id,
          server.name,
          secretName,
        )
      : vscode.l10n.t('Added client "{0}" ({1}) to auth server "{2}".', client.name, client.id, server.name),
  );
  await refreshIdentity(ctx);
  return secretName ? { client, secretName } : { client };
}

/** "Edit Client…": one field at a time (name, grant types, allowed scopes, token lifetime, token endpoint auth). */
export async function editClient(ctx: CommandContext, arg?: unknown): Promise<Client> {
  const s = await session(ctx);
  const ref = await pickChild(ctx, s, arg, 'client');
  const [server, current] = await Promise.all([
    s.client.identity.authServers.get(ref.authServerId),
    s.client.identity.clients.get(ref.authServerId, ref.id),
  ]);
  const given = ClientValues.parse(isObj(arg) && isObj(arg['values']) ? arg['values'] : {});
  let next: UpdateClientRequest = {
    ...(given.name ? { name: given.name } : {}),
    ...(given.grant_types ? { grant_types: given.grant_types } : {}),
    ...(given.allow_all_scopes !== undefined ? { allow_all_scopes: given.allow_all_scopes } : {}),
    ...(given.scopes
      ? {
          allow_scopes: scopeIds(
            given.scopes,
            await s.client.identity.scopes.listAll(server.id, {}, { maxItems: 500 }),
            server,
          ),
        }
      : {}),
    ...(given.access_token_duration ? { access_token_duration: given.access_token_duration } : {}),
    ...(given.token_endpoint_auth_method ? { token_endpoint_auth_method: given.token_endpoint_auth_method } : {}),
  };
  if (!Object.keys(next).length) {
    const field = await choose(
      ctx,
      'identity.client.field',
      vscode.l10n.t('Edit client "{0}": which field?', current.name),
      [
        { label: vscode.l10n.t('Name'), description: current.name, key: 'name' },
        { label: vscode.l10n.t('Grant types'), description: current.grant_types.join(', '), key: 'grant_types' },
        {
          label: vscode.l10n.t('Allowed scopes'),
          description: current.allow_all_scopes
            ? vscode.l10n.t('all')
            : vscode.l10n.t('{0} picked', current.allow_scopes.length),
          key: 'scopes',
        },
        {
          label: vscode.l10n.t('Access token lifetime (s)'),
          description: String(current.access_token_duration),
          key: 'access_token_duration',
        },
        {
          label: vscode.l10n.t('Token endpoint auth'),
          description: current.token_endpoint_auth_method ?? 'client_secret_post',
          key: 'token_endpoint_auth_method',
        },
      ],
    );
    if (field.key === 'name')
      next = {
        name: await ask(ctx, 'identity.client.name', vscode.l10n.t('Client "{0}": name', current.name), {
          value: current.name,
          validateInput: required(vscode.l10n.t('name')),
        }),
      };
    else if (field.key === 'grant_types')
      next = { grant_types: await askGrantTypes(ctx, current.name, current.grant_types) };
    else if (field.key === 'scopes')
      next = await askScopes(ctx, s, server, current.name, {
        all: current.allow_all_scopes,
        ids: current.allow_scopes,
      });
    else if (field.key === 'access_token_duration')
      next = {
        access_token_duration: Number(
          await ask(
            ctx,
            'identity.client.duration',
            vscode.l10n.t('Client "{0}": access token lifetime (s)', current.name),
            { value: String(current.access_token_duration), validateInput: durationProblem },
          ),
        ),
      };
    else
      next = {
        token_endpoint_auth_method: (
          await choose(
            ctx,
            'identity.client.authMethod',
            vscode.l10n.t('Client "{0}": token endpoint auth', current.name),
            [
              { label: 'client_secret_post', method: 'client_secret_post' as const },
              { label: 'none', description: vscode.l10n.t('public client: no secret'), method: 'none' as const },
            ],
          )
        ).method,
      };
  }
  const body = changedFields<UpdateClientRequest>(current as UpdateClientRequest, next);
  if (!Object.keys(body).length) {
    ctx.prompts.notify('info', vscode.l10n.t('Client "{0}": nothing changed.', current.name));
    return current;
  }
  const updated = await withProgress(vscode.l10n.t('updating client "{0}"…', current.name), (signal) =>
    s.client.identity.clients.update(ref.authServerId, ref.id, body, { signal }),
  );
  ctx.log.info(`updated client ${updated.id} on auth server ${server.id}: ${Object.keys(body).join(', ')}`);
  ctx.prompts.notify('info', vscode.l10n.t('Updated client "{0}" ({1}).', updated.name, Object.keys(body).join(', ')));
  await refreshIdentity(ctx);
  return updated;
}

// ------------------------------------------------------------------------------------------------------ claim preview

/** The scheme of the read-only claim previews (JSON with a comment header, kept in memory). */
export const CLAIM_PREVIEW_SCHEME = 'konnect-dcr-claim-preview';

class ClaimPreviews implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? `// ${vscode.l10n.t('This claim preview is no longer available.')}\n`;
  }
}

let previews: ClaimPreviews | undefined;
let previewCount = 0;
/** Registered on the first preview; lives as long as the extension host (there is one provider). */
function claimPreviews(): ClaimPreviews {
  if (!previews) {
    previews = new ClaimPreviews();
    vscode.workspace.registerTextDocumentContentProvider(CLAIM_PREVIEW_SCHEME, previews);
  }
  return previews;
}

/** What "Preview Claim…" showed: the document, and the value Konnect rendered or its error message. */
export interface ClaimPreviewOutcome {
  readonly uri: string;
  readonly text: string;
  readonly clientId: string;
  /** The claim as a token for this client would carry it (absent when Konnect refused the template). */
  readonly value?: unknown;
  /** Konnect's message when it could not render the template. */
  readonly error?: string;
}

/** The claim to preview: a claim node, `{ authServerId, claimId }`, or an unsaved `{ authServerId, name, value }`. */
async function claimToPreview(
  ctx: CommandContext,
  s: ActiveSession,
  arg: unknown,
): Promise<{ server: AuthServer; name: string; value: string }> {
  if (isObj(arg) && typeof arg['name'] === 'string' && typeof arg['value'] === 'string') {
    const server = await authServerFor(ctx, s, arg, vscode.l10n.t('Preview a claim of which auth server?'));
    return { server, name: arg['name'], value: arg['value'] };
  }
  if (isObj(arg) && isObj(arg['claim']) && isObj(arg['authServer']))
    return {
      server: arg['authServer'] as unknown as AuthServer,
      name: String(arg['claim']['name']),
      value: String(arg['claim']['value']),
    };
  const ref = await pickChild(ctx, s, arg, 'claim');
  const [server, claim] = await Promise.all([
    s.client.identity.authServers.get(ref.authServerId),
    s.client.identity.claims.get(ref.authServerId, ref.id),
  ]);
  return { server, name: claim.name, value: claim.value };
}

/**
 * "Preview Claim…": asks for a client of the auth server and shows the claim as a token for that client would carry
 * it, rendered by Konnect's test-claim (no token is issued). A template Konnect refuses shows Konnect's message.
 */
export async function previewClaim(ctx: CommandContext, arg?: unknown): Promise<ClaimPreviewOutcome> {
  const s = await session(ctx);
  const { server, name, value } = await claimToPreview(ctx, s, arg);
  let clientId = isObj(arg) && typeof arg['clientId'] === 'string' ? arg['clientId'] : undefined;
  let clientName = clientId ?? '';
  if (!clientId) {
    const clients = await s.client.identity.clients.listAll(server.id, {}, { maxItems: 500 });
    if (!clients.length)
      throw new Error(
        vscode.l10n.t(
          'Auth server "{0}" has no clients yet: a claim is rendered per client, so add a client (or register an application) to preview it.',
          server.name,
        ),
      );
    const pick = await choose(
      ctx,
      'identity.preview.client',
      vscode.l10n.t('Preview claim "{0}" for which client of "{1}"?', name, server.name),
      clients.map((c) => ({ label: c.name, description: c.id, client: c })),
    );
    clientId = pick.client.id;
    clientName = pick.client.name;
  }
  const header = [
    `// ${vscode.l10n.t('Claim "{0}" of auth server "{1}"', name, server.name)}`,
    `// ${vscode.l10n.t('for client "{0}" ({1})', clientName, clientId)}`,
    `// ${vscode.l10n.t("as Konnect's test-claim renders it (no token was issued).")}`,
    `// ${vscode.l10n.t('Template: {0}', value)}`,
  ];
  let text: string;
  let outcome: { value: unknown } | { error: string };
  try {
    // one short read: progress in the status bar, not a notification that outlives the answer
    const rendered = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('previewing claim "{0}"…', name) },
      () => s.client.identity.clients.testClaims(server.id, clientId, { [name]: value }),
    );
    outcome = { value: rendered[name] };
    text = `${header.join('\n')}\n${JSON.stringify({ [name]: rendered[name] }, null, 2)}\n`;
  } catch (err) {
    if (!isKonnectError(err) || err.kind !== 'api') throw err;
    outcome = { error: err.userMessage };
    text = `${header.join('\n')}\n// ${vscode.l10n.t('Konnect could not render the template:')}\n// ${err.userMessage.replace(/\n/g, ' ')}\n`;
  }
  // a new address per preview: an open document of the same address would be refreshed only later
  const uri = vscode.Uri.from({
    scheme: CLAIM_PREVIEW_SCHEME,
    query: `n=${++previewCount}`,
    path: `/${encodeURIComponent(server.id)}/${encodeURIComponent(clientId)}/${name.replace(/[^\w.-]+/g, '-') || 'claim'}.jsonc`,
  });
  claimPreviews().set(uri, text);
  let doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== 'jsonc') doc = await vscode.languages.setTextDocumentLanguage(doc, 'jsonc');
  await vscode.window.showTextDocument(doc, { preview: true });
  ctx.log.info(
    `previewed claim "${name}" of auth server ${server.id} for client ${clientId}: ${'error' in outcome ? 'refused' : 'rendered'}`,
  );
  return { uri: uri.toString(), text, clientId, ...outcome };
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
  if (kind !== 'scope' && kind !== 'claim' && kind !== 'client' && kind !== 'authServer')
    throw new TypeError('Delete runs on a Kong Identity auth server, scope, claim or client in the tree');
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
      const count = (n: number, one: string, many: string): string | undefined =>
        n > 0 ? (n === 1 ? one : many) : undefined;
      const counts = [
        count(scopes.meta.page.total, vscode.l10n.t('1 scope'), vscode.l10n.t('{0} scopes', scopes.meta.page.total)),
        count(claims.meta.page.total, vscode.l10n.t('1 claim'), vscode.l10n.t('{0} claims', claims.meta.page.total)),
        count(
          clients.meta.page.total,
          vscode.l10n.t('1 client'),
          vscode.l10n.t('{0} clients', clients.meta.page.total),
        ),
      ].filter((x): x is string => x !== undefined);
      const ok = await ctx.prompts.confirm(
        'identity.delete.authServer',
        counts.length
          ? vscode.l10n.t('Delete auth server "{0}" and everything in it?', server.name)
          : vscode.l10n.t('Delete auth server "{0}"?', server.name),
        counts.length
          ? vscode.l10n.t(
              'This deletes it in Konnect (connection "{0}"), with its {1}. DCR providers with its issuer stop working. This cannot be undone.',
              s.info.name,
              counts.join(', '),
            )
          : vscode.l10n.t(
              'This deletes it in Konnect (connection "{0}"). DCR providers with its issuer stop working. This cannot be undone.',
              s.info.name,
            ),
        vscode.l10n.t('Delete'),
      );
      if (!ok) return { deleted: false };
      await withProgress(vscode.l10n.t('deleting auth server "{0}"…', server.name), (signal) =>
        s.client.identity.authServers.delete(server.id, { force: counts.length > 0 }, { signal }),
      );
      message = counts.length
        ? vscode.l10n.t('Deleted auth server "{0}" with its {1}.', server.name, counts.join(', '))
        : vscode.l10n.t('Deleted auth server "{0}".', server.name);
    } else {
      const item = node[kind] as Scope | Claim | Client;
      const ok = await ctx.prompts.confirm(
        `identity.delete.${kind}`,
        vscode.l10n.t('Delete {0} "{1}" of "{2}"?', kind, item.name, server.name),
        {
          scope: vscode.l10n.t(
            'Clients allowed this scope lose it; strategies that list it will ask for a scope the auth server no longer has.',
          ),
          claim: vscode.l10n.t(
            'Tokens no longer carry this claim: a strategy using it as its credential claim stops working.',
          ),
          client: vscode.l10n.t(
            'Client ID {0} can no longer get tokens: a portal application linked to it stops working. This cannot be undone.',
            item.id,
          ),
        }[kind],
        vscode.l10n.t('Delete'),
      );
      if (!ok) return { deleted: false };
      const api = {
        scope: s.client.identity.scopes,
        claim: s.client.identity.claims,
        client: s.client.identity.clients,
      }[kind];
      await withProgress(vscode.l10n.t('deleting {0} "{1}"…', kind, item.name), (signal) =>
        api.delete(server.id, item.id, { signal }),
      );
      message = vscode.l10n.t('Deleted {0} "{1}" of auth server "{2}".', kind, item.name, server.name);
    }
  } catch (err) {
    if ((err as { name?: unknown }).name === 'AbortError') throw err;
    message = vscode.l10n.t(
      'Could not delete: {0}',
      (err as { userMessage?: string }).userMessage ?? (err instanceof Error ? err.message : String(err)),
    );
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
  const server = await authServerFor(ctx, s, arg, vscode.l10n.t('A DCR provider for which auth server?'));
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
      : await ask(
          ctx,
          'identity.provider.name',
          vscode.l10n.t('New Kong Identity DCR provider for "{0}": name', server.name),
          {
            value: `${server.name}-dcr`,
            validateInput: required(vscode.l10n.t('name')),
          },
        );
  const created = await withProgress(vscode.l10n.t('creating DCR provider "{0}"…', name), (signal) =>
    s.client.dcrProviders.create({ name, provider_type: 'kongIdentity', issuer: server.issuer }, { signal }),
  );
  ctx.log.info(`created kongIdentity DCR provider "${created.name}" (${created.id}) with issuer ${created.issuer}`);
  ctx.prompts.notify(
    'info',
    vscode.l10n.t('Created DCR provider "{0}" (Kong Identity, issuer {1}).', created.name, created.issuer),
  );
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
  const T = (n: number, what: string): string => vscode.l10n.t('Set up Kong Identity DCR ({0}/7): {1}', n, what);

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
    const pick = await choose(ctx, 'identity.guided.authServer', T(1, vscode.l10n.t('auth server')), [
      { label: vscode.l10n.t('{0}New auth server…', NEW), description: vscode.l10n.t('create one') },
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
      serverName = await ask(ctx, 'identity.authServer.name', T(1, vscode.l10n.t('new auth server name')), {
        placeHolder: vscode.l10n.t('e.g. orders-auth'),
        validateInput: required(vscode.l10n.t('name')),
      });
      const audience = await ask(
        ctx,
        'identity.authServer.audience',
        T(1, vscode.l10n.t('audience of "{0}"', serverName)),
        {
          prompt: vscode.l10n.t('The "aud" claim of its tokens.'),
          value: suggestAudience(serverName),
          validateInput: required(vscode.l10n.t('audience')),
        },
      );
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
    const pick = await choose(ctx, 'identity.guided.scope', T(2, vscode.l10n.t('the scope the strategy asks for')), [
      ...existing.map((x) => ({
        label: x.name,
        description: x.enabled
          ? vscode.l10n.t('existing scope')
          : vscode.l10n.t('existing scope (disabled: will be enabled)'),
        id: x.id as string | undefined,
      })),
      ...(existing.some((x) => x.name === 'openid')
        ? []
        : [{ label: 'openid', description: vscode.l10n.t('create it: the OpenID Connect scope') }]),
      { label: vscode.l10n.t('{0}Custom scope…', NEW), description: vscode.l10n.t('create one, e.g. orders:read') },
    ]);
    if ('id' in pick && pick.id) scope = { id: pick.id };
    else if (pick.label === 'openid')
      scope = { create: { name: 'openid', description: vscode.l10n.t('OpenID Connect') } };
    else
      scope = {
        create: {
          name: await ask(ctx, 'identity.scope.name', T(2, vscode.l10n.t('custom scope name')), {
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
    const noClaim = vscode.l10n.t('No extra claim');
    const pick = await choose(ctx, 'identity.guided.claim', T(3, vscode.l10n.t('a claim for the tokens')), [
      ...CLAIM_PRESETS.filter((p) => p.name !== 'sub').map((p) => ({
        label: p.name,
        description: p.value,
        detail: p.description,
      })),
      {
        label: noClaim,
        description: vscode.l10n.t('tokens carry the client id in sub anyway'),
        detail: vscode.l10n.t('Kong Identity puts the client id in `sub`'),
      },
      {
        label: vscode.l10n.t('{0}Custom claim…', NEW),
        description: vscode.l10n.t('a static value or a ${ … } template'),
      },
    ]);
    const preset = CLAIM_PRESETS.find((p) => p.name === pick.label);
    if (preset) {
      claim = { create: { name: preset.name, value: preset.value } };
      claimName = preset.name;
    } else if (pick.label === noClaim) claim = undefined;
    else {
      claimName = await ask(ctx, 'identity.claim.name', T(3, vscode.l10n.t('claim name')), {
        validateInput: (v) => checkIdentityName('claim', v),
      });
      claim = {
        create: {
          name: claimName,
          value: await ask(ctx, 'identity.claim.value', T(3, vscode.l10n.t('value of "{0}"', claimName)), {
            validateInput: required(vscode.l10n.t('value')),
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
      T(4, vscode.l10n.t('the credential claim (which claim names the application to the gateway)')),
      [
        { label: 'sub', description: vscode.l10n.t("the client id (Kong Identity's default)") },
        ...(claimName && claimName !== 'sub'
          ? [{ label: claimName, description: vscode.l10n.t('the claim added in step 3') }]
          : []),
      ],
    );
    credentialClaim = pick.label;
  }
  const providerName =
    a.providerName ??
    (await ask(ctx, 'identity.guided.providerName', T(5, vscode.l10n.t('DCR provider name')), {
      value: `${serverName}-dcr`,
      validateInput: required(vscode.l10n.t('name')),
    }));
  const strategyName =
    a.strategyName ??
    (await ask(ctx, 'identity.guided.strategyName', T(5, vscode.l10n.t('auth strategy name')), {
      value: `${serverName}-strategy`,
      validateInput: required(vscode.l10n.t('name')),
    }));

  // 6. API (and, for a new one, its Gateway Service)
  let api: KongIdentityPlan['api'];
  let gatewayService = a.gatewayService;
  if (a.api) api = 'id' in a.api ? { id: a.api.id } : { create: { name: a.api.name, version: a.api.version } };
  else {
    const apis = await client.apis.listAll({}, { maxItems: 500 });
    const pick = await choose(ctx, 'identity.guided.api', T(6, vscode.l10n.t('the API to publish with the strategy')), [
      { label: vscode.l10n.t('{0}New API…', NEW), description: vscode.l10n.t('create one') },
      ...apis.map((x) => ({
        label: x.name,
        description: x.version ?? '',
        detail: x.id,
        id: x.id as string | undefined,
      })),
    ]);
    if ('id' in pick && pick.id) api = { id: pick.id };
    else {
      const name = await ask(ctx, 'identity.guided.apiName', T(6, vscode.l10n.t('new API name')), {
        placeHolder: 'orders',
        validateInput: required(vscode.l10n.t('name')),
      });
      const version = await ask(
        ctx,
        'identity.guided.apiVersion',
        T(6, vscode.l10n.t('version of "{0}" (optional)', name)),
        {
          value: 'v1',
        },
      );
      api = { create: { name, version: version || undefined } };
      // a real gateway enforces the strategy only on an API linked to a Gateway Service
      const notNow = vscode.l10n.t('Not now');
      const link = await choose(
        ctx,
        'identity.guided.gatewayService',
        T(6, vscode.l10n.t('link "{0}" to a Gateway Service?', name)),
        [
          {
            label: notNow,
            description: vscode.l10n.t(
              'link it in Konnect later (API → Gateway Service); the gateway enforces the strategy only then',
            ),
          },
          {
            label: vscode.l10n.t('Link a Gateway Service…'),
            description: vscode.l10n.t('give its control plane id and service id'),
          },
        ],
      );
      if (link.label !== notNow) {
        const controlPlaneId = await ask(
          ctx,
          'identity.guided.controlPlaneId',
          T(6, vscode.l10n.t('control plane id of the Gateway Service')),
          { validateInput: required(vscode.l10n.t('control plane id')) },
        );
        const serviceId = await ask(ctx, 'identity.guided.serviceId', T(6, vscode.l10n.t('Gateway Service id')), {
          validateInput: required(vscode.l10n.t('service id')),
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
    const pick = await choose(ctx, 'identity.guided.portal', T(7, vscode.l10n.t('the portal to publish in')), [
      {
        label: vscode.l10n.t('{0}New portal…', NEW),
        description: vscode.l10n.t('create one (applications auto-approved)'),
      },
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
          name: await ask(ctx, 'identity.guided.portalName', T(7, vscode.l10n.t('new portal name')), {
            value: `${serverName}-portal`,
            validateInput: required(vscode.l10n.t('name')),
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

/** A part's name as the user reads it (PART_LABELS stays English for the log). */
function partLabel(part: SetupProgress['part']): string {
  return {
    authServer: vscode.l10n.t('auth server'),
    scope: vscode.l10n.t('scope'),
    claim: vscode.l10n.t('claim'),
    provider: vscode.l10n.t('DCR provider'),
    strategy: vscode.l10n.t('auth strategy'),
    api: vscode.l10n.t('API'),
    portal: vscode.l10n.t('portal'),
    publication: vscode.l10n.t('publication'),
  }[part];
}

/** The guided setup's progress line: what was done to which part. */
function progressText(p: SetupProgress): string {
  const part = partLabel(p.part);
  switch (p.action) {
    case 'created':
      return vscode.l10n.t('created {0} {1}', part, p.name);
    case 'used':
      return vscode.l10n.t('used {0} {1}', part, p.name);
    case 'updated':
      return vscode.l10n.t('updated {0} {1}', part, p.name);
    case 'skipped':
      return vscode.l10n.t('skipped {0} {1}', part, p.name);
  }
}

/** The guided Kong Identity seed: asks (or takes) every choice, creates what is missing, publishes, then proves. */
export async function guidedSetup(ctx: CommandContext, arg?: unknown): Promise<GuidedOutcome | undefined> {
  const s = await session(ctx);
  const answers = GuidedAnswersSchema.parse(isObj(arg) ? arg : {});
  const plan = await planFromAnswers(ctx, s.client, answers);
  const setup = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Konnect DCR: setting up Kong Identity DCR'),
      cancellable: true,
    },
    (progress, token) =>
      runKongIdentitySetup(s.client, plan, toAbortSignal(token), (p) => {
        progress.report({ message: progressText(p), increment: 100 / 8 });
        ctx.log.info(`guided setup: ${p.action} ${PART_LABELS[p.part]} "${p.name}"${p.id ? ` (${p.id})` : ''}`);
      }),
  );
  await Promise.all([ctx.model.refresh(['identity']), ctx.model.refresh(['catalog'])]);
  const created = setup.steps.filter((x) => x.action === 'created').map((x) => partLabel(x.part));
  ctx.prompts.notify(
    'info',
    vscode.l10n.t(
      'Kong Identity DCR is set up: {0}; "{1}" is published to "{2}" with "{3}".',
      created.length ? vscode.l10n.t('created {0}', created.join(', ')) : vscode.l10n.t('everything existed'),
      setup.api.name,
      setup.portal.name,
      setup.strategy.name,
    ),
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
