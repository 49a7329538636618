import * as vscode from 'vscode';
import type { VerifyDcrProviderResponse } from '../../core/api/index';
import { toAbortSignal } from '../platform/errorBoundary';
import { isResourceNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { pickResource } from './find';

export interface VerifyOutcome extends VerifyDcrProviderResponse {
  readonly name: string;
  /** What the user was told. */
  readonly message: string;
}

/** Konnect's verify errors are terse; add what usually causes them. */
function explain(error: string): string {
  const e = error.trim();
  if (/invalid_client|unauthori[sz]ed|401/i.test(e)) return `${e} (the initial client id/secret, DCR token or API key was refused by the identity provider)`;
  if (/ENOTFOUND|ECONNREFUSED|unreachable|timed? ?out|connect/i.test(e)) return `${e} (Konnect could not reach the identity provider: check the issuer or DCR base URL)`;
  if (/issuer/i.test(e)) return `${e} (check the issuer URL)`;
  return e;
}

/** "Verify DCR Provider": asks Konnect to check the provider against its identity provider and says what it found. */
export async function verifyProvider(ctx: CommandContext, arg?: unknown): Promise<VerifyOutcome | undefined> {
  let id: string;
  let name: string;
  if (isResourceNode(arg) && arg.kind === 'provider') { id = arg.provider.id; name = arg.provider.name; }
  else {
    const found = await pickResource(ctx, typeof arg === 'string' ? arg : undefined, ['provider'], 'Verify which DCR provider?');
    if (!found) return undefined;
    ({ id, name } = found);
  }
  const s = await ctx.session.active();
  if (!s) throw new Error('Sign in to Konnect first.');
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Konnect DCR: verifying DCR provider "${name}"…`, cancellable: true },
    (_p, token) => s.client.dcrProviders.verify(id, { signal: toAbortSignal(token) }),
  );
  let message: string;
  if (result.status === 'success') {
    message = `DCR provider "${name}" verified: Konnect reached its identity provider and can register clients.`;
    ctx.log.info(message);
    ctx.prompts.notify('info', message);
  } else {
    const errors = result.errors.length ? result.errors.map(explain) : ['Konnect gave no reason'];
    message = `DCR provider "${name}" failed verification: ${errors.length === 1 ? errors[0] : errors.map((e, i) => `(${i + 1}) ${e}`).join('; ')}`;
    ctx.log.warn(message);
    ctx.prompts.notify('error', message, ['Show Log'], () => ctx.channel.show(true));
  }
  return { ...result, name, message };
}
