/**
 * The differential comparison of our `.http` reading against httpYac's (see httpyacReference.ts) over the corpus in
 * test/fixtures/http-corpus. Per request, one of:
 *
 *   agree     both send it, and method, URL, headers, body and name are the same after the normalisations below;
 *   located   our parser refuses it with an error diagnostic on a line of that request, so the runner does not send it;
 *   disagree  anything else: we would send something else, or one side sees a request the other does not, or we
 *             refuse it only when it runs (not as a problem on its line).
 *
 * Normalisations (each is equivalence on the wire, or a spelling of the same meaning):
 *  N1 URL: both serialised by the WHATWG URL parser and compared as origin + path + query (both our executor and
 *     httpYac's client, got, send exactly that; the fragment is never sent).
 *  N2 Header names compared case-insensitively (HTTP field names are); the same name written twice is kept in order.
 *  N3 httpYac's own default headers (`Accept: *\/*`, `User-Agent: httpyac`), which it adds when the file has none, are
 *     left out: they are httpYac's client defaults, not the file's (our executor has its own).
 *  N4 application/x-www-form-urlencoded bodies compared as the decoded list of name/value pairs (the form parse every
 *     server does), since httpYac percent-encodes spaces and other characters that we send as written.
 *  N5 Values of `{{$guid}}`/`{{$uuid}}` (any UUID v4 on either side) compared as "a UUID", and `{{$timestamp}}` /
 *     `{{$isoTimestamp}}` values as times within 120 s of each other (both are made at send time).
 *  N6 Input translation, for the reference only: REST Client's request variables, which httpYac does not read, are
 *     handed to httpYac in its own spelling of the same value: `{{n.response.body.$.a.b}}` → `{{n.a.b}}`,
 *     `{{n.response.body.*}}` / `{{n.response.body}}` → `{{n}}`, `{{n.response.headers.X-H}}` →
 *     `{{nResponse.headers['x-h']}}` (REST Client README, "Request Variables"; httpYac stores a named response as
 *     `n` (the parsed body) and `nResponse`). Lines are not moved.
 */
import {
  parseRequestFile,
  type ParsedFile,
  type ParsedRequest,
  VARIABLE_PATTERN,
} from '../../../../src/core/requests/parser';
import { RequestRunner, RunSession } from '../../../../src/core/requests/runner';
import type { ExecutedResponse, OutgoingRequest } from '../../../../src/core/requests/executor';
import { Redactor } from '../../../../src/core/util/redact';
import { nullLogger } from '../../../../src/core/util/logger';
import { httpyacRequests, type CannedResponse } from './httpyacReference';

export type Verdict = 'agree' | 'located' | 'disagree';

export interface RequestOutcome {
  readonly file: string;
  /** 1-based line of the request (as an editor shows it). */
  readonly line: number;
  readonly verdict: Verdict;
  /** For `located`: the diagnostic; for `disagree`: what differs. */
  readonly detail: string;
}

/** The one canned response every request gets, on both sides. */
export const CANNED: CannedResponse = {
  status: 200,
  headers: {
    'content-type': 'application/json',
    'x-authtoken': 'auth-token-from-header',
    location: 'https://api.example.test/created/42',
  },
  body: JSON.stringify({
    id: 42,
    access_token: 'access-token-from-body',
    token: 'token-from-body',
    name: 'sample',
    data: { id: 7, items: [{ id: 1 }, { id: 2 }] },
  }),
};

/** N6: REST Client request variables in httpYac's spelling (same line structure). */
export function toHttpyacSpelling(text: string): string {
  return text.replace(VARIABLE_PATTERN, (whole, expr: string) => {
    const m = /^([A-Za-z_][\w-]*)\.response\.(body|headers)(?:\.(.*))?$/.exec(expr.trim());
    if (!m) return whole;
    const [, name, part, rest] = m;
    if (part === 'headers') return rest ? `{{${name}Response.headers['${rest.toLowerCase()}']}}` : whole;
    if (!rest || rest === '*' || rest === '$') return `{{${name}}}`;
    if (rest.startsWith('$.')) return `{{${name}.${rest.slice(2)}}}`;
    return `{{${name}.${rest}}}`;
  });
}

/**
 * Plain names a file uses but does not define (no `@name =`, no request of that name): both sides get the same value
 * for each, as if an environment had it. At the start of a URL a name gets a base URL, elsewhere a plain token.
 */
export function environmentFor(text: string, file: ParsedFile): Record<string, string> {
  const defined = new Set([
    ...file.variables.map((v) => v.name),
    ...file.requests.map((r) => r.name).filter((n): n is string => !!n),
  ]);
  const env: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const line of lines) {
    for (const m of line.matchAll(VARIABLE_PATTERN)) {
      const name = m[1]!.trim();
      if (!/^[A-Za-z_][\w-]*$/.test(name) || defined.has(name) || env[name] !== undefined) continue;
      const before = line.slice(0, m.index);
      const atUrlStart = /^\s*(?:[A-Z]+\s+)?$/.test(before) || /^\s*@[\w.-]+\s*=\s*$/.test(before);
      env[name] = atUrlStart ? `https://${name.toLowerCase()}.example.test` : `value-of-${name}`;
    }
  }
  // a request line whose URL is only a path: the environment has a host (both tools then prefix it)
  if (!defined.has('host') && env['host'] === undefined && file.requests.some((r) => r.url.startsWith('/')))
    env['host'] = 'https://host.example.test';
  return env;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/gi;

/** N5: the same text, but UUIDs and times compared loosely. */
function sameText(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const norm = (s: string): { text: string; times: number[] } => {
    const times: number[] = [];
    const text = s
      .replace(UUID, '<uuid>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (t) => {
        times.push(Date.parse(t));
        return '<time>';
      })
      .replace(/(?<!\d)1\d{9}(?:\d{3})?(?!\d)/g, (t) => {
        times.push(t.length === 13 ? Number(t) : Number(t) * 1000);
        return `<epoch${t.length}>`;
      });
    return { text, times };
  };
  const x = norm(a),
    y = norm(b);
  return (
    x.text === y.text &&
    x.times.length === y.times.length &&
    x.times.every((t, i) => Math.abs(t - y.times[i]!) <= 120_000)
  );
}

/** N1 */
function normUrl(u: string): string {
  try {
    const x = new URL(u);
    return `${x.origin}${x.pathname}${x.search}`;
  } catch {
    return u;
  }
}

/** N2, N3 */
function normHeaders(pairs: readonly (readonly [string, string])[], dropDefaults: boolean): string[] {
  const out: string[] = [];
  for (const [k, v] of pairs) {
    const name = k.toLowerCase();
    if (dropDefaults && ((name === 'accept' && v === '*/*') || (name === 'user-agent' && v === 'httpyac'))) continue;
    out.push(`${name}: ${v}`);
  }
  return out.sort();
}

/** N4 */
function normBody(body: string | undefined, contentType: string | undefined): string | undefined {
  if (body === undefined || body === '') return undefined;
  if ((contentType ?? '').toLowerCase().includes('application/x-www-form-urlencoded')) {
    return [...new URLSearchParams(body)].map(([k, v]) => `${k}=${v}`).join('\n');
  }
  return body;
}

function contentTypeOf(headers: readonly (readonly [string, string])[]): string | undefined {
  return headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
}

/** What our runner sends for each request of `text` (the same canned response for every request). */
async function ours(
  file: ParsedFile,
  env: Record<string, string>,
): Promise<Map<number, { sent?: OutgoingRequest; error?: string }>> {
  const sentBy = new Map<number, OutgoingRequest>();
  let running = -1;
  const runner = new RequestRunner({
    executor: {
      execute: async (request: OutgoingRequest): Promise<ExecutedResponse> => {
        sentBy.set(running, request);
        return {
          status: CANNED.status,
          statusText: 'OK',
          headers: { ...CANNED.headers },
          body: CANNED.body,
          bytes: CANNED.body.length,
          timings: { firstByteMs: 0, transferMs: 0, totalMs: 0, viaProxy: false },
        };
      },
    },
    now: () => Date.now(),
    redactor: new Redactor(),
    logger: nullLogger,
  });
  const session = new RunSession(file, {
    environment: env,
    dotenv: env,
    processEnv: (n) => process.env[n],
    secret: async () => undefined,
    now: () => Date.now(),
  });
  const out = new Map<number, { sent?: OutgoingRequest; error?: string }>();
  for (const r of file.requests) {
    running = r.index;
    const result = await runner.run(session, r.index, new AbortController().signal);
    out.set(r.index, result.sent ? { sent: result.sent } : { error: result.error?.message ?? 'not sent' });
  }
  return out;
}

export async function compareFile(rel: string, absPath: string, text: string): Promise<RequestOutcome[]> {
  const file = parseRequestFile(text);
  const env = environmentFor(text, file);
  const dir = absPath.replace(/[/\\][^/\\]*$/, '');
  const ref = await httpyacRequests(absPath, dir, toHttpyacSpelling(text), env, () => CANNED);
  const mine = await ours(file, env);
  const outcomes: RequestOutcome[] = [];
  const matched = new Set<number>();
  const locate = (r: ParsedRequest, start: number, end: number): string | undefined => {
    const d = r.blocking.find((b) => b.line >= start && b.line <= end);
    return d && `line ${d.line + 1}: ${d.message}`;
  };

  for (const h of ref) {
    // the request on the same line, else the one whose block holds that line (httpYac starts a request where we see
    // a problem, e.g. a second request line without ### before it)
    const r =
      file.requests.find((q) => q.method && q.requestLine === h.requestLine) ??
      file.requests.find((q) => q.range.start <= h.requestLine && h.requestLine <= q.range.end);
    const at = { file: rel, line: h.requestLine + 1 };
    if (!r) {
      outcomes.push({ ...at, verdict: 'disagree', detail: `httpYac reads a ${h.protocol} request here, we read none` });
      continue;
    }
    matched.add(r.index);
    if (r.blocking.length) {
      // where httpYac starts a request that we read as part of another one, the problem must be on that very line
      const where =
        r.method && r.requestLine !== h.requestLine
          ? locate(r, h.requestLine, h.requestLine)
          : locate(r, Math.min(h.start, r.range.start), Math.max(h.end, r.range.end));
      outcomes.push(
        where
          ? { ...at, verdict: 'located', detail: where }
          : {
              ...at,
              verdict: 'disagree',
              detail: `refused, but not on a line of this request: ${r.blocking[0]!.message}`,
            },
      );
      continue;
    }
    const m = mine.get(r.index)!;
    if (!m.sent) {
      outcomes.push({
        ...at,
        verdict: 'disagree',
        detail: `we refuse it only at run time: ${m.error}${h.sent ? '' : ` (httpYac did not send it either: ${h.notSent})`}`,
      });
      continue;
    }
    if (!h.sent) {
      outcomes.push({ ...at, verdict: 'disagree', detail: `we send it, httpYac does not: ${h.notSent}` });
      continue;
    }
    const diffs: string[] = [];
    const s = m.sent;
    if (s.method !== h.sent.method.toUpperCase()) diffs.push(`method ${s.method} vs ${h.sent.method}`);
    if (!sameText(normUrl(s.url), normUrl(h.sent.url)))
      diffs.push(`url ${JSON.stringify(s.url)} vs ${JSON.stringify(h.sent.url)}`);
    const hh = Object.entries(h.sent.headers).flatMap(([k, v]) =>
      Array.isArray(v) ? v.map((x) => [k, x] as const) : [[k, v] as const],
    );
    const a = normHeaders(s.headers, false),
      b = normHeaders(hh, true);
    if (a.length !== b.length || a.some((x, i) => !sameText(x, b[i])))
      diffs.push(`headers ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    if (!sameText(normBody(s.body, contentTypeOf(s.headers)), normBody(h.sent.body, contentTypeOf(hh))))
      diffs.push(`body ${JSON.stringify(s.body)} vs ${JSON.stringify(h.sent.body)}`);
    if ((r.name ?? undefined) !== (h.name ?? undefined))
      diffs.push(`name ${JSON.stringify(r.name)} vs ${JSON.stringify(h.name)}`);
    outcomes.push(
      diffs.length ? { ...at, verdict: 'disagree', detail: diffs.join('; ') } : { ...at, verdict: 'agree', detail: '' },
    );
  }
  for (const r of file.requests) {
    if (matched.has(r.index)) continue;
    const at = { file: rel, line: r.requestLine + 1 };
    if (r.blocking.length) {
      const d = r.blocking[0]!;
      outcomes.push({
        ...at,
        verdict: 'located',
        detail: `line ${d.line + 1}: ${d.message} (httpYac reads no request here)`,
      });
    } else {
      outcomes.push({
        ...at,
        verdict: 'disagree',
        detail: `we read a request (${r.method} ${r.url}) that httpYac does not`,
      });
    }
  }
  return outcomes.sort((x, y) => x.line - y.line);
}
