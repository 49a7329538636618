/**
 * The request runner's commands: thin handlers over the (lazily loaded) RunnerController. Arguments from CodeLens
 * are `(uri, line)`; from the palette or a keybinding, none (the active editor and cursor are used).
 */
import * as vscode from 'vscode';
import { guard } from '../platform/errorBoundary';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import type { CreateValidationOptions, RunnerController } from '../runner/controller';
import { RunnerCommands, type RunnerCommandId } from '../runner/ids';
import type { RunnerState } from '../runner/state';
import { registerCommand } from '../platform/registerCommand';
import { refuseUntrusted } from '../platform/trust';

export interface RunnerCommandContext {
  readonly log: ChannelLogger;
  readonly prompts: Prompts;
  readonly state: RunnerState;
  controller(): Promise<RunnerController>;
}

type Uri = vscode.Uri | string | undefined;
type Handler = (ctx: RunnerCommandContext, ...args: never[]) => unknown;

const handlers: Record<RunnerCommandId, Handler> = {
  [RunnerCommands.send]: async (ctx, uri?: Uri, line?: number) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Send Request')) ?? (await ctx.controller()).send(uri, line),
  [RunnerCommands.sendAll]: async (ctx, uri?: Uri) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Send All Requests')) ?? (await ctx.controller()).sendAll(uri),
  // no controller needed: nothing runs before it exists
  [RunnerCommands.cancel]: async (ctx, uri?: Uri, line?: number) =>
    ctx.state.anyRunning() ? (await ctx.controller()).cancel(uri, line) : 0,
  [RunnerCommands.explain]: async (ctx, uri?: Uri, line?: number) => (await ctx.controller()).explain(uri, line),
  [RunnerCommands.copyAsCurl]: async (ctx, uri?: Uri, line?: number) =>
    (await ctx.controller()).copyAsCurl(uri, line, false),
  [RunnerCommands.copyAsCurlWithSecrets]: async (ctx, uri?: Uri, line?: number) =>
    (await ctx.controller()).copyAsCurl(uri, line, true),
  [RunnerCommands.copyAccessToken]: async (ctx, uri?: Uri, line?: number) =>
    (await ctx.controller()).copyAccessToken(uri, line),
  [RunnerCommands.showHistory]: async (ctx) => (await ctx.controller()).showHistory(),
  [RunnerCommands.showLastResponse]: async (ctx) => (await ctx.controller()).showLastResponse(),
  [RunnerCommands.clearHistory]: async (ctx) => (await ctx.controller()).clearHistory(),
  [RunnerCommands.selectEnvironment]: async (ctx, name?: string) => (await ctx.controller()).selectEnvironment(name),
  [RunnerCommands.forgetSecrets]: async (ctx, keys?: string[]) => (await ctx.controller()).forgetSecrets(keys),
  [RunnerCommands.createValidationRequests]: async (ctx, strategy?: unknown, options?: CreateValidationOptions) =>
    (await ctx.controller()).createValidationRequests(strategy, options),
};

export function registerRunnerCommands(ctx: RunnerCommandContext): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    registerCommand(
      id,
      guard(ctx.log, ctx.prompts, id, (...args: unknown[]) =>
        (handler as (c: RunnerCommandContext, ...a: unknown[]) => unknown)(ctx, ...args),
      ),
    ),
  );
}
