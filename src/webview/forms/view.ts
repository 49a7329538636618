import type { OptionsParams, SubmitParams } from '../../shared/forms/protocol';
import type { FormWarning } from '../../core/forms/warnings';
import type { Field } from './dom';

/** One rendered form: its fields by id, what it would submit, and how it takes the Konnect choices. */
export interface FormView {
  readonly element: HTMLElement;
  readonly fields: ReadonlyMap<string, Field>;
  params(): SubmitParams;
  /** The values to keep in the webview state: everything but the secrets. */
  stateValues(): Record<string, unknown>;
  applyOptions(options: OptionsParams): void;
  /** The lint-pack warnings about what the form holds now (shown under their fields; never blocking). */
  warnings(): readonly FormWarning[];
}

/** Shows the groups of the fields that apply, hides the others. */
export function showOnly(fields: ReadonlyMap<string, Field>, visible: (name: string) => boolean): void {
  for (const [name, f] of fields) f.group.hidden = !visible(name);
}

export function markRequired(fields: ReadonlyMap<string, Field>, required: readonly string[]): void {
  for (const [name, f] of fields) {
    const label = f.group.querySelector('vscode-label');
    if (label) label.required = required.includes(name);
  }
}
