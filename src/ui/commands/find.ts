import * as vscode from 'vscode';
import type { ProviderType } from '../../core/api/index';
import { providerTypeInfo, type FoundResource, type ResourceNode } from '../tree/nodes';
import type { CommandContext } from './context';

interface Item extends vscode.QuickPickItem {
  readonly target: FoundResource;
}

/** Everything the model holds (loading what is not loaded yet): providers, strategies, auth servers and their loaded children. */
async function collect(ctx: CommandContext, kinds?: readonly FoundResource['kind'][]): Promise<Item[]> {
  const want = (k: FoundResource['kind']): boolean => !kinds || kinds.includes(k);
  const [catalog, identity] = await Promise.all([
    ctx.model.getCatalog(),
    want('authServer') ? ctx.model.getIdentity() : undefined,
  ]);
  const items: Item[] = [];
  const typeLabel = (t: ProviderType): string => providerTypeInfo(t).label;
  if (catalog.state === 'ready') {
    if (want('provider'))
      for (const p of catalog.value.providers)
        items.push({
          label: p.name,
          description: vscode.l10n.t('DCR provider · {0}', typeLabel(p.provider_type)),
          detail: p.id,
          iconPath: new vscode.ThemeIcon(providerTypeInfo(p.provider_type).icon),
          target: { kind: 'provider', id: p.id, name: p.name },
        });
    if (want('strategy'))
      for (const s of catalog.value.strategies)
        items.push({
          label: s.name,
          description: vscode.l10n.t('auth strategy · {0}', s.strategy_type),
          detail: s.id,
          iconPath: new vscode.ThemeIcon(s.strategy_type === 'key_auth' ? 'key' : 'shield'),
          target: { kind: 'strategy', id: s.id, name: s.name },
        });
  } else if (catalog.state === 'error')
    throw Object.assign(new Error(catalog.error.message), { userMessage: catalog.error.message });
  if (identity?.state === 'ready') {
    for (const a of identity.value.authServers) {
      items.push({
        label: a.name,
        description: vscode.l10n.t('Kong Identity auth server'),
        detail: a.id,
        iconPath: new vscode.ThemeIcon('server'),
        target: { kind: 'authServer', id: a.id, name: a.name },
      });
      const c = ctx.model.peekAuthServerChildren(a.id);
      if (!c) continue;
      for (const s of c.scopes)
        if (want('scope'))
          items.push({
            label: s.name,
            description: vscode.l10n.t('scope of {0}', a.name),
            detail: s.id,
            target: { kind: 'scope', id: s.id, name: s.name, authServerId: a.id },
          });
      for (const x of c.claims)
        if (want('claim'))
          items.push({
            label: x.name,
            description: vscode.l10n.t('claim of {0}', a.name),
            detail: x.id,
            target: { kind: 'claim', id: x.id, name: x.name, authServerId: a.id },
          });
      for (const x of c.clients)
        if (want('client'))
          items.push({
            label: x.name,
            description: vscode.l10n.t('client of {0}', a.name),
            detail: x.id,
            target: { kind: 'client', id: x.id, name: x.name, authServerId: a.id },
          });
    }
  }
  return items;
}

/**
 * Picks a resource: with `query`, an exact name or id match (case-insensitive) is taken without asking when it is
 * the only one; otherwise a quick pick (filtering on name, kind and id).
 */
export async function pickResource(
  ctx: CommandContext,
  query: string | undefined,
  kinds?: readonly FoundResource['kind'][],
  title = vscode.l10n.t('Find a DCR provider, auth strategy or Kong Identity resource by name or id'),
): Promise<FoundResource | undefined> {
  if (!ctx.connections.active()) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
  const items = await collect(ctx, kinds);
  if (query) {
    const q = query.trim().toLowerCase();
    const exact = items.filter((i) => i.target.id.toLowerCase() === q || i.target.name.toLowerCase() === q);
    if (exact.length === 1) return exact[0]!.target;
    const partial = exact.length
      ? exact
      : items.filter((i) => i.target.id.toLowerCase().includes(q) || i.target.name.toLowerCase().includes(q));
    if (partial.length === 1) return partial[0]!.target;
    if (!partial.length) throw new Error(vscode.l10n.t('Nothing named or with id "{0}" is loaded.', query));
    const pick = await ctx.prompts.pick('find', partial, { title, matchOnDescription: true, matchOnDetail: true });
    return pick?.target;
  }
  const pick = await ctx.prompts.pick('find', items, {
    title,
    placeHolder: vscode.l10n.t('{0} resources', items.length),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return pick?.target;
}

/** "Find…": jump to any resource by name or id (quick pick over the loaded model, then reveal it in its view). */
export async function find(ctx: CommandContext, query?: unknown): Promise<ResourceNode | undefined> {
  const target = await pickResource(ctx, typeof query === 'string' ? query : undefined);
  if (!target) return undefined;
  return ctx.trees.reveal(target);
}
