import * as vscode from 'vscode';
import type { AppAuthStrategy } from '../../core/api/index';
import type { ActiveSession } from '../auth/session';
import { classify } from '../platform/errors';
import { resourceOf, type ResourceNode } from '../tree/nodes';
import type { CommandContext } from './context';

export interface DeleteOutcome {
  readonly deleted: boolean;
  /** What the user was told (nothing when they said no). */
  readonly message?: string;
}

type Deletable = Extract<ResourceNode, { kind: 'provider' | 'strategy' | 'authServer' }>;

function isDeletable(n: unknown): n is Deletable {
  const k = (n as { kind?: unknown } | undefined)?.kind;
  return k === 'provider' || k === 'strategy' || k === 'authServer';
}

function apiError(err: unknown): { status: number; detail: string } | undefined {
  const e = err as { kind?: unknown; status?: unknown; detail?: unknown; title?: unknown } | undefined;
  if (e?.kind !== 'api' || typeof e.status !== 'number') return undefined;
  return {
    status: e.status,
    detail: typeof e.detail === 'string' ? e.detail : typeof e.title === 'string' ? e.title : '',
  };
}

/**
 * Which APIs use a strategy, for a 409: Konnect's detail when it names them, else the publications that reference
 * the strategy (`/v3/api-publications?filter[auth_strategy_id][eq]=…`), with API and portal names.
 */
async function whoUses(s: ActiveSession, strategy: AppAuthStrategy, detail: string): Promise<string> {
  if (/\bAPIs?\b/.test(detail)) return detail.replace(/\.$/, '');
  try {
    const pubs = await s.client.apiPublications.list({
      filter: { auth_strategy_id: { eq: strategy.id } },
      pageSize: 20,
    });
    if (pubs.data.length) {
      const names = await Promise.all(
        pubs.data.map(async (p) => {
          const [api, portal] = await Promise.all([
            s.client.apis.get(p.api_id).then(
              (a) => `"${a.name}"`,
              () => p.api_id,
            ),
            s.client.portals.get(p.portal_id).then(
              (x) => `"${x.name}"`,
              () => p.portal_id,
            ),
          ]);
          return vscode.l10n.t('API {0} published to portal {1}', api, portal);
        }),
      );
      return pubs.meta.page.total > pubs.data.length
        ? vscode.l10n.t('it is used by {0} and {1} more', names.join(', '), pubs.meta.page.total - pubs.data.length)
        : vscode.l10n.t('it is used by {0}', names.join(', '));
    }
  } catch {
    // fall through to Konnect's own words
  }
  return detail
    ? vscode.l10n.t('Konnect says: {0}', detail.replace(/\.$/, ''))
    : vscode.l10n.t('it is in use (Konnect did not say by what)');
}

/** "Delete…" with a modal confirmation; a strategy still in use (409) is explained: which API uses it. */
export async function deleteResource(ctx: CommandContext, arg?: unknown): Promise<DeleteOutcome> {
  if (!isDeletable(arg))
    throw new TypeError('Delete runs on a DCR provider, auth strategy or Kong Identity auth server in the tree');
  const node = arg;
  const r = resourceOf(node);
  const s = await ctx.session.active();
  if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
  const consequence =
    node.kind === 'provider'
      ? ctx.model.peekCatalog()?.strategiesByProvider.get(r.id)?.length
        ? vscode.l10n.t('Auth strategies that use it will have no DCR provider any more.')
        : vscode.l10n.t('No loaded auth strategy uses it.')
      : node.kind === 'strategy'
        ? vscode.l10n.t('Konnect refuses while an API publication uses it.')
        : vscode.l10n.t('Konnect refuses while it still has scopes, claims or clients.');
  const ok = await ctx.prompts.confirm(
    `delete.${node.kind}`,
    vscode.l10n.t('Delete {0} "{1}"?', r.what, r.name),
    vscode.l10n.t(
      'This deletes it in Konnect (connection "{0}", {1}). {2} This cannot be undone.',
      s.info.name,
      s.host,
      consequence,
    ),
    vscode.l10n.t('Delete'),
  );
  if (!ok) return { deleted: false };
  try {
    if (node.kind === 'provider') await s.client.dcrProviders.delete(r.id);
    else if (node.kind === 'strategy') await s.client.authStrategies.delete(r.id);
    else await s.client.identity.authServers.delete(r.id, { force: false });
  } catch (err) {
    const e = apiError(err);
    let message: string;
    if (e && e.status === 409 && node.kind === 'strategy') {
      message = vscode.l10n.t(
        'Cannot delete auth strategy "{0}": {1}. Unpublish those APIs or give their publications another auth strategy first.',
        r.name,
        await whoUses(s, node.strategy, e.detail),
      );
    } else if (e && (e.status === 409 || e.status === 400) && node.kind === 'authServer') {
      message = vscode.l10n.t(
        'Cannot delete auth server "{0}": {1}. Delete its scopes, claims and clients first.',
        r.name,
        e.detail || vscode.l10n.t('Konnect refused'),
      );
    } else if (e?.status === 404) {
      message = vscode.l10n.t('{0} "{1}" no longer exists in Konnect.', r.what, r.name);
      void ctx.model
        .refresh([node.kind === 'authServer' ? 'identity' : 'catalog'])
        .catch((err: unknown) => ctx.log.debug(`refresh after a 404 on delete: ${String(err)}`));
    } else {
      message = vscode.l10n.t('Could not delete {0} "{1}": {2}', r.what, r.name, classify(err, s.host).message);
    }
    ctx.log.warn(message, err);
    ctx.prompts.notify('error', message);
    return { deleted: false, message };
  }
  const message = vscode.l10n.t('Deleted {0} "{1}".', r.what, r.name);
  ctx.log.info(`${message} (${r.id})`);
  ctx.prompts.notify('info', message);
  await ctx.model.refresh([node.kind === 'authServer' ? 'identity' : 'catalog']);
  return { deleted: true, message };
}
