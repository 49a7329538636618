/**
 * The request-file parser: REST Client / httpYac style `.http` files, pure (no vscode, no I/O).
 *
 *   ### optional title                  block separator (title optional)
 *   @host = https://idp.example.com     file variable (`{{host}}` anywhere after)
 *   # @name token                       metadata comment: names the request for chaining ({{token.response.body.access_token}})
 *   # @strategy orders-oidc             links the file (before the first request) or one request to an auth strategy
 *   POST {{host}}/oauth/token HTTP/1.1  request line (a bare URL means GET)
 *       ?a=1 &b=2                       query continuation lines
 *   Content-Type: application/x-www-form-urlencoded
 *                                       blank line, then the body up to the next ###
 *   grant_type=client_credentials
 *   &client_id={{$secret clientId}}
 *
 * What the runner does not support never goes out silently wrong: it becomes a diagnostic with `severity: 'error'`
 * on the request (which then refuses to run), or a warning when ignoring it cannot change what is sent.
 */

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface RequestDiagnostic {
  /** 0-based line, and the column span on it. */
  readonly line: number;
  readonly startCol: number;
  readonly endCol: number;
  readonly severity: DiagnosticSeverity;
  readonly code: string;
  readonly message: string;
  /** Index of the request it belongs to (undefined: the file). */
  readonly request?: number | undefined;
}

export interface FileVariable {
  readonly name: string;
  /** Raw value: may itself contain `{{…}}`. */
  readonly value: string;
  readonly line: number;
}

export interface RequestHeader {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export type BodyKind = 'none' | 'form' | 'json' | 'text';

export interface ParsedRequest {
  readonly index: number;
  /** `# @name` (for chaining). */
  readonly name?: string | undefined;
  /** Text after `###`. */
  readonly title?: string | undefined;
  readonly method: string;
  /** Raw URL with query continuation lines appended; may contain `{{…}}`. */
  readonly url: string;
  readonly headers: readonly RequestHeader[];
  /** Raw body (for forms: the `&`-joined lines), or undefined. */
  readonly body?: string | undefined;
  readonly bodyKind: BodyKind;
  /** First and last line of the request's block (0-based, inclusive). */
  readonly range: { readonly start: number; readonly end: number };
  /** Where the request line is: CodeLens and decorations go there. */
  readonly requestLine: number;
  /** `# @strategy` on this request, else the file's. */
  readonly strategy?: string | undefined;
  /** Metadata comments (`# @key value`) of the block. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Error diagnostics of this request: if any, it is not sent. */
  readonly blocking: readonly RequestDiagnostic[];
}

export interface ParsedFile {
  readonly requests: readonly ParsedRequest[];
  /** Every `@name = value` of the file, in order (a later one wins from its line on). */
  readonly variables: readonly FileVariable[];
  /** `# @strategy` before the first request. */
  readonly strategy?: { readonly value: string; readonly line: number } | undefined;
  readonly diagnostics: readonly RequestDiagnostic[];
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT']);
/** Request kinds of httpYac / JetBrains the runner does not speak. */
const OTHER_PROTOCOLS = new Set(['GRAPHQL', 'GRPC', 'WS', 'WSS', 'SSE', 'MQTT', 'MQTTS', 'AMQP', 'AMQPS', 'PROPFIND']);

/** Metadata the runner understands. */
const SUPPORTED_META = new Set(['name', 'strategy', 'title', 'no-redirect']);
/** Metadata whose absence cannot change what is sent: ignored with a warning. */
const IGNORABLE_META = new Set([
  'no-log', 'no-cookie-jar', 'no-client-cert', 'note', 'description', 'verbose', 'debug', 'save', 'openwith', 'extension',
  'no-reject-unauthorized', 'jwt', 'keep-alive', 'no-response-view', 'ref-description', 'doc',
]);
/** Metadata that would change what is sent or when: the request refuses to run while it is there. */
const REFUSED_META = new Set([
  'prompt', 'import', 'ref', 'forceref', 'loop', 'sleep', 'disabled', 'ratelimit', 'keepstreaming', 'injectvariables',
  'grpc', 'websocket', 'sse', 'mqtt', 'amqp', 'file', 'language', 'proxy', 'timeout',
]);

/** `{{…}}` occurrences. */
export const VARIABLE_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SYSTEM_VARIABLES = new Set(['$guid', '$uuid', '$timestamp', '$isoTimestamp', '$randomInt', '$dotenv', '$processEnv', '$secret']);

const isSeparator = (line: string): boolean => /^\s*###/.test(line);
const isComment = (line: string): boolean => /^\s*(#|\/\/)/.test(line);
const META = /^\s*(?:#|\/\/)\s*@([A-Za-z][\w-]*)(?:\s+(.*?))?\s*$/;
const FILE_VAR = /^\s*@([A-Za-z_][\w.-]*)\s*=\s?(.*?)\s*$/;
const HEADER = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s?(.*?)\s*$/;

function requestLineOf(text: string): { method: string; url: string; version?: string } | undefined {
  const t = text.trim();
  const m = /^([A-Za-z]+)\s+(\S.*?)(?:\s+(HTTP\/[\d.]+))?$/.exec(t);
  if (m && (METHODS.has(m[1]!.toUpperCase()) || OTHER_PROTOCOLS.has(m[1]!.toUpperCase()))) {
    return { method: m[1]!.toUpperCase(), url: m[2]!, ...(m[3] ? { version: m[3] } : {}) };
  }
  const bare = /^((?:https?:\/\/|\{\{)\S*)(?:\s+(HTTP\/[\d.]+))?$/i.exec(t);
  if (bare) return { method: 'GET', url: bare[1]!, ...(bare[2] ? { version: bare[2] } : {}) };
  return undefined;
}

function bodyKindOf(headers: readonly RequestHeader[], body: string | undefined): BodyKind {
  if (body === undefined) return 'none';
  const ct = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
  if (ct.includes('application/x-www-form-urlencoded')) return 'form';
  if (ct.includes('json')) return 'json';
  return 'text';
}

/** Form bodies: one `key=value` per line (a leading `&` optional), joined with `&`; blank lines dropped. */
export function joinFormLines(lines: readonly string[]): string {
  const parts = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  return parts.map((p, i) => (i === 0 ? p.replace(/^&/, '') : p.startsWith('&') ? p : `&${p}`)).join('');
}

export function parseRequestFile(text: string): ParsedFile {
  const lines = text.split(/\r?\n/);
  const diagnostics: RequestDiagnostic[] = [];
  const variables: FileVariable[] = [];
  const requests: ParsedRequest[] = [];
  let fileStrategy: { value: string; line: number } | undefined;

  const diag = (line: number, severity: DiagnosticSeverity, code: string, message: string, request?: number, startCol = 0, endCol?: number): RequestDiagnostic => {
    const d: RequestDiagnostic = { line, startCol, endCol: endCol ?? (lines[line] ?? '').length, severity, code, message, request };
    diagnostics.push(d);
    return d;
  };

  // blocks: [start, end] line ranges between ### separators
  const blocks: { start: number; end: number; title?: string }[] = [];
  let start = 0;
  let title: string | undefined;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || isSeparator(lines[i]!)) {
      if (i > start || i === lines.length) blocks.push({ start, end: i - 1, ...(title ? { title } : {}) });
      if (i < lines.length) {
        title = lines[i]!.replace(/^\s*###/, '').trim() || undefined;
        start = i + 1;
        if (blocks.length && blocks[blocks.length - 1]!.end < blocks[blocks.length - 1]!.start) blocks.pop();
      }
    }
  }

  for (const block of blocks) {
    const meta: Record<string, string> = {};
    const blockDiags: RequestDiagnostic[] = [];
    let i = block.start;
    let reqLine: { method: string; url: string; version?: string } | undefined;
    let requestLine = -1;
    const index = requests.length;
    const metaLines: { key: string; value: string; line: number }[] = [];

    // before the request line: comments, metadata, variables
    for (; i <= block.end; i++) {
      const line = lines[i]!;
      if (!line.trim()) continue;
      const m = META.exec(line);
      if (m) { metaLines.push({ key: m[1]!, value: (m[2] ?? '').trim(), line: i }); continue; }
      if (isComment(line)) continue;
      const v = FILE_VAR.exec(line);
      if (v) { variables.push({ name: v[1]!, value: v[2] ?? '', line: i }); continue; }
      reqLine = requestLineOf(line);
      if (!reqLine) {
        blockDiags.push(diag(i, 'error', 'syntax', `Not a request line: expected "METHOD URL" (e.g. "POST https://idp.example.com/oauth/token"), found "${line.trim().slice(0, 60)}"`, index));
        // the rest of the block cannot be read reliably
        i = block.end + 1;
        break;
      }
      requestLine = i;
      i++;
      break;
    }

    const isFileHeader = requestLine < 0;
    for (const ml of metaLines) {
      const key = ml.key.toLowerCase();
      if (key === 'strategy') {
        if (!ml.value) { diag(ml.line, 'error', 'metadata', '`# @strategy` needs an auth strategy name or id', isFileHeader ? undefined : index); continue; }
        // before the first request of the file: the whole file; later: this request
        if (requests.length === 0 && !fileStrategy) fileStrategy = { value: ml.value, line: ml.line };
        else meta[key] = ml.value;
        continue;
      }
      if (isFileHeader) {
        if (!SUPPORTED_META.has(key)) diag(ml.line, 'warning', 'metadata', `\`@${ml.key}\` is not supported by the Konnect DCR runner and is ignored`);
        continue;
      }
      if (SUPPORTED_META.has(key)) { meta[key] = ml.value; continue; }
      if (REFUSED_META.has(key)) {
        blockDiags.push(diag(ml.line, 'error', 'unsupported-metadata', `\`@${ml.key}\` is not supported by the Konnect DCR runner: the request would not be sent as written (remove it to send)`, index));
        continue;
      }
      diag(ml.line, 'warning', 'ignored-metadata', `\`@${ml.key}\` is ${IGNORABLE_META.has(key) ? 'ignored' : 'not supported and is ignored'} by the Konnect DCR runner`, index);
    }

    if (!reqLine) {
      if (blockDiags.length) {
        requests.push(blocked(index, block, meta, blockDiags, fileStrategy?.value));
      }
      continue;
    }
    if (OTHER_PROTOCOLS.has(reqLine.method)) {
      blockDiags.push(diag(requestLine, 'error', 'unsupported-protocol', `${reqLine.method} requests are not supported by the Konnect DCR runner (HTTP only)`, index));
    }

    // query continuation lines
    let url = reqLine.url;
    for (; i <= block.end; i++) {
      const t = lines[i]!.trim();
      if (!/^[?&]/.test(t)) break;
      url += t;
    }

    // headers
    const headers: RequestHeader[] = [];
    for (; i <= block.end; i++) {
      const line = lines[i]!;
      if (!line.trim()) { i++; break; }
      if (isComment(line)) continue;
      const h = HEADER.exec(line);
      if (!h) {
        if (/^\s*</.test(line) || /^\s*[{[]/.test(line)) {
          blockDiags.push(diag(i, 'error', 'syntax', 'A body must be separated from the headers by a blank line', index));
        } else {
          blockDiags.push(diag(i, 'error', 'syntax', `Not a header ("Name: value"): "${line.trim().slice(0, 60)}"`, index));
        }
        continue;
      }
      headers.push({ name: h[1]!, value: h[2] ?? '', line: i });
    }

    // body
    const bodyLines: { text: string; line: number }[] = [];
    for (; i <= block.end; i++) bodyLines.push({ text: lines[i]!, line: i });
    while (bodyLines.length && !bodyLines[bodyLines.length - 1]!.text.trim()) bodyLines.pop();
    while (bodyLines.length && !bodyLines[0]!.text.trim()) bodyLines.shift();
    for (const bl of bodyLines) {
      if (/^\s*<@?\s+\S/.test(bl.text) && bl === bodyLines[0]) {
        blockDiags.push(diag(bl.line, 'error', 'unsupported-body', 'File bodies (`< path`) are not supported by the Konnect DCR runner: paste the content instead', index));
      } else if (/^\s*>{1,2}\s/.test(bl.text) || /^\s*>\s*\{%/.test(bl.text)) {
        blockDiags.push(diag(bl.line, 'error', 'unsupported-script', 'Response handlers and scripts (`> …`, `>> file`) are not supported by the Konnect DCR runner', index));
      } else if (requestLineOf(bl.text) && /^[A-Z]+\s/.test(bl.text) && !lines[bl.line - 1]?.trim()) {
        blockDiags.push(diag(bl.line, 'warning', 'missing-separator', 'This looks like another request but is sent as part of the body: separate requests with ###', index));
      }
    }
    let body: string | undefined;
    const kind0 = bodyKindOf(headers, bodyLines.length ? '' : undefined);
    if (bodyLines.length) body = kind0 === 'form' ? joinFormLines(bodyLines.map((b) => b.text)) : bodyLines.map((b) => b.text).join('\n');

    // variables used in the request
    const scan = (text: string, line: number, col0 = 0): void => {
      for (const m of text.matchAll(VARIABLE_PATTERN)) {
        const expr = m[1]!.trim();
        const problem = checkExpression(expr);
        if (problem) {
          const col = col0 + (m.index ?? 0);
          blockDiags.push(diag(line, 'error', 'unsupported-variable', problem, index, col, col + m[0].length));
        }
      }
    };
    scan(lines[requestLine]!, requestLine);
    for (const h of headers) scan(lines[h.line]!, h.line);
    for (const bl of bodyLines) scan(bl.text, bl.line);

    const strategy = meta['strategy'] ?? fileStrategy?.value;
    requests.push({
      index,
      name: meta['name'] || undefined,
      title: block.title,
      method: reqLine.method,
      url,
      headers,
      body,
      bodyKind: bodyKindOf(headers, body),
      range: { start: block.start, end: block.end },
      requestLine,
      strategy,
      metadata: meta,
      blocking: blockDiags.filter((d) => d.severity === 'error'),
    });
  }

  return { requests, variables, strategy: fileStrategy, diagnostics };
}

function blocked(index: number, block: { start: number; end: number; title?: string }, meta: Record<string, string>, diags: RequestDiagnostic[], strategy: string | undefined): ParsedRequest {
  const first = diags[0]!.line;
  return {
    index, title: block.title, method: '', url: '', headers: [], bodyKind: 'none', range: { start: block.start, end: block.end },
    requestLine: first, strategy: meta['strategy'] ?? strategy, metadata: meta, blocking: diags.filter((d) => d.severity === 'error'),
    ...(meta['name'] ? { name: meta['name'] } : {}),
  };
}

/** Why a `{{…}}` expression cannot be resolved by the runner, or undefined when it can. */
export function checkExpression(expr: string): string | undefined {
  if (!expr) return 'Empty variable `{{}}`';
  if (expr.startsWith('$')) {
    const name = expr.split(/\s+/)[0]!;
    if (name.startsWith('$.')) return undefined;
    if (!SYSTEM_VARIABLES.has(name)) return `\`{{${name}}}\` is not supported by the Konnect DCR runner (supported: ${[...SYSTEM_VARIABLES].join(', ')})`;
    const arg = expr.slice(name.length).trim();
    if ((name === '$dotenv' || name === '$processEnv' || name === '$secret') && !/^%?[\w.-]+$/.test(arg)) return `\`{{${name} NAME}}\` needs one name`;
    if (name === '$dotenv' || name === '$processEnv') { if (arg.startsWith('%')) return `\`{{${name} %…}}\` (indirect names) is not supported by the Konnect DCR runner`; }
    return undefined;
  }
  if (expr.startsWith('%')) return '`{{%…}}` is not supported by the Konnect DCR runner';
  // a variable name, or a chain into a named request: name.response.body.$.a.b / name.response.headers.X / name.a.b[0]
  if (/^[A-Za-z_][\w-]*(?:(?:\.[\w$-]+)|(?:\[\d+\]))*$/.test(expr.replace(/\.\$\./, '.$.').replace(/\.\$$/, '.$'))) return undefined;
  return `\`{{${expr}}}\` looks like a script expression: the Konnect DCR runner only substitutes variables (no JavaScript)`;
}

/** The request whose block contains `line` (0-based), if any. */
export function requestAt(file: ParsedFile, line: number): ParsedRequest | undefined {
  return file.requests.find((r) => line >= r.range.start && line <= r.range.end);
}
