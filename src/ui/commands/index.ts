import type * as vscode from 'vscode';
import { guard } from '../platform/errorBoundary';
import { Commands, type CommandId } from '../platform/ids';
import { signIn, signOut, switchConnection } from './auth';
import type { CommandContext } from './context';
import { deleteResource } from './delete';
import { find } from './find';
import { editProvider, editStrategy, newProvider, newStrategy, openFormFromYaml } from './forms';
import { cancelRefresh, loadMore, refresh } from './refresh';
import { copyId, copyYaml, openDetails, revealProvider } from './resources';
import { verifyProvider } from './verify';
import { registerCommand } from '../platform/registerCommand';

export type { CommandContext } from './context';

type Handler = (ctx: CommandContext, ...args: never[]) => unknown;

/** The one map from command id to handler. Every handler runs inside the error boundary. */
const handlers: Record<CommandId, Handler> = {
  [Commands.showLog]: (ctx) => ctx.channel.show(true),
  [Commands.signIn]: signIn,
  [Commands.signOut]: signOut,
  [Commands.switchConnection]: switchConnection,
  [Commands.refresh]: refresh,
  [Commands.cancelRefresh]: cancelRefresh,
  [Commands.loadMore]: loadMore,
  [Commands.find]: find,
  [Commands.openDetails]: openDetails,
  [Commands.copyId]: copyId,
  [Commands.copyYaml]: copyYaml,
  [Commands.verifyProvider]: verifyProvider,
  [Commands.delete]: deleteResource,
  [Commands.revealProvider]: revealProvider,
  [Commands.newProvider]: newProvider,
  [Commands.editProvider]: editProvider,
  [Commands.newStrategy]: newStrategy,
  [Commands.editStrategy]: editStrategy,
  [Commands.openFormFromYaml]: openFormFromYaml,
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    registerCommand(
      id,
      guard(ctx.log, ctx.prompts, id, (...args: unknown[]) =>
        (handler as (c: CommandContext, ...a: unknown[]) => unknown)(ctx, ...args),
      ),
    ),
  );
}
