/**
 * The fuzz cases and what each must hold. Shared by the worker that runs them (fuzzWorker.ts) and by the test, which
 * regenerates a case from its seed to print it when the worker had to be stopped.
 *
 * A YAML config, through the analyzer (parse with positions → schema → refs → lint → model) and the planner:
 *   - no exception escapes; the analysis takes less than PER_INPUT_MS;
 *   - every diagnostic is located inside the file (line and column on an existing line, start ≤ end);
 *   - an invalid file (errorCount > 0) has no model, and a file without a model has an error to show: nothing can be
 *     planned or applied from it, and the Konnect client (whose transport counts calls) is never called for it;
 *   - a valid file plans against an empty Konnect and against a populated one, and both plans render.
 * A `.http` file, through the parser and the runner (variables, chaining) with an executor that counts calls:
 *   - no exception escapes, the parse takes less than PER_INPUT_MS and a run less than RUN_LIMIT_MS;
 *   - every diagnostic is located on an existing line, its columns inside it;
 *   - a request with an error diagnostic is never sent (no executor call during its run), and neither is a request
 *     whose variables do not resolve; nothing is sent with a `{{…}}` left in it; an unsendable URL is refused in words;
 *   - no secret (`$secret` values, tokens) in the copied curl, the history entry or the error message.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createKonnectClient } from '../../../src/core/api/client';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../src/core/api/transport';
import {
  DEFAULT_NAMESPACE,
  NAMESPACE_LABEL,
  PROTECTED_LABEL,
  analyzeConfig,
  computePlan,
  planAgainst,
  renderChangesBrief,
  renderPlan,
  type DesiredState,
  type RemoteState,
} from '../../../src/core/config/index';
import { WireValidationError, providerCreateBody, strategyCreateBody } from '../../../src/core/config/wire';
import { toCurl } from '../../../src/core/requests/curl';
import type { ExecutedResponse, OutgoingRequest, RequestExecutor } from '../../../src/core/requests/executor';
import { generateValidationRequests } from '../../../src/core/requests/generate';
import { RunHistory, type KeyValueStore } from '../../../src/core/requests/history';
import { VARIABLE_PATTERN, parseRequestFile } from '../../../src/core/requests/parser';
import { RequestRunner, RunSession } from '../../../src/core/requests/runner';
import { nullLogger } from '../../../src/core/util/logger';
import { Redactor } from '../../../src/core/util/redact';
import { expandSnippet, loadSnippets, snippetFile, ROOT } from '../../unit/config/support';
import { HTTP_MUTATIONS, YAML_MUTATIONS, mutateFrom } from './mutate';
import { Rng, caseSeed } from './random';

export const PER_INPUT_MS = 1_000;
export const RUN_LIMIT_MS = 2_000;

export type FuzzKind = 'yaml' | 'http';

export interface FuzzCase {
  readonly index: number;
  readonly text: string;
  readonly fileName: string;
  readonly applied: readonly string[];
}

export interface CaseOutcome {
  readonly problems: string[];
  /** yaml: valid / invalid; http: requests sent / refused. */
  readonly tally: Record<string, number>;
  /** Things worth reporting that are not failures (e.g. a valid file whose create body Konnect would refuse). */
  readonly notes: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// corpora

function readAll(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (ext.test(e.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** The repository's config fixtures (complete, kongctl examples, the bad corpus) and every snippet, expanded. */
export function yamlCorpus(): string[] {
  // (not the kongctl e2e *.scenario.yaml files: test scenarios, not configs, and 20 KB of them slow every case down)
  const files = readAll(path.join(ROOT, 'test', 'fixtures', 'config'), /(?<!\.scenario)\.ya?ml$/);
  const snippets = Object.values(loadSnippets()).map((s) => snippetFile(s.prefix, expandSnippet(s.body)).text);
  return [...files, ...snippets];
}

/** The request fixtures, generated validation requests, and files using each feature the runner has. */
export function httpCorpus(): string[] {
  const files = readAll(path.join(ROOT, 'test', 'fixtures', 'requests'), /\.(http|rest)$/);
  const generated = generateValidationRequests({
    strategy: {
      id: '11111111-1111-4111-8111-111111111111',
      name: 'orders',
      issuer: 'https://idp.example.com',
      providerType: 'okta',
      scopes: ['orders:read'],
      audiences: [],
      credentialClaim: ['cid'],
      authMethods: ['client_credentials'],
      extra: {},
    } as never,
    tokenEndpoint: {
      url: 'https://idp.example.com/oauth2/v1/token',
      source: 'discovery',
      discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration',
    } as never,
    gatewayUrl: 'https://gw.example.com/orders/anything',
    secretKey: 'strategy.orders',
    now: 0,
  });
  const handwritten = [
    [
      '@host = https://h.example.com',
      '@clientId = cid',
      '',
      '### token',
      '# @name token',
      'POST {{host}}/token',
      'Content-Type: application/x-www-form-urlencoded',
      'Accept: application/json',
      '',
      'grant_type=client_credentials',
      '&client_id={{clientId}}',
      '&client_secret={{$secret clientSecret}}',
      '&scope=orders:read',
      '',
      '### api',
      'GET https://gw.example.com/orders',
      'Authorization: Bearer {{token.response.body.access_token}}',
      'X-Request-Id: {{$guid}}',
      '',
    ].join('\n'),
    [
      '### json',
      'POST https://h.example.com/echo?x={{$randomInt 1 9}}',
      '    &t={{$timestamp 0 s}}',
      'Content-Type: application/json',
      '',
      '{"a": "{{$processEnv HOME}}", "b": "{{$dotenv KEY}}", "c": {{$randomInt 1 5}}}',
    ].join('\n'),
    [
      '# @strategy orders',
      '@base = https://h.example.com',
      '###',
      '# @name a',
      'GET {{base}}/a',
      '',
      '###',
      '# @name b',
      'GET {{base}}/b?from={{a.response.body.$.x}}',
      'Location-From-A: {{a.response.headers.location}}',
      '',
      '###',
      'DELETE {{base}}/c/{{b.response.body.x}}',
    ].join('\n'),
  ];
  return [...files, generated, ...handwritten];
}

/** Case `index` of a run with `seed`: the corpus files unmutated first, then mutants. */
export function makeCase(kind: FuzzKind, corpus: readonly string[], seed: number, index: number): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  if (index < corpus.length)
    return { index, text: corpus[index]!, fileName: kind === 'yaml' ? 'fuzz.kongctl.yaml' : 'fuzz.http', applied: [] };
  const { text, applied } = mutateFrom(corpus, kind === 'yaml' ? YAML_MUTATIONS : HTTP_MUTATIONS, rng);
  const fileName = kind === 'yaml' ? rng.pick(['fuzz.kongctl.yaml', 'konnect-dcr.fuzz.yaml']) : 'fuzz.http';
  return { index, text, fileName, applied };
}

// ---------------------------------------------------------------------------------------------------------------
// shared checks

function problemOf(err: unknown): string {
  return err instanceof Error
    ? `${err.name}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}`
    : String(err);
}

/** Same rules as assertPlainMessage, as a predicate (the worker collects instead of throwing). */
export function plainProblem(m: string): string | undefined {
  if (m.trim().length < 10) return `too short to say anything: "${m}"`;
  if (/\n\s+at\s/.test(m)) return `a stack frame in "${m.slice(0, 200)}"`;
  if (/\b(?:TypeError|ReferenceError|RangeError)\b|Cannot read propert|is not a function|\[object Object\]/.test(m))
    return `internals in "${m.slice(0, 200)}"`;
  return undefined;
}

function locate(lines: readonly string[], line: number, a: number, b: number, what: string): string | undefined {
  if (!Number.isInteger(line) || line < 0 || line >= lines.length)
    return `${what}: line ${line} is outside the file (${lines.length} lines)`;
  const len = lines[line]!.length;
  if (!(Number.isInteger(a) && Number.isInteger(b)) || a < 0 || a > len || b < 0 || b > len)
    return `${what}: columns ${a}–${b} outside line ${line} (${len} chars)`;
  return undefined;
}

/** A Konnect transport that answers every list with an empty page, and counts. */
export class CountingTransport implements HttpTransport {
  calls = 0;
  send(req: HttpRequest): Promise<HttpResponse> {
    this.calls++;
    const page = { data: [], meta: { page: { number: 1, size: 100, total: 0 } } };
    if (req.method !== 'GET')
      return Promise.resolve({ status: 500, headers: {}, body: '{"title":"the fuzz transport only lists"}' });
    return Promise.resolve({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(page),
    });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// YAML

/**
 * What a sync plan of any valid file must hold against a populated Konnect: it is the apply plan plus deletes; a
 * delete is of a resource Konnect has, labelled with one of the file's kongctl namespaces, in a section the file has,
 * not protected, not named in the file, not used by a publication or a portal, and (for a provider) not used by a
 * strategy that stays; deletes come after every other step, strategies before providers; counts add up.
 */
export function syncProblems(
  model: DesiredState,
  remote: RemoteState,
): { problems: string[]; deletes: number; held: number } {
  const out: string[] = [];
  const sync = planAgainst(model, remote, { mode: 'sync' });
  const apply = planAgainst(model, remote);
  renderPlan(sync);
  renderChangesBrief(sync, 0);
  if (apply.counts.delete) out.push('an apply plan deletes');
  const key = (x: { kind: string; name: string; parentName?: string | undefined }): string =>
    `${x.kind}:${x.parentName ?? ''}:${x.name}`;
  const other = (p: typeof sync): string[] =>
    p.steps
      .filter((x) => !['delete', 'onlyInKonnect', 'conflict'].includes(x.action) || x.ref)
      .map((x) => `${key(x)}:${x.action}`);
  if (JSON.stringify(other(sync)) !== JSON.stringify(other(apply)))
    out.push('the sync plan differs from the apply plan in more than its deletes');
  const namespaces = new Set(
    model.scope?.namespaces ?? [...model.providers, ...model.strategies].map((d) => d.namespace ?? DEFAULT_NAMESPACE),
  );
  const names = {
    provider: new Set(model.providers.map((p) => p.name)),
    strategy: new Set(model.strategies.map((p) => p.name)),
  };
  const deleted = new Set(sync.steps.filter((x) => x.action === 'delete').map((x) => x.id));
  let seenDelete = false;
  let seenProviderDelete = false;
  for (const st of sync.steps) {
    if (st.action !== 'delete') {
      if (seenDelete) out.push(`a ${st.action} step after a delete`);
      continue;
    }
    seenDelete = true;
    const what = `delete of ${st.kind} "${st.name}"`;
    if (st.kind !== 'provider' && st.kind !== 'strategy') {
      out.push(`${what}: a sync deletes only providers and strategies`);
      continue;
    }
    if (st.kind === 'provider') seenProviderDelete = true;
    else if (seenProviderDelete) out.push(`${what} after a provider delete`);
    const r = (st.kind === 'provider' ? remote.providers : remote.strategies).find((x) => x.id === st.id);
    if (!r) {
      out.push(`${what}: not in Konnect`);
      continue;
    }
    const ns = r.labels?.[NAMESPACE_LABEL];
    if (ns === undefined || !namespaces.has(ns)) out.push(`${what}: namespace ${String(ns)} is not the file's`);
    if (r.labels?.[PROTECTED_LABEL] === 'true') out.push(`${what}: protected`);
    if (names[st.kind].has(r.name)) out.push(`${what}: the file has it`);
    if (model.scope && !(st.kind === 'provider' ? model.scope.providers : model.scope.strategies))
      out.push(`${what}: the file has no such section`);
    if (st.kind === 'strategy') {
      const u = remote.usage;
      if (
        u?.publications.some((p) => p.auth_strategy_ids?.includes(r.id)) ||
        u?.portals.some((p) => p.defaultStrategyId === r.id)
      )
        out.push(`${what}: a publication or a portal uses it`);
    } else if (
      remote.strategies.some((x) => x.dcr_provider?.id === r.id && !deleted.has(x.id) && !names.strategy.has(x.name))
    )
      out.push(`${what}: a strategy that stays uses it`);
  }
  for (const [action, n] of Object.entries(sync.counts))
    if (sync.steps.filter((x) => x.action === action).length !== n) out.push(`counts.${action} is wrong`);
  const held = sync.steps.filter((x) => x.action === 'conflict' && !x.ref).length;
  return { problems: out.map((p) => `sync plan: ${p}`), deletes: sync.counts.delete, held };
}

export async function checkYaml(c: FuzzCase, remote: RemoteState | undefined): Promise<CaseOutcome> {
  const problems: string[] = [];
  /** Cases whose sync plan deletes something, and whose sync plan leaves a protected or used resource alone. */
  const syncTally: Record<string, number> = {};
  const notes: string[] = [];
  const t0 = performance.now();
  let a: ReturnType<typeof analyzeConfig>;
  try {
    a = analyzeConfig(c.text, { fileName: c.fileName });
  } catch (err) {
    return { problems: [`analyzeConfig threw ${problemOf(err)}`], tally: { crashed: 1 }, notes };
  }
  const ms = performance.now() - t0;
  if (ms > PER_INPUT_MS) problems.push(`analyzeConfig took ${ms.toFixed(0)} ms (limit ${PER_INPUT_MS})`);
  const lines = c.text.split('\n');
  for (const d of a.diagnostics) {
    const s = d.range.start,
      e = d.range.end;
    const where = `diagnostic "${d.message.slice(0, 80)}"`;
    const p =
      locate(lines, s.line, s.character, s.character, `${where} start`) ??
      locate(lines, e.line, e.character, e.character, `${where} end`);
    if (p) problems.push(p);
    else if (e.line < s.line || (e.line === s.line && e.character < s.character))
      problems.push(`${where}: ends before it starts`);
    const plain = plainProblem(d.message);
    if (plain) problems.push(`diagnostic message: ${plain}`);
  }
  // every diagnostic's range comes from ConfigDocument.position(offset): check that mapping against the text itself,
  // at the YAML problems' offsets and at a few others
  const starts = [0];
  for (let i = c.text.indexOf('\n'); i >= 0; i = c.text.indexOf('\n', i + 1)) starts.push(i + 1);
  const truth = (o: number): { line: number; character: number } => {
    let lo = 0,
      hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo]! };
  };
  const offsets = [...a.doc.doc.errors, ...a.doc.doc.warnings].flatMap((e) => e.pos);
  for (let k = 1; k <= 4; k++) offsets.push(Math.floor((c.text.length * k) / 5));
  for (const o of new Set(offsets)) {
    const got = a.doc.position(o),
      want = truth(Math.min(o, c.text.length));
    if (got.line !== want.line || got.character !== want.character) {
      problems.push(
        `offset ${o} is mapped to line ${got.line} column ${got.character}, but it is on line ${want.line} column ${want.character}`,
      );
      break;
    }
  }
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors !== a.errorCount) problems.push(`errorCount ${a.errorCount} but ${errors} error diagnostics`);
  if (a.errorCount > 0 && a.model)
    problems.push('a model despite errors: an invalid file could be planned and applied');
  if (!a.model && a.errorCount === 0)
    problems.push('no model and no error: nothing tells the user why the file cannot be planned');

  // The network gate, as the Plan / Apply commands have it: only a model is ever planned.
  const transport = new CountingTransport();
  const client = createKonnectClient({
    baseUrl: 'http://127.0.0.1:9',
    token: 'kpat_fuzzFuzzFuzzFuzz0123',
    userAgent: 'kdcr-fuzz/1',
    transport,
    retry: { maxAttempts: 1 },
  });
  if (a.model) {
    try {
      const empty = await computePlan(client, a.model);
      renderPlan(empty);
      if (transport.calls === 0) problems.push('a valid file planned without reading Konnect');
      if (remote) {
        renderPlan(planAgainst(a.model, remote));
        const sp = syncProblems(a.model, remote);
        problems.push(...sp.problems);
        if (sp.deletes) syncTally['syncDeletes'] = 1;
        if (sp.held) syncTally['syncHeld'] = 1;
      }
    } catch (err) {
      problems.push(`planning a valid file threw ${problemOf(err)}`);
    }
    // would Konnect take the create bodies? (not a failure: reported, since the analyzer should catch what it can)
    for (const p of a.model.providers) {
      try {
        const secrets = Object.fromEntries(Object.keys(p.secrets).map((k) => [k, 'fuzz_secret_value_01']));
        providerCreateBody(p, p.issuer.kind === 'value' ? p.issuer.value : 'https://resolved.example.com', secrets);
      } catch (err) {
        if (err instanceof WireValidationError)
          notes.push(`valid file, provider "${p.name}" refused by the wire schema: ${err.message}`);
        else problems.push(`providerCreateBody threw ${problemOf(err)}`);
      }
    }
    for (const s of a.model.strategies) {
      try {
        const issuer = s.issuer
          ? s.issuer.kind === 'value'
            ? s.issuer.value
            : 'https://resolved.example.com'
          : undefined;
        const provider = s.provider
          ? s.provider.kind === 'value'
            ? s.provider.value
            : '22222222-2222-4222-8222-222222222222'
          : s.provider;
        strategyCreateBody(s, issuer, provider);
      } catch (err) {
        if (err instanceof WireValidationError)
          notes.push(`valid file, strategy "${s.name}" refused by the wire schema: ${err.message}`);
        else problems.push(`strategyCreateBody threw ${problemOf(err)}`);
      }
    }
  } else if (transport.calls !== 0) {
    problems.push(`${transport.calls} network call(s) for an invalid file`);
  }
  return { problems, tally: { ...(a.model ? { valid: 1 } : { invalid: 1 }), ...syncTally }, notes };
}

// ---------------------------------------------------------------------------------------------------------------
// .http

const SECRET_KEYS = new Set([
  'clientSecret',
  's',
  'basic',
  'a',
  'strategy.orders.clientSecret',
  'strategy.orders.clientId',
]);
const secretValue = (key: string): string => `fuzz-secret-${key.replace(/\W/g, '')}-Zq9x`;
const ACCESS_TOKEN = (() => {
  const b = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256', typ: 'JWT' })}.${b({ iss: 'https://idp.example.com', sub: 'fuzz', exp: 4102444800 })}.c2lnbmF0dXJlLWZ1eno`;
})();

class CountingExecutor implements RequestExecutor {
  readonly sent: OutgoingRequest[] = [];
  execute(request: OutgoingRequest, signal: AbortSignal): Promise<ExecutedResponse> {
    if (signal.aborted) return Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    this.sent.push(request);
    const url = new URL(request.url); // as the real executor: throws on what is not a URL
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return Promise.reject(new Error(`Only http and https URLs can be sent (got ${url.protocol})`));
    const body =
      request.method === 'POST'
        ? { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 300, x: 'v' }
        : { ok: true, x: 'v', a: { b: [1] } };
    const text = JSON.stringify(body);
    return Promise.resolve({
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'application/json', location: 'https://h.example.com/next' },
      body: text,
      bytes: text.length,
      timings: { firstByteMs: 1, transferMs: 0, totalMs: 1, viaProxy: false },
    });
  }
}

class MemoryStore implements KeyValueStore {
  private readonly m = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.m.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.m.set(key, value);
    return Promise.resolve();
  }
  dump(): string {
    return JSON.stringify([...this.m]);
  }
}

export async function checkHttp(c: FuzzCase): Promise<CaseOutcome> {
  const problems: string[] = [];
  const notes: string[] = [];
  const tally: Record<string, number> = {};
  const count = (k: string): void => {
    tally[k] = (tally[k] ?? 0) + 1;
  };
  const t0 = performance.now();
  let file: ReturnType<typeof parseRequestFile>;
  try {
    file = parseRequestFile(c.text);
  } catch (err) {
    return { problems: [`parseRequestFile threw ${problemOf(err)}`], tally: { crashed: 1 }, notes };
  }
  const ms = performance.now() - t0;
  if (ms > PER_INPUT_MS) problems.push(`parseRequestFile took ${ms.toFixed(0)} ms (limit ${PER_INPUT_MS})`);
  const lines = c.text.split(/\r?\n/);
  const lineOk = (n: number): boolean => Number.isInteger(n) && n >= 0 && n < lines.length;
  for (const d of file.diagnostics) {
    const p = locate(lines, d.line, d.startCol, d.endCol, `diagnostic "${d.message.slice(0, 80)}"`);
    if (p) problems.push(p);
    else if (d.endCol < d.startCol) problems.push(`diagnostic "${d.message.slice(0, 80)}": ends before it starts`);
    const plain = plainProblem(d.message);
    if (plain) problems.push(`diagnostic message: ${plain}`);
  }
  for (const r of file.requests) {
    if (
      !lineOk(r.requestLine) ||
      !lineOk(r.range.start) ||
      r.range.end >= lines.length ||
      r.range.end < r.range.start - 1
    ) {
      problems.push(
        `request #${r.index + 1}: lines ${r.range.start}–${r.range.end} (request line ${r.requestLine}) outside the file`,
      );
    }
  }

  const executor = new CountingExecutor();
  const redactor = new Redactor();
  const runner = new RequestRunner({ executor, now: () => 1_800_000_000_000, redactor, logger: nullLogger });
  const session = new RunSession(file, {
    environment: {
      host: 'https://h.example.com',
      baseUrl: 'https://h.example.com',
      tokenUrl: 'https://h.example.com/token',
      clientId: 'cid-123',
      gateway: 'https://gw.example.com/x',
    },
    dotenv: { KEY: 'dotenv-value', CLIENT_ID: 'dotenv-client', CLIENT_SECRET: secretValue('CLIENT_SECRET') },
    processEnv: (n) => (n === 'HOME' ? '/home/fuzz' : undefined),
    secret: (key) => Promise.resolve(SECRET_KEYS.has(key) ? secretValue(key) : undefined),
    now: () => 1_800_000_000_000,
  });
  const history = new RunHistory(new MemoryStore(), redactor);
  const secrets = [...SECRET_KEYS].map(secretValue).concat(secretValue('CLIENT_SECRET'), ACCESS_TOKEN);
  for (const req of file.requests.slice(0, 12)) {
    const before = executor.sent.length;
    const ctrl = new AbortController();
    const t1 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let result: Awaited<ReturnType<RequestRunner['run']>> | undefined;
    try {
      result = await Promise.race([
        runner.run(session, req.index, ctrl.signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            ctrl.abort();
            reject(new Error(`run of request #${req.index + 1} took more than ${RUN_LIMIT_MS} ms`));
          }, RUN_LIMIT_MS);
        }),
      ]);
    } catch (err) {
      problems.push(`run of request #${req.index + 1} rejected: ${problemOf(err)}`);
      continue;
    } finally {
      clearTimeout(timer);
    }
    const runMs = performance.now() - t1;
    if (runMs > RUN_LIMIT_MS) problems.push(`run of request #${req.index + 1} took ${runMs.toFixed(0)} ms`);
    const own = executor.sent.slice(before);
    if (req.blocking.length) {
      count('refused (diagnostics)');
      if (own.length)
        problems.push(
          `request #${req.index + 1} has errors (${req.blocking[0]!.message.slice(0, 80)}) but ${own.length} request(s) were sent`,
        );
      if (!result.error) problems.push(`request #${req.index + 1} has errors but its run reports none`);
    } else if (result.error?.kind.startsWith('variable')) {
      count('refused (variables)');
      // its chain may have run other requests, but this one must not have gone out
      const sentSelf = result.sent !== undefined;
      if (sentSelf)
        problems.push(`request #${req.index + 1}: variables failed (${result.error.message}) but it was sent`);
    } else count(result.error ? 'failed' : 'sent');
    for (const s of own) {
      // each part on its own (a stray `{{` in the URL and a `}}` in the body are not a variable), and only what the
      // file wrote: `{{{{$guid}}}}` rightly sends `{{<a guid>}}`, substitution is one pass
      const left = [s.url, ...s.headers.map(([k, v]) => `${k}: ${v}`), s.body ?? '']
        .flatMap((part) => [...part.matchAll(VARIABLE_PATTERN)])
        .filter((m) => c.text.includes(m[0]));
      if (left.length) problems.push(`sent with an unresolved variable ${left[0]![0]}: ${s.method} ${s.url}`);
    }
    if (result.error) {
      if (/^Invalid URL$/.test(result.error.message))
        problems.push(
          `request #${req.index + 1}: an unsendable URL is reported as the bare "${result.error.message}" (kind ${result.error.kind}), not which URL`,
        );
      const plain = plainProblem(result.error.message);
      if (plain) problems.push(`request #${req.index + 1} error message: ${plain}`);
    }
    // what the UI shows, keeps and copies: the error, the history entry, the curl command
    const curl = result.sent ? toCurl(result.sent, { redactor }) : '';
    const entry = await history.add({
      id: String(req.index),
      at: 0,
      file: c.fileName,
      line: req.requestLine,
      method: req.method,
      url: result.sent?.url ?? req.url,
      curl,
      status: result.response?.status,
      error: result.error?.message,
    });
    const shown = `${curl}\n${JSON.stringify(entry)}\n${result.error?.message ?? ''}`;
    for (const s of secrets)
      if (shown.includes(s))
        problems.push(`request #${req.index + 1}: a secret (${s.slice(0, 14)}…) in the curl, history or error`);
  }
  return { problems, tally, notes };
}
