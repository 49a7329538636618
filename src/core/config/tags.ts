/**
 * kongctl's YAML tags, as this extension reads them (kongctl `internal/declarative/tags`):
 *
 * - `!ref <ref>` / `!ref <ref>#<field>`: another resource of the loaded files by its `ref`; the field defaults to `id`.
 *   Here: `dcr_provider_id: !ref okta-dcr`, and (Kong Identity, this extension only) `issuer: !ref ki-server#issuer`.
 * - `!env VAR`, `!env VAR#extract.path`, `!env {var, extract}`: an environment variable.
 * - `!secret {source: !env VAR}` or `!secret {parts: ["literal", !env VAR, …]}`: a deferred, write-only value. kongctl
 *   accepts no other key in `!secret` and no other source than `!env`.
 * - `!file path`, `!file path#extract`, `!file {path, extract}`: the content of a file next to the config.
 *
 * Secrets and VS Code's SecretStorage: the file keeps kongctl's own form, `!secret {source: !env VAR}`. When this
 * extension resolves a secret (at apply time) it looks `VAR` up first in VS Code's SecretStorage (set with
 * "Konnect DCR: Store Secret…" or the "move to SecretStorage" quick fix), then in the extension host's environment.
 * So the same file works with kongctl (which reads the environment) and nothing kongctl does not know is written.
 */
export const KNOWN_TAGS = ['!ref', '!env', '!secret', '!file'] as const;

export interface RefTarget {
  readonly ref: string;
  readonly field: string;
}

/** `okta-dcr` → `{ref: 'okta-dcr', field: 'id'}`; `ki#issuer` → `{ref: 'ki', field: 'issuer'}`. */
export function parseRef(text: string): RefTarget {
  const i = text.indexOf('#');
  if (i < 0) return { ref: text.trim(), field: 'id' };
  return { ref: text.slice(0, i).trim(), field: text.slice(i + 1).trim() };
}

/** One part of a secret expression: literal text, or an environment variable (looked up in SecretStorage first). */
export type SecretPart = { readonly literal: string } | { readonly env: string; readonly extract?: string | undefined };

/** A secret as the file declares it. `literal` is a value written in the file itself (a lint warning). */
export type SecretSpec =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'expression'; readonly parts: readonly SecretPart[] }
  /** `!file path` (`path#extract`): read when the apply needs it, relative to the config file (secretFiles.ts). */
  | { readonly kind: 'file'; readonly path: string };

/** `VAR` or `VAR#a.b` → the env part. */
export function envPart(text: string): { env: string; extract?: string | undefined } {
  const i = text.indexOf('#');
  if (i < 0) return { env: text.trim() };
  return { env: text.slice(0, i).trim(), extract: text.slice(i + 1).trim() || undefined };
}

/** The environment variables a secret reads, in order. */
export function secretEnvNames(spec: SecretSpec): string[] {
  return spec.kind === 'expression' ? spec.parts.flatMap((p) => ('env' in p ? [p.env] : [])) : [];
}

/** For messages: "from OKTA_DCR_TOKEN", "written in the file". Never the value. */
export function describeSecret(spec: SecretSpec): string {
  if (spec.kind === 'literal') return 'written in the file';
  if (spec.kind === 'file') return `from the file ${spec.path}`;
  const names = secretEnvNames(spec);
  return names.length ? `from ${names.join(' + ')}` : 'from the file';
}

/** `My Okta (prod)` → `my-okta-prod`: a kongctl ref from a name. */
export function refFromName(name: string): string {
  const r = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return r || 'resource';
}

/** `okta-dcr` + `dcr_token` → `OKTA_DCR_DCR_TOKEN`: the variable name this extension proposes for a secret. */
export function secretVarName(ref: string, field: string): string {
  return `${ref}_${field}`
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/^([0-9])/, '_$1');
}

/** A variable name kongctl and shells accept. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
