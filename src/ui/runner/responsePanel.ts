import * as vscode from 'vscode';
import {
  RESPONSE_VIEW,
  ResponseCommandSchema,
  type ResponseCommand,
  type ResponseViewModel,
} from '../../shared/response/protocol';
import type { ChannelLogger } from '../platform/logger';
import { ModelPanel } from '../webviews/modelPanel';

/** The response view: one panel beside the editor, reused for every run (dist/webview/response.js). */
export class ResponsePanel extends ModelPanel<ResponseViewModel, ResponseCommand> {
  constructor(extensionUri: vscode.Uri, log: ChannelLogger, onCommand: (c: ResponseCommand) => unknown) {
    super(
      {
        viewType: 'konnectDcr.response',
        page: { entry: 'response', css: 'response.css', title: 'Response', view: RESPONSE_VIEW },
        method: 'response/show',
        title: (model) => vscode.l10n.t('Response: {0}', model.title),
        column: vscode.ViewColumn.Beside,
        revealColumn: vscode.ViewColumn.Beside,
        preserveFocus: true,
        commands: ResponseCommandSchema,
        label: 'response view',
      },
      extensionUri,
      log,
      onCommand,
    );
  }
}
