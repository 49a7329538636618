import * as vscode from 'vscode';
import type { DcrProvider, VerifyDcrProviderResponse } from '../../core/api/index';
import { dcrFieldsOf, providerType } from '../../core/model/providerTypes';
import { toAbortSignal } from '../platform/errorBoundary';
import { isResourceNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { pickResource } from './find';

export interface VerifyOutcome extends VerifyDcrProviderResponse {
  readonly name: string;
  /** What the user was told. */
  readonly message: string;
}

/** Konnect's verify errors name the failure; add what to check for this provider type (the provider-type table). */
function explain(error: string, type: DcrProvider['provider_type'] | undefined): string {
  const e = error.trim().replace(/\.$/, '');
  if (/invalid_client|unauthori[sz]ed|\b401\b|rejected/i.test(e))
    return vscode.l10n.t(
      '{0}: {1}.',
      e,
      type ? providerType(type).verifyHint : vscode.l10n.t('check the credentials Konnect uses for this provider'),
    );
  if (/ENOTFOUND|ECONNREFUSED|could not reach|unreachable|timed? ?out|fetch failed/i.test(e)) {
    // the issuer, and any URL the provider's dcr_config holds (the HTTP bridge's base URL)
    const urls = type
      ? dcrFieldsOf(type)
          .filter((f) => f.kind === 'url')
          .map((f) => f.label)
      : [];
    return urls.length
      ? vscode.l10n.t(
          '{0}: Konnect could not reach the identity provider; check the issuer and the {1}.',
          e,
          urls.join(', '),
        )
      : vscode.l10n.t('{0}: Konnect could not reach the identity provider; check the issuer.', e);
  }
  if (/issuer/i.test(e)) return vscode.l10n.t('{0}: check the issuer URL.', e);
  return `${e}.`;
}

/** "Verify DCR Provider": asks Konnect to check the provider against its identity provider and says what it found. */
export async function verifyProvider(ctx: CommandContext, arg?: unknown): Promise<VerifyOutcome | undefined> {
  let id: string;
  let name: string;
  let type: DcrProvider['provider_type'] | undefined;
  if (isResourceNode(arg) && arg.kind === 'provider') {
    id = arg.provider.id;
    name = arg.provider.name;
    type = arg.provider.provider_type;
  } else {
    const found = await pickResource(
      ctx,
      typeof arg === 'string' ? arg : undefined,
      ['provider'],
      vscode.l10n.t('Verify which DCR provider?'),
    );
    if (!found) return undefined;
    ({ id, name } = found);
    type = ctx.model.peekCatalog()?.providerById.get(id)?.provider_type;
  }
  const s = await ctx.session.active();
  if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Konnect DCR: verifying DCR provider "{0}"…', name),
      cancellable: true,
    },
    (_p, token) => s.client.dcrProviders.verify(id, { signal: toAbortSignal(token) }),
  );
  let message: string;
  if (result.status === 'success') {
    message = vscode.l10n.t(
      'DCR provider "{0}" verified: Konnect reached its identity provider and can register clients.',
      name,
    );
    ctx.log.info(message);
    ctx.prompts.notify('info', message);
  } else {
    const errors = result.errors.length
      ? result.errors.map((e) => explain(e, type))
      : [vscode.l10n.t('Konnect gave no reason')];
    message = vscode.l10n.t(
      'DCR provider "{0}" failed verification: {1}',
      name,
      errors.length === 1 ? errors[0]! : errors.map((e, i) => `(${i + 1}) ${e}`).join(' '),
    );
    ctx.log.warn(message);
    ctx.prompts.notify('error', message, [vscode.l10n.t('Show Log')], () => ctx.channel.show(true));
  }
  return { ...result, name, message };
}
