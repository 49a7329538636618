/**
 * The Portals view and its actions, plugged into the composition root: the admin model, the view's tree (also the
 * source of the strategies' "Used by" nodes) and the commands.
 */
import * as vscode from 'vscode';
import type { CommandContext } from '../commands/context';
import { shellHost } from '../platform/host';
import { registerPortals } from './commands';
import { PORTALS_VIEW } from './ids';
import { AdminKeys, PortalAdminModel } from './model';
import type { AdminNode } from './nodes';
import { PortalsTree } from './tree';

export interface Portals {
  readonly model: PortalAdminModel;
  readonly tree: PortalsTree;
  readonly view: vscode.TreeView<AdminNode>;
  readonly disposables: vscode.Disposable[];
}

export function createPortals(ctx: CommandContext): Portals {
  const model = new PortalAdminModel(ctx.session, ctx.log.child('portals'));
  const tree = new PortalsTree(
    model,
    (id) => ctx.model.peekCatalog()?.strategyById.get(id)?.name,
    (id) => ctx.model.peekCatalog()?.providerById.get(id)?.name,
  );
  const host = shellHost();
  const view = host
    ? host.bindTreeView(PORTALS_VIEW, tree)
    : vscode.window.createTreeView(PORTALS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  // the strategies view lists who uses each strategy
  ctx.trees.strategies.admin = {
    children: (node) => tree.getChildren(node),
    count: (node) => {
      const l = node.kind === 'strategyUsers' ? model.peek(`u:${node.strategyId}`) : undefined;
      return l?.state === 'ready' ? l.total : undefined;
    },
  };
  const disposables: vscode.Disposable[] = [
    model,
    tree,
    model.onDidChange((key) => {
      if (key === undefined || key.startsWith('u:') || key.startsWith('r:') || key.startsWith('a:'))
        ctx.trees.strategies.invalidate();
    }),
    // strategy and provider names come from the catalog: load it with the portals, draw again when it changes
    model.onDidChange((key) => {
      if (key === AdminKeys.portals && !ctx.model.peekCatalog())
        void ctx.model.getCatalog().then(undefined, () => undefined);
    }),
    ctx.model.onDidChange((section) => {
      if (section !== 'catalog') return;
      model.invalidate('u:');
      tree.redraw();
    }),
    ...registerPortals(ctx, model),
  ];
  if (!host) disposables.push(view);
  return { model, tree, view, disposables };
}
