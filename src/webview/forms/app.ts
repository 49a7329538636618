/**
 * The forms page: announces itself (`ready`), renders what the host sends (`forms/init`), takes the Konnect choices
 * (`forms/options`), submits (`forms/submit`) and shows the answer: a notice, or errors on the fields and at the top.
 * The form's values live in the webview state (`setState`), secrets excepted, so a reloaded page keeps them.
 */
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { FORMS_VIEW, FormMethods } from '../../shared/forms/methods';
import type { FormErrors, FormsOutbound, InitParams, OptionsParams, SubmitResult } from '../../shared/forms/protocol';
import type { WebviewToHost } from '../../shared/protocol';
import { button, el, setFieldError, setFieldWarnings } from './dom';
import { providerView } from './providerView';
import { strategyView } from './strategyView';
import type { FormView } from './view';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What the page keeps across reloads. */
interface SavedState {
  readonly formKey: string;
  readonly values: Record<string, unknown>;
}

function savedState(api: VsCodeApi, formKey: string): Record<string, unknown> | undefined {
  const s = api.getState() as Partial<SavedState> | undefined;
  return s && s.formKey === formKey && s.values && typeof s.values === 'object' ? s.values : undefined;
}

export function startFormsPage(root: HTMLElement): void {
  const api = acquireVsCodeApi();
  let current: InitParams | undefined;
  let view: FormView | undefined;
  let submitButton: VscodeButton | undefined;
  let pending: number | undefined;
  let seq = 0;
  let lastOptions: OptionsParams | undefined;

  const post = (m: unknown): void => api.postMessage(m);
  const log = (level: 'info' | 'warn', message: string): void =>
    post({ type: 'command', method: FormMethods.log, params: { level, message: message.slice(0, 2000) } });
  let violations = 0;
  document.addEventListener('securitypolicyviolation', (e) => {
    document.body.dataset['cspViolations'] = String(++violations); // read by the UI tests
    log('warn', `CSP blocked ${e.violatedDirective} (${e.blockedURI || 'inline'})`);
  });
  window.addEventListener('error', (e) => log('warn', `script error: ${e.message}`));

  const notice = el('div', { id: 'notice', class: 'notice', role: 'status', hidden: true });
  const formErrors = el('div', { id: 'form-errors', class: 'form-errors', role: 'alert', hidden: true });

  /** The lint-pack warnings under their fields, as the values change. */
  const showWarnings = (): void => {
    const ws = view?.warnings() ?? [];
    for (const [name, f] of view?.fields ?? [])
      setFieldWarnings(
        f,
        ws.filter((w) => w.field === name),
      );
  };
  const save = (): void => {
    if (current && view) api.setState({ formKey: current.formKey, values: view.stateValues() } satisfies SavedState);
    showWarnings();
  };

  const showNotice = (text: string | undefined): void => {
    notice.textContent = text ?? '';
    notice.hidden = !text;
  };

  const showErrors = (errors: FormErrors | undefined): void => {
    formErrors.replaceChildren();
    const form = errors?.form ?? [];
    if (form.length) formErrors.append(el('ul', {}, ...form.map((m) => el('li', {}, m))));
    formErrors.hidden = !form.length;
    let first: HTMLElement | undefined;
    for (const [name, f] of view?.fields ?? []) {
      const message = errors?.fields[name];
      setFieldError(f, message);
      if (message && !first && !f.group.hidden) first = f.control;
    }
    if (form.length) formErrors.scrollIntoView({ block: 'nearest' });
    else first?.focus();
  };

  const setBusy = (busy: boolean): void => {
    if (submitButton) submitButton.disabled = busy;
    root.setAttribute('aria-busy', String(busy));
  };

  const submit = (): void => {
    if (!view || pending !== undefined) return;
    pending = ++seq;
    setBusy(true);
    showNotice(undefined);
    post({ type: 'request', id: pending, method: FormMethods.submit, params: view.params() });
  };

  const render = (init: InitParams, keepNotice?: string): void => {
    current = init;
    const restored = savedState(api, init.formKey);
    const values = { ...init.values, ...restored } as typeof init.values;
    view =
      init.kind === 'provider'
        ? providerView(init, values as Extract<InitParams, { kind: 'provider' }>['values'], save)
        : strategyView(init, values as Extract<InitParams, { kind: 'strategy' }>['values'], save);
    view.element.addEventListener('input', save);
    view.element.addEventListener('change', save);

    const where =
      init.target.kind === 'konnect'
        ? `Saves to Konnect (connection "${init.target.connection}").`
        : `Saves to ${init.target.file}.`;
    const label =
      init.target.kind === 'yaml'
        ? 'Save to File'
        : init.mode === 'create'
          ? init.kind === 'provider'
            ? 'Create Provider'
            : 'Create Strategy'
          : 'Save Changes';
    submitButton = button(label, { id: 'submit' });
    submitButton.addEventListener('click', submit);
    const close = button('Close', { id: 'cancel', secondary: true });
    close.addEventListener('click', () => post({ type: 'command', method: FormMethods.cancel, params: {} }));
    const form = el('form', { id: 'form', novalidate: true, 'data-kind': init.kind, 'data-mode': init.mode });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submit();
    });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
    });
    form.append(view.element, el('div', { class: 'actions' }, submitButton, close));

    root.replaceChildren(el('h1', {}, init.title), el('p', { class: 'target' }, where), notice, formErrors, form);
    showNotice(keepNotice ?? init.notice);
    showErrors(undefined);
    if (lastOptions) view.applyOptions(lastOptions);
    setBusy(false);
    save();
  };

  const onResult = (id: number, result: SubmitResult): void => {
    if (id !== pending) return;
    pending = undefined;
    setBusy(false);
    if (result.ok) {
      if (result.next) render(result.next, result.message);
      else showNotice(result.message);
      showErrors(undefined);
      return;
    }
    showErrors(result.errors);
  };

  window.addEventListener('message', (event: MessageEvent<FormsOutbound>) => {
    const m = event.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'notification' && m.method === FormMethods.init) render(m.params);
    else if (m.type === 'notification' && m.method === FormMethods.options) {
      lastOptions = m.params;
      view?.applyOptions(m.params);
      showWarnings();
    } else if (m.type === 'response' && m.method === FormMethods.submit) onResult(m.id, m.result);
  });

  const ready: WebviewToHost = { type: 'ready', view: document.body.dataset['view'] ?? FORMS_VIEW };
  post(ready);
}
