/**
 * `!file` secrets: `dcr_token: !file secrets/okta.token` (or `!file creds.yaml#okta.token`, kongctl's extract) reads
 * the value from a file when a plan or an apply needs it.
 *
 * - The path is relative to the config file's folder (kongctl's default `--base-dir` is that folder too) and must stay
 *   inside the boundary (here: the workspace folder): no absolute path, no `..` out of it, and no symlink (of the file
 *   or of a folder on the way) that resolves outside it. It must be a regular file of at most 64 KiB.
 * - The content is the value, without one trailing newline (editors add one). With `#a.b` the file is YAML or JSON and
 *   the value is the string at `a.b`.
 * - The content is never part of a message: problems name the path and the reason only.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Path } from './document';
import type { DesiredState } from './model';

export const MAX_SECRET_FILE_BYTES = 64 * 1024;

export interface FileSecretRef {
  /** The provider's name, for messages. */
  readonly provider: string;
  /** `dcr_config.<field>` */
  readonly field: string;
  /** As written after `!file`, with a `#extract` if any. */
  readonly spec: string;
  /** Where the value is in the config file. */
  readonly at: Path;
}

/** The `!file` secrets of a desired state. */
export function fileSecrets(desired: DesiredState): FileSecretRef[] {
  return desired.providers.flatMap((p) =>
    Object.entries(p.secrets)
      .filter(([, s]) => s.kind === 'file')
      .map(([k, s]) => ({
        provider: p.name,
        field: `dcr_config.${k}`,
        spec: (s as { path: string }).path,
        at: [...p.path, 'dcr_config', k],
      })),
  );
}

export class SecretFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretFileError';
  }
}

const inside = (root: string, p: string): boolean => {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
};

/** Splits `path#extract`. */
export function splitFileSpec(spec: string): { file: string; extract: string | undefined } {
  const i = spec.indexOf('#');
  return i < 0
    ? { file: spec.trim(), extract: undefined }
    : { file: spec.slice(0, i).trim(), extract: spec.slice(i + 1).trim() || undefined };
}

/**
 * Where a `!file` secret is, checked: `configDir` is the config file's folder, `root` the boundary (both local paths).
 * Throws SecretFileError saying what is wrong (never reading the content into the message).
 */
export async function locateSecretFile(spec: string, configDir: string, root: string): Promise<string> {
  const { file } = splitFileSpec(spec);
  if (!file) throw new SecretFileError('!file needs a path, relative to the config file.');
  if (path.isAbsolute(file) || /^[a-zA-Z]:[\\/]/.test(file))
    throw new SecretFileError(`!file ${file}: the path must be relative to the config file, not absolute.`);
  const full = path.resolve(configDir, file);
  if (!inside(path.resolve(root), full))
    throw new SecretFileError(`!file ${file} is outside the workspace folder; a secret file must be inside it.`);
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([fs.realpath(full), fs.realpath(root)]);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new SecretFileError(
      code === 'ENOENT' ? `!file ${file}: no such file.` : `!file ${file} cannot be read (${String(code ?? err)}).`,
    );
  }
  if (!inside(realRoot, real))
    throw new SecretFileError(
      `!file ${file} is a symbolic link (or inside one) that leads outside the workspace folder; a secret file must be inside it.`,
    );
  const st = await fs.stat(real);
  if (!st.isFile()) throw new SecretFileError(`!file ${file} is not a file.`);
  if (st.size > MAX_SECRET_FILE_BYTES)
    throw new SecretFileError(`!file ${file} is larger than ${MAX_SECRET_FILE_BYTES / 1024} KiB; is it a secret?`);
  return real;
}

/** The value of a `!file` secret (checked as `locateSecretFile` does). */
export async function readSecretFile(spec: string, configDir: string, root: string): Promise<string> {
  const real = await locateSecretFile(spec, configDir, root);
  const { file, extract } = splitFileSpec(spec);
  const text = await fs.readFile(real, 'utf8');
  if (!extract) return text.replace(/\r?\n$/, '');
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch {
    throw new SecretFileError(`!file ${file}#${extract}: the file is not YAML or JSON, so nothing can be extracted.`);
  }
  let v: unknown = data;
  for (const key of extract.split('.'))
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  if (typeof v !== 'string' && typeof v !== 'number')
    throw new SecretFileError(`!file ${file}#${extract}: the file has no text value at ${extract}.`);
  return String(v);
}
