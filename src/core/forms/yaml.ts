/**
 * A kongctl YAML entry (`dcr_providers[i]`, `application_auth_strategies[i]`, as the config core's FormValue with its
 * tags) ↔ the form values, and back: the new entry is the old one with the form's fields laid over it, so keys the
 * form does not show (ref, labels, kongctl, comments, tags in other OIDC settings the form leaves as they were) survive. Secrets never come
 * out of the file into the form: a typed secret goes to SecretStorage under an env-style name, and the file gets
 * kongctl's `!secret {source: !env NAME}`. Host side only. The provider parts follow the provider-type table.
 */
import { AuthStrategyEntrySchema, DcrProviderEntrySchema } from '../config/schema';
import { isTaggedFormValue, type FormValue } from '../config/document';
import { refFromName, secretVarName } from '../config/tags';
import { DCR_FIELDS, PROVIDER_TYPES, dcrFieldsOf, isProviderType, type DcrFieldId } from '../model/providerTypes';
import {
  DEFAULT_AUTH_METHODS,
  STRATEGY_TYPE_VALUES,
  formatKeyTtl,
  joinList,
  parseKeyTtl,
  splitList,
  type FormErrors,
  type FormKind,
  type ProviderFormValues,
  type ProviderSecretField,
  type StrategyFormValues,
  type StrategyTypeValue,
} from './fields';
import {
  audienceArgs,
  audienceOf,
  emptyProviderValues,
  emptyStrategyValues,
  otherOidcSettings,
  parseOtherSettings,
  parsedFieldErrors,
  placeIssues,
  visibleProviderFields,
  visibleStrategyFields,
  zodIssue,
} from './payload';

type Obj = { [key: string]: FormValue };
const isObj = (v: FormValue | undefined): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isTaggedFormValue(v);

/** The value without its tags (`!ref x` → `x`, `!secret {source: !env X}` → `{source: 'X'}`): what the schema checks. */
export function plainView(v: FormValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (isTaggedFormValue(v)) return plainView(v.value);
  if (Array.isArray(v)) return v.map(plainView);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainView(x)]));
  return v;
}

/** A text field's content for a value that may be `!ref x`: shown as the text `!ref x`. */
function textOf(v: FormValue | undefined): string {
  if (isTaggedFormValue(v) && v.$tag === '!ref' && typeof v.value === 'string') return `!ref ${v.value}`;
  return typeof v === 'string' ? v : '';
}
/** `!ref x` typed in a field → the tagged value; anything else → the trimmed string. */
function refOrText(text: string): FormValue {
  const t = text.trim();
  const m = /^!ref\s+(\S+)$/.exec(t);
  return m ? { $tag: '!ref', value: m[1]! } : t;
}
function listOf(v: FormValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const DCR_FIELD_IDS = Object.keys(DCR_FIELDS) as DcrFieldId[];

/** The env name a secret value in the file reads (`!secret {source: !env X}`, `!env X`), if any. */
export function secretEnvName(v: FormValue | undefined): string | undefined {
  if (!isTaggedFormValue(v)) return undefined;
  if (v.$tag === '!env' && typeof v.value === 'string') return v.value.split('#')[0]!.trim() || undefined;
  if (v.$tag === '!secret' && isObj(v.value)) return secretEnvName(v.value['source']);
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// entry → form

export function providerValuesFromEntry(entry: FormValue): {
  values: ProviderFormValues;
  storedSecrets: ProviderSecretField[];
} {
  const e = isObj(entry) ? entry : {};
  const cfg = isObj(e['dcr_config']) ? e['dcr_config'] : {};
  const type = isProviderType(e['provider_type']) ? e['provider_type'] : PROVIDER_TYPES[0];
  const values: Record<string, unknown> = {
    ...emptyProviderValues(),
    name: textOf(e['name']),
    displayName: textOf(e['display_name']),
    providerType: type,
    issuer: textOf(e['issuer']),
  };
  const storedSecrets: ProviderSecretField[] = [];
  for (const id of DCR_FIELD_IDS) {
    const f = DCR_FIELDS[id];
    const v = cfg[f.key];
    if (f.kind === 'boolean') values[id] = v === true;
    else if (f.kind !== 'secret') values[id] = textOf(v);
    else if (v !== undefined && v !== null) storedSecrets.push(id as ProviderSecretField);
  }
  return { values: values as ProviderFormValues, storedSecrets };
}

function strategyConfig(e: Obj): { key: string | undefined; inner: Obj } {
  const configs = isObj(e['configs']) ? e['configs'] : {};
  for (const key of ['openid_connect', 'openid-connect', 'key_auth', 'key-auth'])
    if (isObj(configs[key])) return { key, inner: configs[key] as Obj };
  return { key: undefined, inner: {} };
}

export function strategyValuesFromEntry(entry: FormValue): StrategyFormValues {
  const e = isObj(entry) ? entry : {};
  const type = (STRATEGY_TYPE_VALUES as readonly unknown[]).includes(e['strategy_type'])
    ? (e['strategy_type'] as StrategyTypeValue)
    : 'openid_connect';
  const { inner } = strategyConfig(e);
  const base = {
    ...emptyStrategyValues(),
    name: textOf(e['name']),
    displayName: textOf(e['display_name']),
    strategyType: type,
    principals: isObj(e['principals']) && e['principals']['enabled'] === true,
  };
  if (type === 'key_auth')
    return {
      ...base,
      authMethods: [...DEFAULT_AUTH_METHODS],
      keyNames: joinList(listOf(inner['key_names'])),
      keyTtl: ttlText(inner['ttl']),
    };
  return {
    ...base,
    dcrProviderId: textOf(e['dcr_provider_id']),
    issuer: textOf(inner['issuer']),
    scopes: joinList(listOf(inner['scopes'])),
    credentialClaim: joinList(listOf(inner['credential_claim'])),
    authMethods: listOf(inner['auth_methods']),
    audience: audienceOf(plainView(inner) as Record<string, unknown>),
    otherSettings: otherSettingsText(inner),
  };
}

function ttlText(v: FormValue | undefined): string {
  return isObj(v) && typeof v['value'] === 'number' && typeof v['unit'] === 'string'
    ? formatKeyTtl({ value: v['value'], unit: v['unit'] })
    : '';
}

/** The entry's other openid-connect settings as the form shows them (tags folded to their plain view). */
function otherSettingsText(inner: Obj): string {
  const other = otherOidcSettings(plainView(inner) as Record<string, unknown>);
  return Object.keys(other).length ? JSON.stringify(other) : '';
}

// ---------------------------------------------------------------------------------------------------------------
// form → entry

export interface EntryUpdate {
  readonly entry: FormValue;
  /** Secrets typed in the form: env-style name → value, for SecretStorage. Never written to the file. */
  readonly secrets: Readonly<Record<string, string>>;
}

function setOrDelete(o: Obj, key: string, v: FormValue | undefined): void {
  if (v === undefined || v === '') delete o[key];
  else o[key] = v;
}
/** A boolean the form shows as a checkbox: written when true, or when the file already had the key. */
function setFlag(o: Obj, key: string, v: boolean): void {
  if (v || key in o) o[key] = v;
}

export function providerEntryFrom(original: FormValue, v: ProviderFormValues): EntryUpdate {
  const e: Obj = isObj(original) ? { ...original } : {};
  const secrets: Record<string, string> = {};
  const sameType = e['provider_type'] === v.providerType;
  e['name'] = v.name.trim();
  setOrDelete(e, 'display_name', v.displayName.trim());
  e['provider_type'] = v.providerType;
  e['issuer'] = refOrText(v.issuer);
  const before: Obj = sameType && isObj(e['dcr_config']) ? e['dcr_config'] : {};
  // only the keys of this type survive a type change; extra keys of the same type stay (the schema reports them)
  const cfg: Obj = sameType ? { ...before } : {};
  const ref = typeof e['ref'] === 'string' && e['ref'] ? e['ref'] : refFromName(v.name);
  const values = v as unknown as Record<DcrFieldId, string | boolean>;
  const fields = dcrFieldsOf(v.providerType);
  for (const f of fields) {
    const value = values[f.id];
    if (f.kind === 'boolean') setFlag(cfg, f.key, value === true);
    else if (f.kind === 'secret') {
      const typed = String(value);
      if (!typed.trim()) continue; // empty: keep what the file has
      const name = secretEnvName(before[f.key]) ?? secretVarName(ref, f.key);
      secrets[name] = typed;
      cfg[f.key] = { $tag: '!secret', value: { source: { $tag: '!env', value: name } } };
    } else if (f.optional) setOrDelete(cfg, f.key, String(value).trim());
    else cfg[f.key] = String(value).trim();
  }
  const keys = fields.map((f) => f.key);
  for (const k of Object.keys(cfg)) if (!sameType && !keys.includes(k)) delete cfg[k];
  if (!fields.length && !Object.keys(cfg).length) delete e['dcr_config'];
  else e['dcr_config'] = cfg;
  return { entry: e, secrets };
}

export function strategyEntryFrom(original: FormValue, v: StrategyFormValues): EntryUpdate {
  const e: Obj = isObj(original) ? { ...original } : {};
  const before = strategyConfig(e);
  const sameType = e['strategy_type'] === v.strategyType;
  e['name'] = v.name.trim();
  e['display_name'] = v.displayName.trim() || v.name.trim();
  e['strategy_type'] = v.strategyType;
  const oidc = v.strategyType === 'openid_connect';
  const wanted = oidc ? ['openid_connect', 'openid-connect'] : ['key_auth', 'key-auth'];
  const key = sameType && before.key && wanted.includes(before.key) ? before.key : wanted[0]!;
  const inner: Obj = sameType ? { ...before.inner } : {};
  if (v.principals || isObj(e['principals'])) e['principals'] = { enabled: v.principals };
  if (oidc) {
    setOrDelete(e, 'dcr_provider_id', v.dcrProviderId.trim() ? refOrText(v.dcrProviderId) : undefined);
    inner['issuer'] = refOrText(v.issuer);
    inner['credential_claim'] = splitList(v.credentialClaim);
    inner['scopes'] = splitList(v.scopes);
    inner['auth_methods'] = [...new Set(v.authMethods)];
    const args = audienceArgs(v.audience, plainView(before.inner) as Record<string, unknown>, 'create');
    if (args) {
      inner['token_post_args_names'] = args.token_post_args_names ?? [];
      inner['token_post_args_values'] = args.token_post_args_values ?? [];
    } else {
      delete inner['token_post_args_names'];
      delete inner['token_post_args_values'];
    }
    // other settings: written only when the form changed them, so tags and comments in them survive otherwise
    const parsed = parseOtherSettings(v.otherSettings);
    if (v.otherSettings.trim() !== otherSettingsText(before.inner) && 'value' in parsed) {
      for (const k of Object.keys(otherOidcSettings(plainView(inner) as Record<string, unknown>)))
        if (!(k in parsed.value)) delete inner[k];
      Object.assign(inner, parsed.value as Obj);
    }
  } else {
    delete e['dcr_provider_id'];
    inner['key_names'] = splitList(v.keyNames);
    const ttl = parseKeyTtl(v.keyTtl);
    if (ttl) inner['ttl'] = ttl;
    else if (!v.keyTtl.trim()) delete inner['ttl'];
  }
  e['configs'] = { [key]: inner };
  return { entry: e, secrets: {} };
}

/** Checks the new entry against the config file's own schema; issues land on the form fields. */
export function checkEntry(
  kind: FormKind,
  entry: FormValue,
  values: ProviderFormValues | StrategyFormValues,
): FormErrors | undefined {
  const schema = kind === 'provider' ? DcrProviderEntrySchema : AuthStrategyEntrySchema;
  const parsedErrors = kind === 'strategy' ? parsedFieldErrors(values as StrategyFormValues) : {};
  const r = schema.safeParse(plainView(entry));
  if (r.success && !Object.keys(parsedErrors).length) return undefined;
  if (r.success) return { fields: parsedErrors, form: [] };
  const visible =
    kind === 'provider'
      ? visibleProviderFields(values as ProviderFormValues)
      : visibleStrategyFields(values as StrategyFormValues);
  const placed = placeIssues(kind, r.error.issues.map(zodIssue), visible);
  return { fields: { ...placed.fields, ...parsedErrors }, form: placed.form };
}
