/**
 * The forms protocol (webview ↔ host), as zod schemas for what the host receives and types for what it sends.
 * The host parses every inbound message with `FormsInbound` before looking at it; the webview imports only the
 * types from here (`import type`), so zod stays out of the browser bundle.
 */
import * as z from 'zod';
import { ReadyMessage, commandSchema, requestSchema, type Notification, type Response } from '../protocol';
import { DCR_FIELDS, type DcrFieldId } from '../../core/model/providerTypes';
import {
  PROVIDER_TYPE_VALUES,
  STRATEGY_TYPE_VALUES,
  type FormErrors,
  type FormKind,
  type FormMode,
  type ProviderFormValues,
  type ProviderSecretField,
  type StrategyFormValues,
} from '../../core/forms/fields';
import { FormMethods } from './methods';

export type { FormErrors, ProviderFormValues, StrategyFormValues } from '../../core/forms/fields';

/** Bounds on what a form may send: a text field is never longer than this (Konnect's own limits are 256 or less). */
const MAX_TEXT = 4096;
const Text = z.string().max(MAX_TEXT);

/** Everything the DCR provider form holds (its dcr_config fields from the provider-type table). */
export const ProviderFormValuesSchema = z.strictObject({
  name: Text,
  displayName: Text,
  providerType: z.enum(PROVIDER_TYPE_VALUES),
  authServerId: Text,
  issuer: Text,
  ...(Object.fromEntries(
    (Object.keys(DCR_FIELDS) as DcrFieldId[]).map((f) => [f, DCR_FIELDS[f].kind === 'boolean' ? z.boolean() : Text]),
  ) as unknown as Record<DcrFieldId, z.ZodType>),
}) as unknown as z.ZodType<ProviderFormValues>;

/** Everything the auth strategy form holds. The list fields are one line of text each (split by the host). */
export const StrategyFormValuesSchema = z.strictObject({
  name: Text,
  displayName: Text,
  strategyType: z.enum(STRATEGY_TYPE_VALUES),
  dcrProviderId: Text,
  issuer: Text,
  scopes: Text,
  credentialClaim: Text,
  authMethods: z.array(z.string().max(64)).max(20),
  audience: Text,
  otherSettings: Text,
  keyNames: Text,
  keyTtl: Text,
  principals: z.boolean(),
}) satisfies z.ZodType<StrategyFormValues>;

export const SubmitParamsSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('provider'), values: ProviderFormValuesSchema }),
  z.strictObject({ kind: z.literal('strategy'), values: StrategyFormValuesSchema }),
]);
export type SubmitParams = z.infer<typeof SubmitParamsSchema>;

export const SubmitRequestSchema = requestSchema(FormMethods.submit, SubmitParamsSchema);
export const CancelCommandSchema = commandSchema(FormMethods.cancel, z.strictObject({}));
export const ReloadOptionsCommandSchema = commandSchema(FormMethods.reloadOptions, z.strictObject({}));
export const LogCommandSchema = commandSchema(
  FormMethods.log,
  z.strictObject({ level: z.enum(['info', 'warn']), message: z.string().max(2000) }),
);

/** Every message a forms webview may send. */
export const FormsInbound = z.union([
  ReadyMessage,
  SubmitRequestSchema,
  CancelCommandSchema,
  ReloadOptionsCommandSchema,
  LogCommandSchema,
]);
export type FormsInbound = z.infer<typeof FormsInbound>;

// ---------------------------------------------------------------------------------------------------------------
// host → webview (built by the host; typed, not parsed)

/** Where a submit goes: Konnect (create/update the resource) or back into a kongctl YAML file. */
export type FormTarget =
  { readonly kind: 'konnect'; readonly connection: string } | { readonly kind: 'yaml'; readonly file: string };

interface InitBase<K extends FormKind> {
  readonly kind: K;
  readonly mode: FormMode;
  /** Identifies this form instance: the webview restores its saved state only for the same key. */
  readonly formKey: string;
  readonly title: string;
  readonly target: FormTarget;
  /** Fields that cannot change (the type, on edit). */
  readonly locked: readonly string[];
  /** A line shown above the form (e.g. after a create: "Created … — now editing it"). */
  readonly notice?: string | undefined;
}
export type ProviderInit = InitBase<'provider'> & {
  readonly values: ProviderFormValues;
  /** Secrets Konnect (or the file) already holds: their inputs stay empty and say "unchanged — leave empty to keep". */
  readonly storedSecrets: readonly ProviderSecretField[];
};
export type StrategyInit = InitBase<'strategy'> & { readonly values: StrategyFormValues };
export type InitParams = ProviderInit | StrategyInit;

export interface AuthServerOption {
  readonly id: string;
  readonly name: string;
  readonly issuer: string;
}
export interface ProviderOption {
  readonly id: string;
  readonly name: string;
  readonly providerType: string;
  readonly issuer: string;
}
export interface OptionsParams {
  readonly authServers?: readonly AuthServerOption[];
  readonly providers?: readonly ProviderOption[];
  /** Why the options could not be loaded (the form still works: the fields can be typed). */
  readonly error?: string;
}

export type SubmitResult =
  /** `next`: what the form shows from now on (after a create: the edit form of the new resource). */
  | {
      readonly ok: true;
      readonly message: string;
      readonly id?: string | undefined;
      readonly next?: InitParams | undefined;
    }
  | { readonly ok: false; readonly errors: FormErrors; readonly cancelled?: boolean };

export type InitNotification = Notification<typeof FormMethods.init, InitParams>;
export type OptionsNotification = Notification<typeof FormMethods.options, OptionsParams>;
export type SubmitResponse = Response<typeof FormMethods.submit, SubmitResult>;
/** Every message the host sends to a forms webview. */
export type FormsOutbound = InitNotification | OptionsNotification | SubmitResponse;
