/**
 * Tiny DOM builders over @vscode-elements components (and a native select). Only properties and safe attributes are set (no innerHTML, no
 * inline style), so the page runs under the strict CSP. Every field is a `vscode-form-group[data-field]` holding a
 * label, the control (`#f-<field>`), an optional helper and an error line (`[data-error-for=<field>]`).
 */
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { FieldInfo } from '../../core/forms/fields';

type Attrs = Record<string, string | boolean | undefined>;

/** An element with attributes (`hidden`/boolean ones when true) and children (strings become text). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export interface Field<C extends HTMLElement = HTMLElement> {
  readonly name: string;
  readonly group: HTMLElement;
  readonly control: C;
  readonly error: HTMLElement;
  /** The lint-pack warnings about the field's value (never blocking). */
  readonly warning: HTMLElement;
  readonly helper: HTMLElement | undefined;
}

function group<C extends HTMLElement>(
  name: string,
  info: FieldInfo,
  control: C,
  opts: { required?: boolean; labelFor?: boolean } = {},
): Field<C> {
  control.id = `f-${name}`;
  const label = el('vscode-label', opts.labelFor === false ? {} : { for: control.id });
  label.textContent = info.label;
  label.required = !!opts.required;
  const error = el('div', { class: 'field-error', 'data-error-for': name, role: 'alert', hidden: true });
  const helper = info.help ? el('vscode-form-helper', {}, el('p', {}, info.help)) : undefined;
  const warning = warningLine(name);
  const g = el('vscode-form-group', { 'data-field': name });
  g.variant = 'vertical';
  g.append(label, control, ...(helper ? [helper] : []), error, warning);
  return { name, group: g, control, error, warning, helper };
}

export function textField(
  name: string,
  info: FieldInfo,
  opts: { required?: boolean; type?: 'text' | 'url' | 'password' } = {},
): Field<VscodeTextfield> {
  const c = el('vscode-textfield');
  c.name = name;
  c.type = opts.type ?? 'text';
  if (info.placeholder) c.placeholder = info.placeholder;
  if (opts.type === 'password') c.autocomplete = 'off';
  return group(name, info, c, opts);
}

export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly description?: string;
}

/**
 * A native `<select>`, styled as VS Code's dropdown (media/forms.css): @vscode-elements' single-select would be a
 * third of this page's bundle and of its VSIX share. An option's description (an issuer) shows under the field for
 * the chosen one, and as the option's tooltip.
 */
export function selectField(
  name: string,
  info: FieldInfo,
  choices: readonly Choice[],
  opts: { required?: boolean } = {},
): Field<HTMLSelectElement> {
  const c = el('select', { class: 'select' });
  c.name = name;
  setChoices(c, choices);
  const f = group(name, info, c, opts);
  const about = el('div', { class: 'select-description', 'data-description-for': name });
  const describe = (): void => {
    about.textContent = c.selectedOptions[0]?.title ?? '';
    about.hidden = !about.textContent;
  };
  c.after(about);
  c.addEventListener('change', describe);
  choicesChanged.set(c, describe);
  describe();
  return f;
}

const choicesChanged = new WeakMap<HTMLSelectElement, () => void>();

export function setChoices(select: HTMLSelectElement, choices: readonly Choice[], value = select.value): void {
  select.replaceChildren(
    ...choices.map((ch) => {
      const o = el('option', { value: ch.value, title: ch.description });
      o.textContent = ch.label;
      return o;
    }),
  );
  select.value = choices.some((c) => c.value === value) ? value : (choices[0]?.value ?? '');
  choicesChanged.get(select)?.();
}

export function checkboxField(name: string, info: FieldInfo): Field<VscodeCheckbox> {
  const c = el('vscode-checkbox');
  c.name = name;
  c.label = info.label;
  const error = el('div', { class: 'field-error', 'data-error-for': name, role: 'alert', hidden: true });
  c.id = `f-${name}`;
  const g = el('vscode-form-group', { 'data-field': name });
  g.variant = 'vertical';
  const helper = info.help ? el('vscode-form-helper', {}, el('p', {}, info.help)) : undefined;
  const warning = warningLine(name);
  g.append(c, ...(helper ? [helper] : []), error, warning);
  return { name, group: g, control: c, error, warning, helper };
}

/** Several checkboxes under one label (the auth methods); the control is the box holding them. */
export function checkboxGroupField(
  name: string,
  info: FieldInfo,
  choices: readonly Choice[],
  opts: { required?: boolean } = {},
): Field<HTMLElement> & { boxes(): VscodeCheckbox[]; set(values: readonly string[]): void; get(): string[] } {
  const box = el('div', { class: 'checkbox-grid', role: 'group', 'aria-label': info.label });
  const f = group(name, info, box, { ...opts, labelFor: false });
  const boxes = (): VscodeCheckbox[] => [...box.querySelectorAll('vscode-checkbox')];
  const add = (value: string, label: string): VscodeCheckbox => {
    const c = el('vscode-checkbox', { 'data-value': value });
    c.label = label;
    c.value = value;
    box.append(c);
    return c;
  };
  for (const ch of choices) add(ch.value, ch.label);
  return {
    ...f,
    boxes,
    set: (values) => {
      for (const v of values) if (!boxes().some((b) => b.value === v)) add(v, v);
      for (const b of boxes()) b.checked = values.includes(b.value);
    },
    get: () =>
      boxes()
        .filter((b) => b.checked)
        .map((b) => b.value),
  };
}

export function button(label: string, opts: { id: string; secondary?: boolean }): VscodeButton {
  const b = el('vscode-button', { id: opts.id });
  b.textContent = label;
  if (opts.secondary) b.secondary = true;
  return b;
}

/** Show or clear a field's error (the control turns red where the component supports it). */
function warningLine(name: string): HTMLElement {
  return el('div', { class: 'field-warning', 'data-warning-for': name, role: 'status', hidden: true });
}

/** Shows the warnings about a field (a line each, its severity as `data-severity`), or hides the line. */
export function setFieldWarnings(
  f: Field,
  warnings: readonly { readonly severity: string; readonly message: string }[],
): void {
  f.warning.replaceChildren(...warnings.map((w) => el('p', { 'data-severity': w.severity }, w.message)));
  f.warning.hidden = !warnings.length;
}

export function setFieldError(f: Field, message: string | undefined): void {
  f.error.textContent = message ?? '';
  f.error.hidden = !message;
  const c = f.control as HTMLElement & { invalid?: boolean };
  if ('invalid' in c) c.invalid = !!message;
  f.group.classList.toggle('has-error', !!message);
}
