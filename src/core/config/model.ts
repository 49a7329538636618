/**
 * The desired state a valid config file declares, in Konnect's terms but before references and secrets are resolved:
 * what plan.ts compares with Konnect and apply.ts turns into requests (wire.ts).
 */
import type { ProviderType } from '../model/dcrProvider';
import type { StrategyType } from '../model/authStrategy';
import type { Path } from './document';
import type { SecretSpec } from './tags';

/** A plain value, or a `!ref <ref>#<field>` resolved at apply time. */
export type ValueRef =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'ref'; readonly ref: string; readonly field: string };

export interface DesiredBase {
  readonly ref: string;
  readonly name: string;
  /** Where the entry is in the file (for messages that point back at it). */
  readonly path: Path;
  /** The user labels (without `KONGCTL-*`). */
  readonly labels: Readonly<Record<string, string>> | undefined;
  /** kongctl namespace: `kongctl.namespace`, else `_defaults.kongctl.namespace`, else undefined (kongctl's "default"). */
  readonly namespace: string | undefined;
  readonly protected: boolean | undefined;
}

export interface DesiredProvider extends DesiredBase {
  readonly kind: 'provider';
  readonly providerType: ProviderType;
  readonly displayName: string | undefined;
  readonly issuer: ValueRef;
  /** The readable `dcr_config` fields (no secrets). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The write-only `dcr_config` fields and where their values come from. */
  readonly secrets: Readonly<Record<string, SecretSpec>>;
}

export interface DesiredStrategy extends DesiredBase {
  readonly kind: 'strategy';
  readonly strategyType: StrategyType;
  readonly displayName: string;
  /** `undefined`: not declared; `null`: explicitly none; else a provider id or `!ref`. */
  readonly provider: ValueRef | null | undefined;
  /** OIDC only. */
  readonly issuer: ValueRef | undefined;
  /** The inner config (`key-auth` / `openid-connect` object) without `issuer`. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly principals: { readonly enabled: boolean } | undefined;
}

export interface DesiredScope {
  readonly name: string;
  readonly description?: string | undefined;
  readonly default?: boolean | undefined;
  readonly include_in_metadata?: boolean | undefined;
  readonly enabled?: boolean | undefined;
}

export interface DesiredClaim {
  readonly name: string;
  readonly value: string;
  readonly include_in_token?: boolean | undefined;
  readonly include_in_all_scopes?: boolean | undefined;
  /** Scope names of the same auth server. */
  readonly include_in_scopes?: readonly string[] | undefined;
  readonly enabled?: boolean | undefined;
}

export interface DesiredClient {
  readonly name: string;
  readonly grant_types: readonly string[];
  readonly response_types: readonly string[];
  readonly redirect_uris?: readonly string[] | undefined;
  readonly login_uri?: string | null | undefined;
  readonly access_token_duration?: number | undefined;
  readonly id_token_duration?: number | undefined;
  readonly allow_all_scopes?: boolean | undefined;
  /** Scope names of the same auth server. */
  readonly allow_scopes?: readonly string[] | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly token_endpoint_auth_method?: string | undefined;
}

export interface DesiredAuthServer extends DesiredBase {
  readonly kind: 'authServer';
  readonly audience: string;
  readonly description: string | undefined;
  readonly signingAlgorithm: string | undefined;
  readonly trustedOrigins: readonly string[] | undefined;
  readonly scopes: readonly DesiredScope[];
  readonly claims: readonly DesiredClaim[];
  readonly clients: readonly DesiredClient[];
}

export interface DesiredState {
  readonly authServers: readonly DesiredAuthServer[];
  readonly providers: readonly DesiredProvider[];
  readonly strategies: readonly DesiredStrategy[];
  /**
   * What a sync may delete (kongctl's sync scope): only the sections the file has (an omitted section is ignored,
   * an empty list means "none"), and only in the file's kongctl namespaces. Undefined: the sections that have
   * entries, and their entries' namespaces.
   */
  readonly scope?: SyncScope | undefined;
}

export interface SyncScope {
  /** The section keys present in the file (`dcr_providers:`, `application_auth_strategies:`), even when empty. */
  readonly providers: boolean;
  readonly strategies: boolean;
  /** The entries' namespaces and `_defaults.kongctl.namespace` (kongctl's "default" when the file names none). */
  readonly namespaces: readonly string[];
}

/** kongctl's labels (internal/declarative/labels). */
export const NAMESPACE_LABEL = 'KONGCTL-namespace';
export const PROTECTED_LABEL = 'KONGCTL-protected';
export const KONGCTL_LABEL_PREFIX = 'KONGCTL-';
export const DEFAULT_NAMESPACE = 'default';
