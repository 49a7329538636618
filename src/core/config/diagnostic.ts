/**
 * What the analyzer reports about a config file: its own checks (YAML, schema, refs, tags) and the lint's. A module
 * of its own so that the lint, which the analyzer runs, does not import the analyzer back.
 */
import type { Path, Range } from './document';

export type Severity = 'error' | 'warning' | 'information';

/** A quick fix the VS Code layer can offer. */
export type ConfigFix =
  /** Store the literal value in SecretStorage under `varName` and write `!secret {source: !env varName}`. */
  | { readonly kind: 'moveSecret'; readonly path: Path; readonly varName: string }
  /** Replace the value at `path` with this YAML text. */
  | { readonly kind: 'replace'; readonly path: Path; readonly text: string; readonly title: string };

export interface ConfigDiagnostic {
  readonly range: Range;
  readonly severity: Severity;
  readonly message: string;
  readonly code: string;
  readonly path?: Path | undefined;
  readonly fix?: ConfigFix | undefined;
  /** The public page the rule comes from (a lint-pack rule: Kong's how-to for the IdP). */
  readonly source?: string | undefined;
}
