/**
 * Environment files, parsed (reading them is the caller's job):
 * - `http-client.env.json` / `http-client.private.env.json` (JetBrains, httpYac): `{ "$shared": {…}, "dev": {…} }`;
 *   the private file's values win over the public one's;
 * - `.env` (dotenv): `NAME=value`, `export NAME=value`, `#` comments, single/double quotes.
 */
import * as z from 'zod';

const EnvValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const EnvFileSchema = z.record(z.string(), EnvValues);

export interface EnvironmentSet {
  /** Environment names (without `$shared`). */
  readonly names: readonly string[];
  /** `$shared`, then the named environment over it. */
  values(name: string | undefined): Record<string, string>;
}

export const ENV_FILES = ['http-client.env.json', 'http-client.private.env.json'] as const;

/** Merge the env files' texts (public first, then private). Invalid JSON throws with the file's name. */
export function parseEnvironmentFiles(files: readonly { name: string; text: string }[]): EnvironmentSet {
  const merged: Record<string, Record<string, string>> = {};
  for (const f of files) {
    let json: unknown;
    try {
      json = JSON.parse(f.text);
    } catch (e) {
      throw new Error(`${f.name} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const parsed = EnvFileSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${f.name}: expected { "<environment>": { "<name>": "<value>" } }`);
    for (const [env, values] of Object.entries(parsed.data)) {
      const target = (merged[env] ??= {});
      for (const [k, v] of Object.entries(values)) target[k] = String(v);
    }
  }
  return {
    names: Object.keys(merged)
      .filter((n) => n !== '$shared')
      .sort(),
    values: (name) => ({ ...(merged['$shared'] ?? {}), ...(name ? (merged[name] ?? {}) : {}) }),
  };
}

export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    const q = /^(["'])(.*)\1$/.exec(v);
    if (q) v = q[1] === '"' ? q[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"') : q[2]!;
    else v = v.replace(/\s+#.*$/, '').trim();
    out[m[1]!] = v;
  }
  return out;
}
