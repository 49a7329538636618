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
          return `API ${api} published to portal ${portal}`;
        }),
      );
      const more =
        pubs.meta.page.total > pubs.data.length ? ` and ${pubs.meta.page.total - pubs.data.length} more` : '';
      return `it is used by ${names.join(', ')}${more}`;
    }
  } catch {
    // fall through to Konnect's own words
  }
  return detail ? `Konnect says: ${detail.replace(/\.$/, '')}` : 'it is in use (Konnect did not say by what)';
}

/** "Delete…" with a modal confirmation; a strategy still in use (409) is explained: which API uses it. */
export async function deleteResource(ctx: CommandContext, arg?: unknown): Promise<DeleteOutcome> {
  if (!isDeletable(arg))
    throw new TypeError('Delete runs on a DCR provider, auth strategy or Kong Identity auth server in the tree');
  const node = arg;
  const r = resourceOf(node);
  const s = await ctx.session.active();
  if (!s) throw new Error('Sign in to Konnect first.');
  const consequence =
    node.kind === 'provider'
      ? ctx.model.peekCatalog()?.strategiesByProvider.get(r.id)?.length
        ? 'Auth strategies that use it will have no DCR provider any more.'
        : 'No loaded auth strategy uses it.'
      : node.kind === 'strategy'
        ? 'Konnect refuses while an API publication uses it.'
        : 'Konnect refuses while it still has scopes, claims or clients.';
  const ok = await ctx.prompts.confirm(
    `delete.${node.kind}`,
    `Delete ${r.what} "${r.name}"?`,
    `This deletes it in Konnect (connection "${s.info.name}", ${s.host}). ${consequence} This cannot be undone.`,
    'Delete',
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
      message = `Cannot delete auth strategy "${r.name}": ${await whoUses(s, node.strategy, e.detail)}. Unpublish those APIs or give their publications another auth strategy first.`;
    } else if (e && (e.status === 409 || e.status === 400) && node.kind === 'authServer') {
      message = `Cannot delete auth server "${r.name}": ${e.detail || 'Konnect refused'}. Delete its scopes, claims and clients first.`;
    } else if (e?.status === 404) {
      message = `${r.what} "${r.name}" no longer exists in Konnect.`;
      void ctx.model
        .refresh([node.kind === 'authServer' ? 'identity' : 'catalog'])
        .catch((err: unknown) => ctx.log.debug(`refresh after a 404 on delete: ${String(err)}`));
    } else {
      message = `Could not delete ${r.what} "${r.name}": ${classify(err, s.host).message}`;
    }
    ctx.log.warn(message, err);
    ctx.prompts.notify('error', message);
    return { deleted: false, message };
  }
  const message = `Deleted ${r.what} "${r.name}".`;
  ctx.log.info(`${message} (${r.id})`);
  ctx.prompts.notify('info', message);
  await ctx.model.refresh([node.kind === 'authServer' ? 'identity' : 'catalog']);
  return { deleted: true, message };
}
