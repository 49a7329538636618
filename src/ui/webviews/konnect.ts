import * as vscode from 'vscode';
import type { KonnectClient } from '../../core/api/client';
import type { Session } from '../auth/session';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import type { KonnectModel } from '../tree/model';

/** What a form that saves to Konnect needs: the connection it was opened for, its client, and what to do after a save. */
export interface KonnectFormDeps {
  readonly connection: string;
  /** The client of that connection; rejects when signed out or when another connection became active meanwhile. */
  client(): Promise<KonnectClient>;
  readonly log: ChannelLogger;
  /** After a save: tell the user, reload the trees. */
  saved(message: string): void;
}

export interface KonnectFormServices {
  readonly session: Session;
  readonly model: KonnectModel;
  readonly prompts: Prompts;
  readonly log: ChannelLogger;
}

/** Binds a form to the active connection; throws "Sign in to Konnect first." when there is none. */
export async function konnectFormDeps(services: KonnectFormServices): Promise<KonnectFormDeps> {
  const first = await services.session.active();
  if (!first) throw new Error(vscode.l10n.t('Sign in to Konnect first.'));
  const connection = first.info.name;
  return {
    connection,
    log: services.log,
    client: async () => {
      const s = await services.session.active();
      if (!s) throw new Error(vscode.l10n.t('Signed out of Konnect: sign in again, then submit.'));
      if (s.info.name !== connection)
        throw new Error(
          vscode.l10n.t(
            'The active connection is now "{0}", not "{1}" this form was opened for. Reopen the form.',
            s.info.name,
            connection,
          ),
        );
      return s.client;
    },
    saved: (message) => {
      services.prompts.notify('info', vscode.l10n.t('Konnect DCR: {0}', message));
      void services.model
        .refresh(['catalog'])
        .catch((err: unknown) => services.log.debug(`refresh after save: ${String(err)}`));
    },
  };
}
