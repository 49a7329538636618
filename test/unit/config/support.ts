// Helpers shared by the config unit tests (and the in-host config tests): where things are in a text, snippet
// expansion, fixture paths.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, from out/test/unit/config (transpiled) or test/unit/config. */
export const ROOT = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  ...(__dirname.includes(`${path.sep}out${path.sep}`) ? ['..'] : []),
);
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'config');
export const KONGCTL_EXAMPLES = path.join(FIXTURES, 'kongctl');
export const BAD_CORPUS = path.join(FIXTURES, 'bad');
export const SNIPPETS_FILE = path.join(ROOT, 'snippets', 'konnect-dcr.json');
export const SCHEMA_FILE = path.join(ROOT, 'media', 'schemas', 'konnect-dcr.schema.json');

/** 0-based line/character of the `occurrence`-th (0-based) `needle` in `text`, plus `offset` characters. */
export function at(text: string, needle: string, occurrence = 0, offset = 0): { line: number; character: number } {
  let i = -1;
  for (let n = 0; n <= occurrence; n++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`"${needle}" (#${occurrence}) not found`);
  }
  i += offset;
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

export interface Snippet {
  readonly prefix: string;
  readonly description: string;
  readonly body: string[];
}

export function loadSnippets(): Record<string, Snippet> {
  return JSON.parse(fs.readFileSync(SNIPPETS_FILE, 'utf8')) as Record<string, Snippet>;
}

/**
 * A snippet body with every tabstop and placeholder replaced by its default (what pressing Tab through it gives):
 * `${1:x}` → x (nested placeholders too), `${1}`/`$1` → the default given to 1 elsewhere, `${1|a,b|}` → a, `$0` → ''.
 */
export function expandSnippet(body: readonly string[]): string {
  const text = body.join('\n');
  const defaults = new Map<string, string>();
  const resolve = (s: string): string => {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === '\\' && (s[i + 1] === '$' || s[i + 1] === '}' || s[i + 1] === '\\')) {
        out += s[i + 1];
        i++;
        continue;
      }
      if (ch !== '$') {
        out += ch;
        continue;
      }
      const simple = /^\$(\d+)/.exec(s.slice(i));
      if (simple) {
        out += defaults.get(simple[1]!) ?? '';
        i += simple[0].length - 1;
        continue;
      }
      if (s[i + 1] !== '{') {
        out += ch;
        continue;
      }
      // find the matching }
      let depth = 0;
      let j = i + 1;
      for (; j < s.length; j++) {
        if (s[j] === '\\') {
          j++;
          continue;
        }
        if (s[j] === '{') depth++;
        else if (s[j] === '}' && --depth === 0) break;
      }
      const inner = s.slice(i + 2, j);
      const m = /^(\d+)(?::([\s\S]*)|\|([^|]*)\||)$/.exec(inner);
      if (!m) throw new Error(`cannot expand \${${inner}}`);
      const n = m[1]!;
      let value: string;
      if (m[2] !== undefined) value = resolve(m[2]);
      else if (m[3] !== undefined) value = m[3].split(',')[0] ?? '';
      else value = defaults.get(n) ?? '';
      if (!defaults.has(n) && (m[2] !== undefined || m[3] !== undefined)) defaults.set(n, value);
      out += value;
      i = j;
    }
    return out;
  };
  // two passes: mirrors may come before the placeholder that defines them
  resolve(text);
  return resolve(text);
}

/** Where an entry snippet goes for "expands to a file with no diagnostics": its section, and what else the file needs. */
export function snippetFile(prefix: string, expanded: string): { fileName: string; text: string } {
  const indent = (s: string): string =>
    s
      .split('\n')
      .map((l) => (l ? `  ${l}` : l))
      .join('\n');
  if (prefix.startsWith('kdcr-pair-'))
    return {
      fileName: prefix === 'kdcr-pair-kong-identity' ? 'konnect-dcr.yaml' : 'pair.kongctl.yaml',
      text: expanded,
    };
  if (prefix.startsWith('kdcr-provider-'))
    return { fileName: 'providers.kongctl.yaml', text: `dcr_providers:\n${indent(expanded)}` };
  if (prefix === 'kdcr-auth-server')
    return { fileName: 'konnect-dcr.yaml', text: `kong_identity_auth_servers:\n${indent(expanded)}` };
  if (prefix === 'kdcr-strategy-oidc') {
    // the strategy points at `my-dcr-provider`: the file has that provider
    const provider =
      'dcr_providers:\n  - ref: my-dcr-provider\n    name: My DCR provider\n    provider_type: http\n    issuer: https://idp.example.com\n    dcr_config:\n      dcr_base_url: https://dcr-bridge.example.com\n      api_key: !secret {source: !env HTTP_DCR_API_KEY}\n';
    return {
      fileName: 'strategies.kongctl.yaml',
      text: `${provider}application_auth_strategies:\n${indent(expanded)}`,
    };
  }
  if (prefix.startsWith('kdcr-strategy-'))
    return { fileName: 'strategies.kongctl.yaml', text: `application_auth_strategies:\n${indent(expanded)}` };
  throw new Error(`no file template for snippet ${prefix}`);
}
