import type { Section } from '../tree/model';
import type { NodeOf } from '../tree/nodes';
import type { CommandContext } from './context';

/** "Refresh": reloads every view from Konnect (view-scoped progress; "Cancel Refresh" in the view titles stops it). */
export async function refresh(ctx: CommandContext, arg?: unknown): Promise<void> {
  const sections: Section[] | undefined = arg === 'catalog' || arg === 'identity' ? [arg] : undefined;
  await ctx.model.refresh(sections);
}

export function cancelRefresh(ctx: CommandContext): void {
  ctx.model.cancel();
}

/** The "Load more…" node at the end of a list that hit its cap. */
export async function loadMore(ctx: CommandContext, node?: NodeOf<'loadMore'>): Promise<void> {
  await ctx.model.loadMore(node?.section ?? 'catalog');
}
