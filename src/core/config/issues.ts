/**
 * zod issues → plain-words diagnostics on the exact YAML node: the value for a wrong value, the key for an unknown
 * key, the owning key for a missing one. Union issues are narrowed to the branch the author was most likely writing.
 */
import type * as z from 'zod';
import type { ConfigDocument, Path, Range } from './document';
import { KNOWN_KEYS, VALID_PROVIDER_TYPES } from './schema';

export interface SchemaDiagnostic {
  readonly range: Range;
  readonly message: string;
  readonly code: 'schema' | 'unknown-key' | 'missing-key' | 'unknown-provider-type' | 'unknown-strategy-type';
  readonly path: Path;
}

type Issue = z.core.$ZodIssue;

const WHAT: Record<string, string> = {
  dcr_providers: 'DCR provider',
  application_auth_strategies: 'auth strategy',
  kong_identity_auth_servers: 'auth server',
  dcr_config: 'dcr_config',
  configs: 'configs',
  scopes: 'scope',
  claims: 'claim',
  clients: 'client',
};

/** "the DCR provider", "dcr_config", "the file": what the mapping at a path is, for messages. */
function ownerName(path: Path): string {
  if (!path.length) return 'the file';
  const last = path[path.length - 1]!;
  if (typeof last === 'string') return `\`${last}\``;
  const parent = path[path.length - 2];
  const what = typeof parent === 'string' ? WHAT[parent] : undefined;
  return what ? `this ${what}` : 'this item';
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return v === '' ? 'an empty string' : `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `${typeof v === 'number' ? 'the number' : 'the value'} ${String(v)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'null',
};

function valueAt(view: unknown, path: Path): unknown {
  let v = view;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = c.toLowerCase() === lower ? 0 : distance(lower.replace(/-/g, '_'), c.toLowerCase().replace(/-/g, '_'));
    if (dd < bestD) {
      best = c;
      bestD = dd;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 4)) ? best : undefined;
}

/** The deepest path among a branch's issues (how far the input got into that branch). */
function depth(issues: readonly Issue[]): number {
  return Math.max(
    0,
    ...issues.map(
      (i) =>
        i.path.length +
        (i.code === 'unrecognized_keys' || (i.code === 'invalid_type' && i.input === undefined) ? -0.5 : 0),
    ),
  );
}

/** Flattens union issues to the issues of the branch the author most likely meant. */
function narrow(issue: Issue, base: Path): { issue: Issue; path: Path }[] {
  const path = [...base, ...issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s))];
  if (issue.code === 'invalid_union' && issue.errors.length && !issue.discriminator) {
    let best = issue.errors[0]!;
    for (const branch of issue.errors) if (depth(branch) > depth(best)) best = branch;
    return best.flatMap((i) => narrow(i, path));
  }
  return [{ issue, path }];
}

export function schemaDiagnostics(doc: ConfigDocument, error: z.ZodError): SchemaDiagnostic[] {
  const out: SchemaDiagnostic[] = [];
  const seen = new Set<string>();
  for (const raw of error.issues) {
    for (const { issue, path } of narrow(raw, [])) {
      for (const d of toDiagnostics(doc, issue, path)) {
        const key = `${d.range.start.line}:${d.range.start.character}:${d.message}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(d);
        }
      }
    }
  }
  return out;
}

function toDiagnostics(doc: ConfigDocument, issue: Issue, path: Path): SchemaDiagnostic[] {
  const view = doc.view;
  const value = valueAt(view, path);
  const last = path[path.length - 1];
  const key = typeof last === 'string' ? `\`${last}\`` : 'this item';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => {
        const hint = suggest(k, KNOWN_KEYS);
        const where = ownerName(path);
        return {
          range: doc.keyRange([...path, k]),
          code: 'unknown-key',
          path: [...path, k],
          message: `Unknown key \`${k}\` in ${where}${hint && hint !== k ? `: did you mean \`${hint}\`?` : '.'} kongctl reads files strictly and rejects unknown keys.`,
        };
      });
    case 'invalid_union': {
      if (issue.discriminator && issue.errors.length === 0) {
        const field = issue.discriminator;
        const at = [...path.slice(0, -1 * (path[path.length - 1] === field ? 1 : 0)), field];
        const valid = ('options' in issue ? (issue.options ?? []) : []).map(String);
        const got = valueAt(view, at);
        if (got === undefined) {
          const owner = valueAt(view, at.slice(0, -1));
          const typo =
            owner && typeof owner === 'object'
              ? Object.keys(owner).find((k) => suggest(k, [field]) === field)
              : undefined;
          if (typo) {
            return [
              {
                range: doc.keyRange([...at.slice(0, -1), typo]),
                code: 'unknown-key',
                path: [...at.slice(0, -1), typo],
                message: `Unknown key \`${typo}\`: did you mean \`${field}\` (one of ${valid.join(', ')})?`,
              },
            ];
          }
          return [
            {
              range: doc.ownerRange(at.slice(0, -1)),
              code: 'missing-key',
              path: at,
              message: `Missing \`${field}\`: one of ${valid.join(', ')}.`,
            },
          ];
        }
        const hint = typeof got === 'string' ? suggest(got, valid) : undefined;
        const isProvider = field === 'provider_type';
        return [
          {
            range: doc.valueRange(at),
            path: at,
            code: isProvider ? 'unknown-provider-type' : 'unknown-strategy-type',
            message: `Unknown ${field} ${describeValue(got)}${hint ? `: did you mean ${hint}?` : '.'} Valid ${isProvider ? 'provider types' : 'strategy types'}: ${(isProvider ? VALID_PROVIDER_TYPES : valid).join(', ')}.`,
          },
        ];
      }
      return [
        {
          range: doc.valueRange(path),
          code: 'schema',
          path,
          message: `${key} has an unexpected shape (${describeValue(value)}).`,
        },
      ];
    }
    case 'invalid_type': {
      if (value === undefined) {
        const owner = path.slice(0, -1);
        return [
          {
            range: doc.ownerRange(owner),
            code: 'missing-key',
            path,
            message: `Missing required key ${key} in ${ownerName(owner)}.`,
          },
        ];
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return [
        {
          range: doc.valueRange(path),
          code: 'schema',
          path,
          message: `${key} must be ${expected}, not ${describeValue(value)}.`,
        },
      ];
    }
    case 'too_small':
    case 'too_big': {
      const n = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const bound = issue.code === 'too_small' ? 'at least' : 'at most';
      let what: string;
      if (issue.origin === 'string') {
        if (issue.code === 'too_small' && Number(n) === 1) what = 'must not be empty';
        else
          what = `must be ${bound} ${String(n)} characters long (it has ${typeof value === 'string' ? value.length : '?'})`;
      } else if (issue.origin === 'array' || issue.origin === 'set') {
        what =
          Number(n) === 1 && issue.code === 'too_small'
            ? 'needs at least one item'
            : `must have ${bound} ${String(n)} items (it has ${Array.isArray(value) ? value.length : '?'})`;
      } else what = `must be ${bound} ${String(n)}`;
      return [{ range: doc.valueRange(path), code: 'schema', path, message: `${key} ${what}.` }];
    }
    case 'invalid_format': {
      let what: string;
      switch (issue.format) {
        case 'url':
          what = 'an http:// or https:// URL';
          break;
        case 'guid':
        case 'uuid':
          what = 'a UUID (or `!ref <ref>`)';
          break;
        case 'regex':
          what =
            issue.message && !issue.message.startsWith('Invalid')
              ? issue.message
              : `in the form ${issue.pattern ?? ''}`;
          break;
        default:
          what = `a valid ${issue.format}`;
      }
      return [
        {
          range: doc.valueRange(path),
          code: 'schema',
          path,
          message: `${key} must be ${what}; it is ${describeValue(value)}.`,
        },
      ];
    }
    case 'invalid_value': {
      const valid = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof value === 'string' ? suggest(value, issue.values.map(String)) : undefined;
      return [
        {
          range: doc.valueRange(path),
          code: 'schema',
          path,
          message:
            valid.length === 1
              ? `${key} must be ${valid[0]}${value === undefined ? '' : `, not ${describeValue(value)}`}.`
              : `${key} must be one of ${valid.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}; it is ${describeValue(value)}.`,
        },
      ];
    }
    case 'invalid_key':
      return [
        {
          range: doc.keyRange(path),
          code: 'schema',
          path,
          message: `Invalid key ${key}: ${issue.issues.map((i) => i.message).join('; ')}.`,
        },
      ];
    case 'invalid_element':
      return [
        {
          range: doc.valueRange(path),
          code: 'schema',
          path,
          message: `Invalid item in ${key}: ${issue.issues.map((i) => i.message).join('; ')}.`,
        },
      ];
    default:
      return [{ range: doc.valueRange(path), code: 'schema', path, message: `${key}: ${issue.message}.` }];
  }
}
