import * as vscode from 'vscode';
import { KonnectApiError } from '../../core/api/errors';
import type { FormKind } from '../../core/forms/fields';
import { placeIssues } from '../../core/forms/payload';
import type { FormErrors } from '../../shared/forms/protocol';
import { userMessage } from './formPanel';

/**
 * A failed Konnect call as form errors: a 400's `invalid_parameters` go on their fields (unknown or hidden fields at
 * the top, with their path), its detail at the top; anything else (401, 403, 409, network) is one line at the top.
 */
export function formErrorsOf(kind: FormKind, err: unknown, visible: ReadonlySet<string>): FormErrors {
  if (err instanceof KonnectApiError && err.invalidParameters.length) {
    const placed = placeIssues(
      kind,
      err.invalidParameters.map((p) => ({ field: p.field, reason: p.reason })),
      visible,
    );
    const head =
      err.detail && err.detail !== err.title
        ? vscode.l10n.t('Konnect refused it ({0} {1}: {2}).', err.status, err.title, err.detail)
        : vscode.l10n.t('Konnect refused it ({0} {1}).', err.status, err.title);
    const trace = err.instance ? ` ${vscode.l10n.t('Trace: {0}', err.instance)}` : '';
    return { fields: placed.fields, form: [head + trace, ...placed.form] };
  }
  return { fields: {}, form: [userMessage(err)] };
}
