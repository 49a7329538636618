/**
 * The workspace config of Konnect DCR: kongctl-compatible YAML for DCR providers, auth strategies and Kong Identity
 * auth servers. Pure TypeScript (no vscode): the VS Code layer (src/ui/config) loads this module lazily.
 *
 * ```ts
 * const a = analyzeConfig(text, { fileName: 'dcr.kongctl.yaml' });   // diagnostics with ranges, refs, model
 * const plan = await computePlan(client, a.model!, { signal });        // create / update / unchanged / only in Konnect
 * renderPlan(plan);                                                     // readable text
 * const r = await applyConfig(client, a.model!, { signal, resolveSecret, expected: plan, onProgress });
 * const { text } = await pullConfig(client, { signal });               // Konnect → a file in this format
 * ConfigDocument.parse(text).entryAt(line); writeEntry(text, { section, index }, value);   // for forms
 * ```
 */
export {
  analyzeConfig,
  configKeyOf,
  isKongctlFile,
  secretSpecAt,
  type Analysis,
  type AnalyzeOptions,
  type DefinedRef,
  type RefKind,
} from './analyze';
export type { ConfigDiagnostic, ConfigFix, Severity } from './diagnostic';
export {
  applyConfig,
  DEFAULT_APPLY_CONCURRENCY,
  MissingSecretsError,
  NothingAppliedError,
  stepLabel,
  type ApplyOptions,
  type ApplyResult,
  type AppliedStep,
  type ExistingResource,
  type StepKey,
} from './apply';
export {
  ConfigDocument,
  SECTIONS,
  fromFormValue,
  isTaggedFormValue,
  minimalEdit,
  toFormValue,
  writeEntry,
  type EntryInfo,
  type EntryTarget,
  type FormValue,
  type Path,
  type Position,
  type Range,
  type Section,
  type TaggedFormValue,
  type TextEditResult,
} from './document';
export { buildJsonSchema, jsonSchemaText } from './jsonSchema';
export * from './model';
export {
  computePlan,
  fetchRemote,
  isNoop,
  planAgainst,
  type ExternalRef,
  type FieldChange,
  type Plan,
  type BaseEntry,
  type PlanAction,
  type PlanMode,
  type PlanOptions,
  type PlanStep,
  type RemoteState,
  type ResourceKind,
} from './plan';
export {
  SAVED_PLAN_FORMAT,
  SavedPlanError,
  SecretInPlanError,
  applySavedPlan,
  baseChanges,
  readSavedPlan,
  renderBaseChanges,
  savePlan,
  sha256,
  type BaseChange,
  type SavedApplyResult,
  type SavedPlan,
} from './savedPlan';
export {
  MAX_SECRET_FILE_BYTES,
  SecretFileError,
  fileSecrets,
  locateSecretFile,
  readSecretFile,
  type FileSecretRef,
} from './secretFiles';
export {
  AdoptRefusedError,
  adoptionOf,
  labelAdopted,
  namespaceProblem,
  namespacesOf,
  type AdoptOptions,
  type AdoptSubject,
  type Adoption,
} from './adopt';
export { pullConfig, renderPulled, type PullOptions, type PullResult } from './pull';
export { renderApplyResult, renderChangesBrief, renderPlan, summarize } from './render';
export { ConfigFileSchema } from './schema';
export {
  ENV_NAME,
  KNOWN_TAGS,
  describeSecret,
  parseRef,
  refFromName,
  secretEnvNames,
  secretVarName,
  type SecretSpec,
} from './tags';
export {
  WireValidationError,
  authServerCreateBody,
  providerCreateBody,
  strategyCreateBody,
  providerUpdateBody,
  strategyUpdateBody,
} from './wire';
