/**
 * Kong Identity client secrets and issued tokens from the editor: add, enable, disable, delete a secret under the
 * rotation rule (at most two active per client, docs/konnect-api.md §4.1), "Rotate Secret…", and revoking one or all
 * of a client's tokens (§4.2). A new secret's value is shown in no message: it goes to the clipboard and/or
 * SecretStorage (the config secret Add Client… keeps a client's secret as) and to the log's redactor. Questions go
 * through `Prompts` (ids `identity.secret.*`, `identity.rotate.*`, `identity.token.*`); every flow takes a tree node
 * or `{ authServerId, clientId, secretId | tokenId }`.
 */
import * as vscode from 'vscode';
import { activeSecrets, checkOneMoreActive, isLastActive, MAX_ACTIVE_SECRETS } from '../../core/identity/secrets';
import type { AuthServer, Client, ClientSecretItem } from '../../core/model/kongIdentity';
import type { ActiveSession } from '../auth/session';
import type { CommandContext } from '../commands/context';
import { ConfigSecrets } from '../config/secrets';
import { choose, clientSecretName, pickChild, session } from './flows';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `arg[key].id` (a node's secret or token) or `arg[key + 'Id']`. */
const idOf = (arg: unknown, key: string): string | undefined => {
  const v = isObj(arg) ? (isObj(arg[key]) ? arg[key]['id'] : arg[`${key}Id`]) : undefined;
  return typeof v === 'string' ? v : undefined;
};

interface Target {
  readonly s: ActiveSession;
  readonly authServer: AuthServer;
  readonly client: Client;
}

/** The client a node (client, its groups, a secret, a token) or `{ authServerId, clientId }` is about, or a pick. */
async function target(ctx: CommandContext, arg: unknown): Promise<Target> {
  const s = await session(ctx);
  if (isObj(arg) && isObj(arg['authServer']) && isObj(arg['client']))
    return { s, authServer: arg['authServer'] as unknown as AuthServer, client: arg['client'] as unknown as Client };
  const { authServerId, id } = await pickChild(ctx, s, arg, 'client');
  const ki = s.client.identity;
  const [authServer, client] = await Promise.all([ki.authServers.get(authServerId), ki.clients.get(authServerId, id)]);
  return { s, authServer, client };
}

async function listSecrets(t: Target): Promise<ClientSecretItem[]> {
  const query = { pageSize: 100, sort: 'created_at' as const };
  const out: ClientSecretItem[] = [];
  for (let n = 1; ; n++) {
    const page = await t.s.client.identity.clients.listSecrets(t.authServer.id, t.client.id, {
      ...query,
      pageNumber: n,
    });
    out.push(...page.data);
    if (!page.data.length || out.length >= page.meta.page.total) return out;
  }
}

const stateOf = (x: ClientSecretItem): string =>
  x.enabled
    ? vscode.l10n.t('active · created {0}', x.created_at)
    : vscode.l10n.t('disabled · created {0}', x.created_at);

/** The secret a node or `secretId` names, else a pick among those `which` keeps. */
async function secretOf(
  ctx: CommandContext,
  t: Target,
  arg: unknown,
  secrets: readonly ClientSecretItem[],
  which: (x: ClientSecretItem) => boolean,
): Promise<ClientSecretItem> {
  const id = idOf(arg, 'secret');
  const found = id
    ? secrets.find((x) => x.id === id)
    : secrets.some(which)
      ? (
          await choose(
            ctx,
            'identity.secret',
            vscode.l10n.t('Which secret of "{0}"?', t.client.name),
            secrets.filter(which).map((x) => ({ label: x.id, description: stateOf(x), x })),
          )
        ).x
      : undefined;
  if (!found) throw new Error(vscode.l10n.t('Client "{0}" has no such secret.', t.client.name));
  return found;
}

const setEnabled = (t: Target, id: string, enabled: boolean): Promise<ClientSecretItem> =>
  t.s.client.identity.clients.updateSecret(t.authServer.id, t.client.id, id, { enabled });

/**
 * Before one more secret becomes active (`enabling`: a disabled one): with two active already, refused unless the
 * user disables the oldest active one first (done here; `disabled` is it).
 */
async function makeRoom(
  ctx: CommandContext,
  t: Target,
  secrets: readonly ClientSecretItem[],
  enabling?: string,
): Promise<{ ok: boolean; disabled?: string }> {
  const check = checkOneMoreActive(secrets, enabling);
  if (check.ok) return { ok: true };
  const ok = await ctx.prompts.confirm(
    'identity.secret.disableOldest',
    vscode.l10n.t(
      'Client "{0}" already has {1} active secrets: at most {2} may be active.',
      t.client.name,
      check.active,
      MAX_ACTIVE_SECRETS,
    ),
    vscode.l10n.t(
      'One for the apps, one to move them to. Disable the oldest active secret, {0} (created {1}), first? Apps still using it stop getting tokens.',
      check.oldest.id,
      check.oldest.created_at,
    ),
    vscode.l10n.t('Disable Oldest'),
  );
  if (!ok) {
    ctx.prompts.notify('warning', vscode.l10n.t('Konnect DCR: client "{0}" was not changed.', t.client.name));
    return { ok: false };
  }
  await setEnabled(t, check.oldest.id, false);
  ctx.log.info(`disabled the oldest active secret ${check.oldest.id} of Kong Identity client ${t.client.id}`);
  return { ok: true, disabled: check.oldest.id };
}

export interface SecretOutcome {
  readonly done: boolean;
  /** The secret added, enabled, disabled or deleted (never its value). */
  readonly secretId?: string | undefined;
  /** Disabled first to stay within two active secrets. */
  readonly disabledOldest?: string | undefined;
  /** Where the new secret's value went. */
  readonly kept?: readonly ('secretStorage' | 'clipboard')[] | undefined;
  readonly message?: string | undefined;
}

function done(ctx: CommandContext, out: SecretOutcome & { readonly message: string }): SecretOutcome {
  ctx.log.info(out.message);
  ctx.model.changedClient();
  ctx.prompts.notify('info', vscode.l10n.t('Konnect DCR: {0}', out.message));
  return out;
}

/** Adds a secret; its value to SecretStorage and/or the clipboard (asked; dismissed: the clipboard). */
async function addTo(ctx: CommandContext, t: Target, secrets: readonly ClientSecretItem[]): Promise<SecretOutcome> {
  const room = await makeRoom(ctx, t, secrets);
  if (!room.ok) return { done: false };
  const created = await t.s.client.identity.clients.createSecret(t.authServer.id, t.client.id, {});
  const value = created.secret ?? '';
  ctx.redactor.add(value);
  const name = clientSecretName(t.authServer, t.client.name);
  const both = vscode.l10n.t('Keep in SecretStorage and copy');
  const store = vscode.l10n.t('Keep in SecretStorage');
  const pick = await ctx.prompts.pick(
    'identity.secret.keep',
    [{ label: both, description: name }, { label: store, description: name }, { label: vscode.l10n.t('Copy') }],
    { title: vscode.l10n.t('Konnect DCR: the new secret of "{0}" is readable only now', t.client.name) },
  );
  const kept: ('secretStorage' | 'clipboard')[] = [];
  if (pick?.label === both || pick?.label === store) {
    await new ConfigSecrets(ctx.secrets, ctx.globalState, process.env, (v) => ctx.redactor.add(v)).store(name, value);
    kept.push('secretStorage');
  }
  if (pick?.label !== store) {
    await vscode.env.clipboard.writeText(value);
    kept.push('clipboard');
  }
  const message = vscode.l10n.t(
    'Added secret {0} to client "{1}"; its value: {2}.',
    created.id,
    t.client.name,
    kept
      .map((k) => (k === 'clipboard' ? vscode.l10n.t('copied') : vscode.l10n.t('in SecretStorage as {0}', name)))
      .join(', '),
  );
  return { done: true, secretId: created.id, disabledOldest: room.disabled, kept, message };
}

export async function addSecret(ctx: CommandContext, arg?: unknown): Promise<SecretOutcome> {
  const t = await target(ctx, arg);
  const out = await addTo(ctx, t, await listSecrets(t));
  return out.message ? done(ctx, { ...out, message: out.message }) : out;
}

export async function enableSecret(ctx: CommandContext, arg?: unknown): Promise<SecretOutcome> {
  const t = await target(ctx, arg);
  const secrets = await listSecrets(t);
  const { id } = await secretOf(ctx, t, arg, secrets, (x) => !x.enabled);
  const room = await makeRoom(ctx, t, secrets, id);
  if (!room.ok) return { done: false, secretId: id };
  await setEnabled(t, id, true);
  const message = vscode.l10n.t('Enabled secret {0} of client "{1}".', id, t.client.name);
  return done(ctx, { done: true, secretId: id, disabledOldest: room.disabled, message });
}

export async function disableSecret(ctx: CommandContext, arg?: unknown): Promise<SecretOutcome> {
  const t = await target(ctx, arg);
  const secrets = await listSecrets(t);
  const { id } = await secretOf(ctx, t, arg, secrets, (x) => x.enabled);
  if (
    isLastActive(secrets, id) &&
    !(await ctx.prompts.confirm(
      'identity.secret.disableLast',
      vscode.l10n.t('Disable the last active secret of "{0}"?', t.client.name),
      vscode.l10n.t('Every app using the client stops getting tokens until a secret is enabled or added.'),
      vscode.l10n.t('Disable'),
    ))
  )
    return { done: false, secretId: id };
  await setEnabled(t, id, false);
  return done(ctx, {
    done: true,
    secretId: id,
    message: vscode.l10n.t('Disabled secret {0} of client "{1}".', id, t.client.name),
  });
}

export async function deleteSecret(ctx: CommandContext, arg?: unknown): Promise<SecretOutcome> {
  const t = await target(ctx, arg);
  const secrets = await listSecrets(t);
  const s = await secretOf(ctx, t, arg, secrets, () => true);
  const ok = await ctx.prompts.confirm(
    'identity.secret.delete',
    vscode.l10n.t('Delete secret {0} of "{1}"?', s.id, t.client.name),
    `${
      isLastActive(secrets, s.id)
        ? vscode.l10n.t('It is the last active secret: every app using the client stops getting tokens.')
        : s.enabled
          ? vscode.l10n.t('It is active: apps still using it stop getting tokens.')
          : vscode.l10n.t('It is disabled.')
    } ${vscode.l10n.t('This cannot be undone.')}`,
    vscode.l10n.t('Delete'),
  );
  if (!ok) return { done: false, secretId: s.id };
  await t.s.client.identity.clients.deleteSecret(t.authServer.id, t.client.id, s.id);
  return done(ctx, {
    done: true,
    secretId: s.id,
    message: vscode.l10n.t('Deleted secret {0} of client "{1}".', s.id, t.client.name),
  });
}

export interface RotateOutcome {
  /** `added`: the new secret is active and the old one still too (the apps have not moved yet). */
  readonly stage: 'refused' | 'added' | 'oldDisabled' | 'oldDeleted';
  readonly newSecretId?: string | undefined;
  readonly oldSecretId?: string | undefined;
  readonly kept?: readonly ('secretStorage' | 'clipboard')[] | undefined;
  readonly message?: string | undefined;
}

/**
 * Rotate Secret…: add a secret, then, once the user confirms the apps moved to it, disable the old one (the newest
 * other active secret), then optionally delete it.
 */
export async function rotateSecret(ctx: CommandContext, arg?: unknown): Promise<RotateOutcome> {
  const t = await target(ctx, arg);
  const before = await listSecrets(t);
  const added = await addTo(ctx, t, before);
  if (!added.done) return { stage: 'refused' };
  const old = activeSecrets(before.filter((x) => x.id !== added.disabledOldest)).at(-1)?.id;
  const base = { newSecretId: added.secretId, oldSecretId: old, kept: added.kept };
  const finish = (stage: RotateOutcome['stage'], message: string): RotateOutcome => {
    done(ctx, { done: true, message });
    return { stage, ...base, message };
  };
  const stillActive = vscode.l10n.t('{0} The old secret {1} is still active.', added.message ?? '', old ?? '');
  if (!old) return finish('added', added.message ?? '');
  if (
    !(await ctx.prompts.confirm(
      'identity.rotate.moved',
      vscode.l10n.t('Have the apps of "{0}" moved to the new secret?', t.client.name),
      vscode.l10n.t(
        '{0} Disabling the old secret {1} stops every app still using it. Not yet: both stay active.',
        added.message ?? '',
        old,
      ),
      vscode.l10n.t('Disable Old Secret'),
    ))
  )
    return finish('added', stillActive);
  await setEnabled(t, old, false);
  const deleteIt = await ctx.prompts.confirm(
    'identity.rotate.delete',
    vscode.l10n.t('Delete the old secret {0} too?', old),
    vscode.l10n.t('Disabled, it can be enabled again; deleted, it is gone.'),
    vscode.l10n.t('Delete Old Secret'),
  );
  if (deleteIt) await t.s.client.identity.clients.deleteSecret(t.authServer.id, t.client.id, old);
  return finish(
    deleteIt ? 'oldDeleted' : 'oldDisabled',
    vscode.l10n.t(
      'Rotated the secret of "{0}": {1} is active, the old {2} is {3}.',
      t.client.name,
      added.secretId ?? '',
      old,
      deleteIt ? vscode.l10n.t('deleted') : vscode.l10n.t('disabled'),
    ),
  );
}

// ----------------------------------------------------------------------------------------------------- tokens

export interface TokenOutcome {
  readonly revoked: number;
  readonly message?: string | undefined;
}

/** Revoke Token… (`all`: Revoke All Tokens…), after a modal confirmation. */
async function revoke(ctx: CommandContext, arg: unknown, all: boolean): Promise<TokenOutcome> {
  const t = await target(ctx, arg);
  const api = t.s.client.identity.clients;
  const page = await api.listTokens(t.authServer.id, t.client.id, { pageSize: 100, sort: 'created_at' });
  const id =
    all || idOf(arg, 'token')
      ? idOf(arg, 'token')
      : (
          await choose(
            ctx,
            'identity.token',
            vscode.l10n.t('Which token of "{0}"?', t.client.name),
            page.data.map((x) => ({ label: x.id, description: x.created_at, x })),
          )
        ).x.id;
  const count = all ? page.meta.page.total : 1;
  const ok = await ctx.prompts.confirm(
    all ? 'identity.token.revokeAll' : 'identity.token.revoke',
    all
      ? vscode.l10n.t('Revoke every token of "{0}" ({1} listed)?', t.client.name, count)
      : vscode.l10n.t('Revoke token {0} of "{1}"?', id ?? '', t.client.name),
    vscode.l10n.t(
      "Revoked tokens stop working where the client's tokens are introspected; a gateway that only checks signatures accepts them until they expire.",
    ),
    all ? vscode.l10n.t('Revoke All') : vscode.l10n.t('Revoke'),
  );
  if (!ok) return { revoked: 0 };
  if (all) await api.revokeAllTokens(t.authServer.id, t.client.id);
  else await api.revokeToken(t.authServer.id, t.client.id, id ?? '');
  const message = all
    ? vscode.l10n.t('Revoked every token of client "{0}" ({1}).', t.client.name, count)
    : vscode.l10n.t('Revoked token {0} of client "{1}".', id ?? '', t.client.name);
  done(ctx, { done: true, message });
  return { revoked: count, message };
}

export const revokeToken = (ctx: CommandContext, arg?: unknown): Promise<TokenOutcome> => revoke(ctx, arg, false);
export const revokeAllTokens = (ctx: CommandContext, arg?: unknown): Promise<TokenOutcome> => revoke(ctx, arg, true);
