/**
 * "Prove DCR" commands: thin handlers over the (lazily loaded) ProveController, through the error boundary.
 *
 * - `konnectDcr.prove(arg?)`: arg is a strategy tree node (strategy, strategy field, linked provider), a strategy
 *   object, a strategy id or name, a kongctl YAML file `(uri, line)`, or a `ProveOptions` object (tests: strategy,
 *   apiId, portalId, gatewayUrl / routeUrl, portalUrl, keepApp, show, retries). Without one: the strategy entry under
 *   the cursor of a kongctl YAML file, else a quick pick. Returns the report without secrets.
 * - `konnectDcr.prove.showLast()`: the last report again; returns its view model.
 * - `konnectDcr.prove.forgetDeveloper()`: forgets the active connection's test developer.
 * - `konnectDcr.prove.forgetOwnedClient({ providerId }?)`: forgets a client an admin-mode run was given.
 */
import type * as vscode from 'vscode';
import type { Redactor } from '../../core/util/redact';
import { guard } from '../platform/errorBoundary';
import { ProveCommands, type ProveCommandId } from '../prove/ids';
import type { ProveController } from '../prove/controller';
import type { CommandContext } from './context';
import { registerCommand } from '../platform/registerCommand';

type Handler = (c: () => Promise<ProveController>, ...args: never[]) => unknown;
/** A controller that failed to load has nothing to dispose; the command that asked for it reported the failure. */
const noController = (): void => undefined;

const handlers: Record<ProveCommandId, Handler> = {
  [ProveCommands.prove]: async (c, arg?: unknown, line?: unknown) => (await c()).prove(arg, line),
  [ProveCommands.showLast]: async (c) => (await c()).showLast(),
  [ProveCommands.forgetDeveloper]: async (c) => (await c()).forgetDeveloper(),
  [ProveCommands.forgetOwnedClient]: async (c, arg?: unknown) => (await c()).forgetOwnedClient(arg),
};

export function registerProve(
  context: vscode.ExtensionContext,
  ctx: CommandContext,
  redactor: Redactor,
  onController?: (get: () => Promise<ProveController>) => void,
): vscode.Disposable[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
  const load = (): typeof import('../prove/controller') => require('../prove/controller');
  let controller: Promise<ProveController> | undefined;
  const get = (): Promise<ProveController> =>
    (controller ??= Promise.resolve().then(
      () =>
        new (load().ProveController)({
          ctx,
          secrets: context.secrets,
          globalState: context.globalState,
          redactor,
          userAgent: `konnect-dcr-vscode/${String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0')}`,
        }),
    ));
  onController?.(get);
  return [
    {
      dispose: () => {
        if (controller) void controller.then((c) => c.dispose(), noController);
      },
    },
    ...Object.entries(handlers).map(([id, handler]) =>
      registerCommand(
        id,
        guard(ctx.log, ctx.prompts, id, (...args: unknown[]) =>
          (handler as (c: () => Promise<ProveController>, ...a: unknown[]) => unknown)(get, ...args),
        ),
      ),
    ),
  ];
}
