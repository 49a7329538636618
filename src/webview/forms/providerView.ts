import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import {
  PROVIDER_BOOLEAN_FIELDS,
  PROVIDER_FIELDS,
  PROVIDER_FIELD_INFO,
  PROVIDER_REQUIRED,
  PROVIDER_SECRET_FIELDS,
  PROVIDER_TYPED_FIELDS,
  PROVIDER_TYPE_FIELDS,
  PROVIDER_TYPE_OPTIONS,
  PROVIDER_URL_FIELDS,
  SECRET_UNCHANGED_PLACEHOLDER,
  type ProviderField,
  type ProviderSecretField,
  type ProviderTypeValue,
} from '../../core/forms/fields';
import { providerFormWarnings } from '../../core/forms/warnings';
import type { OptionsParams, ProviderFormValues, ProviderInit } from '../../shared/forms/protocol';
import { checkboxField, el, selectField, setChoices, textField, type Field } from './dom';
import { markRequired, showOnly, type FormView } from './view';

export function providerView(init: ProviderInit, values: ProviderFormValues, onChange: () => void): FormView {
  const fields = new Map<string, Field>();
  const text = (name: ProviderField): VscodeTextfield => {
    const secretField = (PROVIDER_SECRET_FIELDS as readonly string[]).includes(name);
    const f = textField(name, PROVIDER_FIELD_INFO[name], {
      type: secretField ? 'password' : PROVIDER_URL_FIELDS.includes(name) ? 'url' : 'text',
    });
    fields.set(name, f);
    if (secretField) {
      f.control.value = ''; // never prefilled: secrets are not sent to the page
      if (init.storedSecrets.includes(name as ProviderSecretField)) {
        f.control.placeholder = SECRET_UNCHANGED_PLACEHOLDER;
        f.control.dataset['stored'] = 'true';
      }
    } else f.control.value = String(values[name] ?? '');
    return f.control;
  };
  const check = (name: ProviderField): VscodeCheckbox => {
    const f = checkboxField(name, PROVIDER_FIELD_INFO[name]);
    f.control.checked = values[name] === true;
    fields.set(name, f);
    return f.control;
  };

  const typeField = selectField('providerType', PROVIDER_FIELD_INFO.providerType, PROVIDER_TYPE_OPTIONS);
  typeField.control.value = values.providerType;
  typeField.control.disabled = init.locked.includes('providerType');
  const authServer = selectField('authServerId', PROVIDER_FIELD_INFO.authServerId, [
    { value: '', label: 'Loading the auth servers…' },
  ]);
  // every field, in PROVIDER_FIELDS order (the page shows them in the map's order)
  const booleans: readonly string[] = PROVIDER_BOOLEAN_FIELDS;
  for (const name of PROVIDER_FIELDS) {
    if (name === 'providerType') fields.set(name, typeField);
    else if (name === 'authServerId') fields.set(name, authServer);
    else if (booleans.includes(name)) check(name);
    else text(name);
  }
  const issuer = fields.get('issuer')?.control as VscodeTextfield;

  let authServers: OptionsParams['authServers'] = [];
  const wantedServer = values.authServerId;
  // The selects' own `value` reads '' until they have taken in their options: keep the choices here.
  let currentType: ProviderTypeValue = values.providerType;
  let currentServer = values.authServerId;
  const type = (): ProviderTypeValue => currentType;
  const layout = (): void => {
    const t = type();
    showOnly(
      fields,
      (name) =>
        !PROVIDER_TYPED_FIELDS.includes(name as ProviderField) ||
        PROVIDER_TYPE_FIELDS[t].includes(name as ProviderField),
    );
    const secrets: readonly string[] = init.mode === 'edit' ? PROVIDER_SECRET_FIELDS : [];
    markRequired(
      fields,
      PROVIDER_REQUIRED[t].filter((f) => !secrets.includes(f)),
    );
  };
  typeField.control.addEventListener('change', () => {
    const v = typeField.control.value;
    if (PROVIDER_TYPE_OPTIONS.some((o) => o.value === v)) currentType = v as ProviderTypeValue;
    layout();
    onChange();
  });
  authServer.control.addEventListener('change', () => {
    currentServer = authServer.control.value;
    const picked = authServers?.find((a) => a.id === currentServer);
    if (picked) issuer.value = picked.issuer;
    onChange();
  });
  layout();

  const read = (): ProviderFormValues => {
    const out: Record<string, unknown> = { providerType: type(), authServerId: currentServer };
    for (const name of PROVIDER_FIELDS) {
      if (name === 'providerType' || name === 'authServerId') continue;
      const control = fields.get(name)?.control;
      out[name] = booleans.includes(name) ? (control as VscodeCheckbox).checked : (control as VscodeTextfield).value;
    }
    return out as ProviderFormValues;
  };

  const element = el('div', { class: 'fields' });
  element.append(...[...fields.values()].map((f) => f.group));
  return {
    element,
    fields,
    params: () => ({ kind: 'provider', values: read() }),
    warnings: () => providerFormWarnings(read()),
    stateValues: () => {
      const all: Record<string, unknown> = { ...read() };
      for (const s of PROVIDER_SECRET_FIELDS) delete all[s];
      return all;
    },
    applyOptions: (options) => {
      if (options.authServers === undefined && options.error === undefined) return;
      authServers = options.authServers ?? [];
      const choices = authServers.length
        ? [
            { value: '', label: 'Pick an auth server…' },
            ...authServers.map((a) => ({ value: a.id, label: a.name, description: a.issuer })),
          ]
        : [
            {
              value: '',
              label: options.error
                ? 'Could not list the auth servers (type the issuer)'
                : 'No auth servers in this region',
            },
          ];
      const byIssuer = authServers.find((a) => a.issuer === issuer.value)?.id;
      currentServer =
        [wantedServer, currentServer, byIssuer].find((id) => id && authServers?.some((a) => a.id === id)) ?? '';
      setChoices(authServer.control, choices, currentServer);
      if (options.error) {
        const f = fields.get('authServerId');
        if (f?.helper) f.helper.replaceChildren(el('p', {}, options.error));
      }
    },
  };
}
