import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import {
  AUTH_METHOD_OPTIONS,
  DEFAULT_CREDENTIAL_CLAIM,
  STRATEGY_FIELD_INFO,
  STRATEGY_REQUIRED,
  STRATEGY_TYPED_FIELDS,
  STRATEGY_TYPE_FIELDS,
  STRATEGY_TYPE_OPTIONS,
  strategyIssuerFromProvider,
  type StrategyField,
  type StrategyTypeValue,
} from '../../core/forms/fields';
import { strategyFormWarnings } from '../../core/forms/warnings';
import { hasQuirk, isProviderType, providerNoun } from '../../core/model/providerTypes';
import type { ProviderOption, StrategyFormValues, StrategyInit } from '../../shared/forms/protocol';
import { checkboxField, checkboxGroupField, el, selectField, setChoices, textField, type Field } from './dom';
import { markRequired, showOnly, type FormView } from './view';

export function strategyView(init: StrategyInit, values: StrategyFormValues, onChange: () => void): FormView {
  const fields = new Map<string, Field>();
  const text = (name: StrategyField, type: 'text' | 'url' = 'text'): VscodeTextfield => {
    const f = textField(name, STRATEGY_FIELD_INFO[name], { type });
    f.control.value = String(values[name] ?? '');
    fields.set(name, f);
    return f.control;
  };

  text('name');
  const displayName = text('displayName');
  const typeField = selectField('strategyType', STRATEGY_FIELD_INFO.strategyType, STRATEGY_TYPE_OPTIONS);
  typeField.control.value = values.strategyType;
  typeField.control.disabled = init.locked.includes('strategyType');
  fields.set('strategyType', typeField);
  const provider = selectField('dcrProviderId', STRATEGY_FIELD_INFO.dcrProviderId, [
    { value: values.dcrProviderId, label: values.dcrProviderId ? 'Loading the DCR providers…' : '(none)' },
  ]);
  fields.set('dcrProviderId', provider);
  const issuer = text('issuer', 'url');
  text('scopes');
  const claim = text('credentialClaim');
  const methods = checkboxGroupField('authMethods', STRATEGY_FIELD_INFO.authMethods, AUTH_METHOD_OPTIONS);
  methods.set(values.authMethods);
  fields.set('authMethods', methods);
  const audience = text('audience');
  text('otherSettings');
  text('keyNames');
  text('keyTtl');
  const principals = checkboxField('principals', STRATEGY_FIELD_INFO.principals);
  principals.control.checked = values.principals;
  fields.set('principals', principals);
  displayName.placeholder = 'defaults to the name';

  let providers: readonly ProviderOption[] = [];
  /** The issuer/claim last filled in from a provider: replaced when another provider is picked, kept once edited. */
  let autoIssuer = '';
  let autoClaim = '';
  // The selects' own `value` reads '' until they have taken in their options: keep the choices here.
  let currentType: StrategyTypeValue = values.strategyType;
  let currentProvider = values.dcrProviderId;
  const type = (): StrategyTypeValue => currentType;
  const picked = (): ProviderOption | undefined => providers.find((p) => p.id === currentProvider);
  const layout = (): void => {
    const t = type();
    const p = picked();
    showOnly(fields, (name) => {
      if (
        STRATEGY_TYPED_FIELDS.includes(name as StrategyField) &&
        !STRATEGY_TYPE_FIELDS[t].includes(name as StrategyField)
      )
        return false;
      if (name === 'audience')
        return (
          (isProviderType(p?.providerType) && hasQuirk(p.providerType, 'tokenAudience')) || !!audience.value.trim()
        );
      return true;
    });
    markRequired(fields, STRATEGY_REQUIRED[t]);
  };
  typeField.control.addEventListener('change', () => {
    const v = typeField.control.value;
    if (STRATEGY_TYPE_OPTIONS.some((o) => o.value === v)) currentType = v as StrategyTypeValue;
    layout();
    onChange();
  });
  /** Defaults from the picked provider: its issuer, and the credential claim its type usually needs. */
  const fillFromProvider = (): void => {
    const p = picked();
    if (!p) return;
    const iss = strategyIssuerFromProvider(p.issuer);
    if (!issuer.value.trim() || issuer.value === autoIssuer) {
      issuer.value = iss;
      autoIssuer = iss;
    }
    const c = isProviderType(p.providerType) ? DEFAULT_CREDENTIAL_CLAIM[p.providerType] : undefined;
    if (c && (!claim.value.trim() || claim.value === autoClaim)) {
      claim.value = c;
      autoClaim = c;
    }
  };
  provider.control.addEventListener('change', () => {
    currentProvider = provider.control.value;
    fillFromProvider();
    layout();
    onChange();
  });
  layout();

  const read = (): StrategyFormValues => {
    const v = (name: StrategyField): string => (fields.get(name)?.control as VscodeTextfield).value;
    return {
      name: v('name'),
      displayName: v('displayName'),
      strategyType: type(),
      dcrProviderId: currentProvider,
      issuer: v('issuer'),
      scopes: v('scopes'),
      credentialClaim: v('credentialClaim'),
      authMethods: methods.get(),
      audience: v('audience'),
      otherSettings: v('otherSettings'),
      keyNames: v('keyNames'),
      keyTtl: v('keyTtl'),
      principals: principals.control.checked,
    };
  };

  const element = el('div', { class: 'fields' });
  element.append(...[...fields.values()].map((f) => f.group));
  return {
    element,
    fields,
    params: () => ({ kind: 'strategy', values: read() }),
    warnings: () => strategyFormWarnings(read(), picked()),
    stateValues: () => ({ ...read() }),
    applyOptions: (options) => {
      if (options.providers === undefined && options.error === undefined) return;
      providers = options.providers ?? [];
      const wanted = currentProvider;
      const choices = [
        { value: '', label: '(none)' },
        ...providers.map((p) => ({
          value: p.id,
          label: `${p.name} (${providerNoun(p.providerType)})`,
          description: p.issuer,
        })),
      ];
      // a provider the list does not have (deleted meanwhile, or beyond the list): keep it pickable by id
      if (wanted && !providers.some((p) => p.id === wanted))
        choices.push({ value: wanted, label: `${wanted} (not found)` });
      setChoices(provider.control, choices, wanted);
      fillFromProvider();
      if (options.error) {
        const f = fields.get('dcrProviderId');
        if (f?.helper) f.helper.replaceChildren(el('p', {}, options.error));
      }
      layout();
    },
  };
}
