/**
 * "DCR Doctor" commands: thin handlers over the (lazily loaded) DoctorController, through the error boundary.
 *
 * - `konnectDcr.diagnose(arg?)`: arg is a strategy tree node, a strategy object, id or name, or `DoctorOptions`
 *   (`{strategy | apiId [, portalId], show?}`); without one a quick pick of strategies, publications and APIs.
 *   Returns the report.
 * - `konnectDcr.diagnose.fix(linkId, index)`: runs a fix of the last report (what the report's buttons do).
 */
import type * as vscode from 'vscode';
import { guard } from '../platform/errorBoundary';
import { registerCommand } from '../platform/registerCommand';
import type { DoctorController } from '../doctor/controller';
import { DoctorCommands, type DoctorCommandId } from '../doctor/ids';
import type { CommandContext } from './context';

type Handler = (c: () => Promise<DoctorController>, ...args: never[]) => unknown;

const handlers: Record<DoctorCommandId, Handler> = {
  [DoctorCommands.diagnose]: async (c, arg?: unknown) => (await c()).diagnose(arg),
  [DoctorCommands.fix]: async (c, link?: unknown, index?: unknown) => (await c()).fix(link, index),
};

export function registerDoctor(ctx: CommandContext): vscode.Disposable[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
  const load = (): typeof import('../doctor/controller') => require('../doctor/controller');
  let controller: Promise<DoctorController> | undefined;
  const get = (): Promise<DoctorController> =>
    (controller ??= Promise.resolve().then(() => new (load().DoctorController)(ctx)));
  return [
    {
      dispose: () => {
        if (controller)
          void controller.then(
            (c) => c.dispose(),
            () => undefined,
          );
      },
    },
    ...Object.entries(handlers).map(([id, handler]) =>
      registerCommand(
        id,
        guard(ctx.log, ctx.prompts, id, (...args: unknown[]) =>
          (handler as (c: () => Promise<DoctorController>, ...a: unknown[]) => unknown)(get, ...args),
        ),
      ),
    ),
  ];
}
