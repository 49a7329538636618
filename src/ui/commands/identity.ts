/**
 * Kong Identity commands: thin handlers over the (lazily loaded) flows in ui/identity/flows.ts and secrets.ts (client
 * secrets and tokens), through the error
 * boundary. Arguments: a tree node (auth server, its Scopes/Claims group, a scope, a claim), or an object
 * (`{ authServerId, values }`, `{ authServerId, scopeId | claimId, values }`, the guided setup's answers). Without
 * one, each command asks.
 */
import type * as vscode from 'vscode';
import { IdentityCommands, type IdentityCommandId } from '../identity/ids';
import { guard } from '../platform/errorBoundary';
import type { CommandContext } from './context';
import { registerCommand } from '../platform/registerCommand';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
const load = (): typeof import('../identity/flows') => require('../identity/flows');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, as above
const secrets = (): typeof import('../identity/secrets') => require('../identity/secrets');

type Handler = (ctx: CommandContext, arg?: unknown) => Promise<unknown>;

const handlers: Record<IdentityCommandId, Handler> = {
  [IdentityCommands.newAuthServer]: async (ctx, arg) => load().newAuthServer(ctx, arg),
  [IdentityCommands.editAuthServer]: async (ctx, arg) => load().editAuthServer(ctx, arg),
  [IdentityCommands.newScope]: async (ctx, arg) => load().newScope(ctx, arg),
  [IdentityCommands.editScope]: async (ctx, arg) => load().editScope(ctx, arg),
  [IdentityCommands.newClaim]: async (ctx, arg) => load().newClaim(ctx, arg),
  [IdentityCommands.editClaim]: async (ctx, arg) => load().editClaim(ctx, arg),
  [IdentityCommands.newClient]: async (ctx, arg) => load().newClient(ctx, arg),
  [IdentityCommands.editClient]: async (ctx, arg) => load().editClient(ctx, arg),
  [IdentityCommands.previewClaim]: async (ctx, arg) => load().previewClaim(ctx, arg),
  [IdentityCommands.delete]: async (ctx, arg) => load().deleteIdentityItem(ctx, arg),
  [IdentityCommands.newProvider]: async (ctx, arg) => load().newKongIdentityProvider(ctx, arg),
  [IdentityCommands.guidedSetup]: async (ctx, arg) => load().guidedSetup(ctx, arg),
  [IdentityCommands.addSecret]: async (ctx, arg) => secrets().addSecret(ctx, arg),
  [IdentityCommands.enableSecret]: async (ctx, arg) => secrets().enableSecret(ctx, arg),
  [IdentityCommands.disableSecret]: async (ctx, arg) => secrets().disableSecret(ctx, arg),
  [IdentityCommands.deleteSecret]: async (ctx, arg) => secrets().deleteSecret(ctx, arg),
  [IdentityCommands.rotateSecret]: async (ctx, arg) => secrets().rotateSecret(ctx, arg),
  [IdentityCommands.revokeToken]: async (ctx, arg) => secrets().revokeToken(ctx, arg),
  [IdentityCommands.revokeAllTokens]: async (ctx, arg) => secrets().revokeAllTokens(ctx, arg),
};

export function registerIdentity(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    registerCommand(
      id,
      guard(ctx.log, ctx.prompts, id, (arg?: unknown) => handler(ctx, arg)),
    ),
  );
}
