import * as vscode from 'vscode';
import { PROVE_VIEW, ProveCommandSchema, type ProveCommand, type ProveViewModel } from '../../shared/prove/protocol';
import type { ChannelLogger } from '../platform/logger';
import { ModelPanel } from '../webviews/modelPanel';

/** The "Prove DCR" report: one panel, reused by every run and updated live as the steps run (dist/webview/prove.js). */
export class ProvePanel extends ModelPanel<ProveViewModel, ProveCommand> {
  constructor(extensionUri: vscode.Uri, log: ChannelLogger, onCommand: (c: ProveCommand) => unknown) {
    super(
      {
        viewType: 'konnectDcr.prove',
        page: { entry: 'prove', css: 'prove.css', title: 'Prove DCR', view: PROVE_VIEW },
        method: 'prove/show',
        title: (model) => vscode.l10n.t('Prove DCR: {0}', model.strategy.name),
        column: vscode.ViewColumn.Active,
        preserveFocus: false,
        commands: ProveCommandSchema,
        label: 'prove view',
      },
      extensionUri,
      log,
      onCommand,
    );
  }
}
