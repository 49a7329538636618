/** Ids the config feature shares with the manifest (package.json) and the tests. */
export const ConfigCommands = {
  plan: 'konnectDcr.config.plan',
  apply: 'konnectDcr.config.apply',
  applyResendSecrets: 'konnectDcr.config.applyResendSecrets',
  sync: 'konnectDcr.config.sync',
  planSync: 'konnectDcr.config.planSync',
  rotateSecrets: 'konnectDcr.config.rotateSecrets',
  savePlan: 'konnectDcr.config.savePlan',
  reviewSavedPlan: 'konnectDcr.config.reviewSavedPlan',
  applySavedPlan: 'konnectDcr.config.applySavedPlan',
  pull: 'konnectDcr.config.pull',
  /** kongctl's adopt: a Konnect resource into a config file, labelled with the file's namespace. */
  adopt: 'konnectDcr.config.adopt',
  storeSecret: 'konnectDcr.config.storeSecret',
  forgetSecret: 'konnectDcr.config.forgetSecret',
  /** The quick fix of a literal secret (hidden from the palette). */
  moveSecretToStorage: 'konnectDcr.config.moveSecretToStorage',
} as const;
export type ConfigCommandId = (typeof ConfigCommands)[keyof typeof ConfigCommands];

/** Which files are config files: a setting, defaulting to kongctl's files and this extension's own. */
export const CONFIG_FILES_SETTING = 'konnectDcr.config.files';
export const DEFAULT_CONFIG_GLOBS: readonly string[] = ['**/*.kongctl.{yaml,yml}', '**/konnect-dcr*.{yaml,yml}'];

/** Read-only plan documents. */
export const PLAN_SCHEME = 'konnect-dcr-plan';

/** SecretStorage keys of config secrets: this prefix + the variable name the file references. */
export const CONFIG_SECRET_PREFIX = 'konnectDcr.configSecret/';
/** globalState: the variable names stored (names only, never values), for "Forget Stored Secret…". */
export const CONFIG_SECRET_NAMES_KEY = 'konnectDcr.configSecretNames';

export const DIAGNOSTIC_SOURCE = 'Konnect DCR';
