// Kong Identity claim values: static, or templated with `${ … }` (the documented form; `{{ … }}` is accepted too).
// Inside, a small Go-template subset: fields .Client.ID / .Client.Name / .Client.Labels.<key> /
// .AuthServer.ID / .Name / .Audience / .Issuer, functions uuidv4, now, randAlphaNum N, upper X, lower X, and
// pipes `| default "x"`, `| upper`, `| lower`, `| quote`, `| date "<layout>"` (an ISO-8601 timestamp).
// The rendered value's type is inferred: valid JSON (number, boolean, object, array) becomes that JSON value.
import { randomUUID } from 'node:crypto';
import { randomId } from './http-util';

export interface ClaimContext {
  client: { id: string; name: string; labels: Record<string, string> };
  authServer: { id: string; name: string; audience: string; issuer: string };
}

const TEMPLATE = /\$\{\s*([^}]*?)\s*\}|\{\{\s*([^}]*?)\s*\}\}/g;

export function renderClaimValue(template: string, ctx: ClaimContext): unknown {
  const rendered = template.replace(TEMPLATE, (_m, a: string | undefined, b: string | undefined) =>
    evaluate((a ?? b ?? '').trim(), ctx),
  );
  return inferType(rendered);
}

const FUNCTIONS = new Set(['uuidv4', 'now', 'randAlphaNum', 'upper', 'lower', 'quote', 'default', 'date']);

/**
 * Why a template cannot be rendered (Go text/template's wording, which Konnect passes on), or undefined. Token
 * issuance stays lenient; `test-claim` refuses with this.
 */
export function claimTemplateProblem(template: string): string | undefined {
  const open = /\$\{|\{\{/g;
  let m: RegExpExecArray | null;
  while ((m = open.exec(template))) {
    const close = template.indexOf(m[0] === '${' ? '}' : '}}', m.index + 2);
    if (close < 0) return 'template: claim:1: unclosed action';
    open.lastIndex = close;
  }
  for (const match of template.matchAll(TEMPLATE)) {
    const expr = (match[1] ?? match[2] ?? '').trim();
    if (!expr) return 'template: claim:1: missing value for command';
    for (const stage of expr.split('|')) {
      const head = tokenize(stage.trim())[0];
      if (head === undefined) return 'template: claim:1: missing value for command';
      if (head.startsWith('.') || head.startsWith('"') || /^-?\d/.test(head)) continue;
      if (!FUNCTIONS.has(head)) return `template: claim:1: function "${head}" not defined`;
    }
  }
  return undefined;
}

function inferType(value: string): unknown {
  const t = value.trim();
  if (t === '' || !/^[[{"\-\d]|^(true|false|null)$/.test(t)) return value;
  try {
    const parsed: unknown = JSON.parse(t);
    return typeof parsed === 'string' ? value : parsed;
  } catch {
    return value;
  }
}

function tokenize(expr: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\|)|([^\s|"]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(expr)))
    out.push(m[1] !== undefined ? JSON.stringify(JSON.parse(`"${m[1]}"`)) : (m[2] ?? m[3] ?? ''));
  return out;
}

function field(path: string, ctx: ClaimContext): string | undefined {
  const parts = path.split('.').filter(Boolean);
  const [root, name, sub] = parts;
  if (root === 'Client') {
    if (name === 'ID') return ctx.client.id;
    if (name === 'Name') return ctx.client.name;
    if (name === 'Labels' && sub) return ctx.client.labels[sub];
  }
  if (root === 'AuthServer') {
    if (name === 'ID') return ctx.authServer.id;
    if (name === 'Name') return ctx.authServer.name;
    if (name === 'Audience') return ctx.authServer.audience;
    if (name === 'Issuer') return ctx.authServer.issuer;
  }
  return undefined;
}

function operand(tok: string | undefined, ctx: ClaimContext): string | undefined {
  if (tok === undefined) return undefined;
  if (tok.startsWith('"')) return JSON.parse(tok) as string;
  if (tok.startsWith('.')) return field(tok, ctx);
  return tok;
}

/** Evaluates one `a | f x | g` pipeline; anything it does not know renders as an empty string. */
function evaluate(expr: string, ctx: ClaimContext): string {
  const stages: string[][] = [[]];
  for (const tok of tokenize(expr)) {
    if (tok === '|') stages.push([]);
    else stages[stages.length - 1]?.push(tok);
  }
  let value: string | undefined;
  stages.forEach((stage, i) => {
    const [head, ...args] = stage;
    const piped = i > 0 ? [...args.map((a) => operand(a, ctx)), value] : args.map((a) => operand(a, ctx));
    switch (head) {
      case undefined:
        break;
      case 'uuidv4':
        value = randomUUID();
        break;
      case 'now':
        value = new Date().toISOString();
        break;
      case 'randAlphaNum':
        value = randomId(Math.min(Math.max(Number(piped[0]) || 0, 0), 256));
        break;
      case 'upper':
        value = (piped[piped.length - 1] ?? '').toUpperCase();
        break;
      case 'lower':
        value = (piped[piped.length - 1] ?? '').toLowerCase();
        break;
      case 'quote':
        value = JSON.stringify(piped[piped.length - 1] ?? '');
        break;
      case 'default': {
        const v = piped[piped.length - 1];
        value = v === undefined || v === '' ? (piped[0] ?? '') : v;
        break;
      }
      case 'date':
        value = new Date(piped[piped.length - 1] ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
        break;
      default:
        value = i === 0 ? operand(head, ctx) : value;
    }
  });
  return value ?? '';
}
