import * as vscode from 'vscode';
import {
  DOCTOR_VIEW,
  DoctorCommandSchema,
  type DoctorCommand,
  type DoctorViewModel,
} from '../../shared/doctor/protocol';
import type { ChannelLogger } from '../platform/logger';
import { ModelPanel } from '../webviews/modelPanel';

/** The "DCR Doctor" report: one panel, reused by every diagnosis (dist/webview/doctor.js with media/doctor.css). */
export class DoctorPanel extends ModelPanel<DoctorViewModel, DoctorCommand> {
  constructor(extensionUri: vscode.Uri, log: ChannelLogger, onCommand: (c: DoctorCommand) => unknown) {
    super(
      {
        viewType: 'konnectDcr.doctor',
        page: { entry: 'doctor', css: 'doctor.css', title: 'DCR Doctor', view: DOCTOR_VIEW },
        method: 'doctor/show',
        title: (model) => vscode.l10n.t('DCR Doctor: {0}', model.subject.name),
        column: vscode.ViewColumn.Active,
        preserveFocus: false,
        commands: DoctorCommandSchema,
        label: 'doctor view',
      },
      extensionUri,
      log,
      onCommand,
    );
  }
}
