/**
 * The workspace config's commands (Plan, Apply, Sync, Pull, Adopt, secrets): thin handlers over the lazily loaded
 * ConfigController, registered through the error boundary. Arguments: a config file (Uri or path; default: the
 * active editor).
 */
import * as vscode from 'vscode';
import type { Path } from '../../core/config/index';
import type { ConfigController } from '../config/controller';
import { ConfigCommands, type ConfigCommandId } from '../config/ids';
import { guard } from '../platform/errorBoundary';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import { registerCommand } from '../platform/registerCommand';
import { refuseUntrusted } from '../platform/trust';

export interface ConfigCommandContext {
  readonly log: ChannelLogger;
  readonly prompts: Prompts;
  controller(): Promise<ConfigController>;
}

type Handler = (ctx: ConfigCommandContext, ...args: never[]) => unknown;

const handlers: Record<ConfigCommandId, Handler> = {
  [ConfigCommands.plan]: async (ctx, file?: unknown) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Plan')) ?? (await ctx.controller()).plan(file),
  [ConfigCommands.apply]: async (ctx, file?: unknown) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Apply')) ?? (await ctx.controller()).apply(file),
  [ConfigCommands.applyResendSecrets]: async (ctx, file?: unknown) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Apply')) ??
    (await ctx.controller()).apply(file, { resendSecrets: true }),
  [ConfigCommands.sync]: async (ctx, file?: unknown) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Sync')) ?? (await ctx.controller()).apply(file, { mode: 'sync' }),
  [ConfigCommands.planSync]: async (ctx, file?: unknown) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Plan')) ?? (await ctx.controller()).plan(file, { mode: 'sync' }),
  [ConfigCommands.rotateSecrets]: async (ctx, file?: unknown, keys?: unknown) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Apply')) ?? (await ctx.controller()).rotateSecrets(file, keys),
  [ConfigCommands.savePlan]: async (ctx, file?: unknown, dest?: unknown, mode?: unknown) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Plan')) ?? (await ctx.controller()).saved.save(file, dest, mode),
  [ConfigCommands.reviewSavedPlan]: async (ctx, file?: unknown) => (await ctx.controller()).saved.review(file),
  [ConfigCommands.applySavedPlan]: async (ctx, file?: unknown) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Apply')) ?? (await ctx.controller()).saved.apply(file),
  [ConfigCommands.pull]: async (ctx, target?: unknown) => (await ctx.controller()).pull(target),
  [ConfigCommands.adopt]: async (ctx, resource?: unknown) =>
    refuseUntrusted(ctx.prompts, vscode.l10n.t('Adopt')) ?? (await ctx.controller()).adopt(resource),
  [ConfigCommands.storeSecret]: async (ctx, name?: unknown) => (await ctx.controller()).storeSecret(name),
  [ConfigCommands.forgetSecret]: async (ctx, name?: unknown) => (await ctx.controller()).forgetSecret(name),
  [ConfigCommands.moveSecretToStorage]: async (ctx, uri: unknown, path: Path, varName: string) =>
    (await ctx.controller()).moveSecretToStorage(uri, path, varName),
};

export function registerConfigCommands(ctx: ConfigCommandContext): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    registerCommand(
      id,
      guard(ctx.log, ctx.prompts, id, (...args: unknown[]) =>
        (handler as (c: ConfigCommandContext, ...a: unknown[]) => unknown)(ctx, ...args),
      ),
    ),
  );
}
