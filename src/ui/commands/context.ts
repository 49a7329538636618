import type * as vscode from 'vscode';
import type { Redactor } from '../../core/util/redact';
import type { ConnectionStore } from '../auth/connections';
import type { Session } from '../auth/session';
import type { DetailsRenderer } from '../details/details';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import type { KonnectModel } from '../tree/model';
import type { Trees } from '../tree/trees';
import type { WalkthroughState } from '../walkthroughs/state';

/** What command handlers may use; built once in extension.ts. */
export interface CommandContext {
  readonly log: ChannelLogger;
  readonly channel: vscode.LogOutputChannel;
  readonly prompts: Prompts;
  readonly connections: ConnectionStore;
  readonly session: Session;
  readonly model: KonnectModel;
  readonly trees: Trees;
  readonly details: DetailsRenderer;
  /** For webviews (forms): their scripts and styles live under dist/webview and media. */
  readonly extensionUri: vscode.Uri;
  /** For values kept in SecretStorage by other features than sign-in (config secrets written by the forms). */
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  readonly redactor: Redactor;
  /** The walkthroughs' context keys; Prove DCR reports its results here. */
  readonly walkthroughs: WalkthroughState;
}
