import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import { guard } from '../platform/errorBoundary';
import { Commands, type CommandId } from '../platform/ids';

/** What command handlers may use; built once in extension.ts. */
export interface CommandContext {
  readonly log: Logger;
  readonly channel: vscode.LogOutputChannel;
}

type Handler = (ctx: CommandContext, ...args: never[]) => unknown;

/** The one map from command id to handler. Every handler runs inside the error boundary. */
const handlers: Record<CommandId, Handler> = {
  [Commands.showLog]: (ctx) => ctx.channel.show(true),
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, guard(ctx.log, id, (...args: unknown[]) => (handler as (c: CommandContext, ...a: unknown[]) => unknown)(ctx, ...args))),
  );
}

export const registeredCommandIds = Object.keys(handlers) as CommandId[];
