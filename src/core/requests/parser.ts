/**
 * The request-file parser: REST Client / httpYac style `.http` files, pure (no vscode, no I/O).
 *
 *   ### optional title                  block separator (title optional; it also names the request, as in httpYac)
 *   @host = https://idp.example.com     file variable (`{{host}}` anywhere after)
 *   # @name token                       metadata comment: names the request for chaining ({{token.response.body.access_token}})
 *   # @strategy orders-oidc             links the file (before the first request) or one request to an auth strategy
 *   POST {{host}}/oauth/token HTTP/1.1  request line (a bare URL means GET; a URL starting with `/` takes the Host
 *       ?a=1 &b=2 /path                 header or the `host` variable); query (and httpYac path) continuation lines
 *   Content-Type: application/x-www-form-urlencoded
 *                                       blank line, then the body up to the next ###
 *   grant_type=client_credentials       (`#` and `//` lines in a body are comments, as in both tools)
 *   &client_id={{$secret clientId}}
 *
 * What the runner does not support never goes out silently wrong: it becomes a diagnostic with `severity: 'error'`
 * on the line that has it, and the request refuses to run (a warning when ignoring it cannot change what is sent).
 * That includes every place where REST Client and httpYac read the same text differently (a request line after a
 * blank line in a body, form lines without a leading `&`, `@x = …` after the request line, a GraphQL body): the
 * runner cannot know which tool the file was written for, so it asks for the form both read the same way.
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
  /** `@name := value` (an httpYac lazy variable): not supported; the requests that use it are refused. */
  readonly lazy?: boolean | undefined;
}

export interface RequestHeader {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export type BodyKind = 'none' | 'form' | 'json' | 'text';

export interface ParsedRequest {
  readonly index: number;
  /** `# @name`, else the `###` title (httpYac names a request after its title); for chaining. */
  readonly name?: string | undefined;
  /** Text after `###`. */
  readonly title?: string | undefined;
  readonly method: string;
  /** Raw URL with query continuation lines appended; may contain `{{…}}`. */
  readonly url: string;
  readonly headers: readonly RequestHeader[];
  /** Raw body (for forms: the `&`-joined lines; multipart: CRLF line ends), or undefined. */
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
/**
 * A line httpYac takes for the start of another request wherever it is (its method list; upper case only): in a body
 * REST Client reads the same line as body text.
 */
const HTTPYAC_REQUEST_LINE =
  /^\s*(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|UNLOCK|CHECKOUT|CHECKIN|REPORT|MERGE|MKACTIVITY|MKWORKSPACE|VERSION-CONTROL|BASELINE-CONTROL|MKCALENDAR|ACL|SEARCH|GRAPHQL|GRPC|WS|WSS|SSE|MQTT|MQTTS|AMQP|AMQPS)\s+\S/;

/** Metadata the runner understands. */
const SUPPORTED_META = new Set(['name', 'strategy', 'title', 'no-redirect']);
/** Metadata whose absence cannot change what is sent: ignored with a warning. */
const IGNORABLE_META = new Set([
  'no-log',
  'no-cookie-jar',
  'no-client-cert',
  'note',
  'description',
  'verbose',
  'debug',
  'save',
  'openwith',
  'extension',
  'no-reject-unauthorized',
  'jwt',
  'keep-alive',
  'no-response-view',
  'ref-description',
  'doc',
]);
/** Metadata that would change what is sent or when: the request refuses to run while it is there. */
const REFUSED_META = new Set([
  'prompt',
  'import',
  'ref',
  'forceref',
  'loop',
  'sleep',
  'disabled',
  'ratelimit',
  'keepstreaming',
  'injectvariables',
  'grpc',
  'websocket',
  'sse',
  'mqtt',
  'amqp',
  'file',
  'language',
  'proxy',
  'timeout',
]);

/** `{{…}}` occurrences. */
export const VARIABLE_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SYSTEM_VARIABLES = new Set([
  '$guid',
  '$uuid',
  '$timestamp',
  '$isoTimestamp',
  '$randomInt',
  '$dotenv',
  '$processEnv',
  '$secret',
]);

const isSeparator = (line: string): boolean => /^\s*###/.test(line);
const isComment = (line: string): boolean => /^\s*(#|\/\/)/.test(line);
const META = /^\s*(?:#|\/\/)\s*@([A-Za-z][\w-]*)(?:\s+(.*?))?\s*$/;
const FILE_VAR = /^\s*@([A-Za-z_][\w.-]*)\s*(:?)=\s?(.*?)\s*$/;
const HEADER = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s?(.*?)\s*$/;
/** The opening line of an httpYac script block: `{{`, `{{@response`, `{{+after` alone on the line. */
const SCRIPT_OPEN = /^\s*\{\{\s*(?:[@+][\w-]*)?\s*$/;
/** A body line that both tools replace with a file's content: `< ./a.json`, `<@ ./a.json`, `<@latin1 ./a.xml`. */
const FILE_BODY_LINE = /^\s*<(?:@\w*)?\s+\S/;

/** How httpYac turns a request name into the variable that holds its response (`get token` → `getToken`). */
export function responseVariableName(name: string): string {
  return name
    .trim()
    .replace(/\s/g, '-')
    .replace(/-./g, (v) => v[1]!.toUpperCase());
}

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

function contentTypeOf(headers: readonly RequestHeader[]): string {
  return headers.find((h) => h.name.toLowerCase() === 'content-type')?.value.toLowerCase() ?? '';
}

function bodyKindOf(headers: readonly RequestHeader[], body: string | undefined): BodyKind {
  if (body === undefined) return 'none';
  const ct = contentTypeOf(headers);
  if (ct.includes('application/x-www-form-urlencoded')) return 'form';
  if (ct.includes('json')) return 'json';
  return 'text';
}

/** Form bodies: one `key=value` per line (a leading `&` optional), joined with `&`; blank lines dropped. */
export function joinFormLines(lines: readonly string[]): string {
  const parts = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  return parts.map((p, i) => (i === 0 ? p.replace(/^&/, '') : p.startsWith('&') ? p : `&${p}`)).join('');
}

/** The definition of file variable `name` that a use on `line` gets: the last one above it, else the first. */
export function fileVariableAt(
  variables: readonly FileVariable[],
  name: string,
  line: number,
): FileVariable | undefined {
  const defs = variables.filter((v) => v.name === name);
  return defs.filter((v) => v.line < line).pop() ?? defs[0];
}

/** The request `{{head.…}}` chains into, by its name or by httpYac's variable spelling of it. */
export function namedRequest<R extends { readonly name?: string | undefined }>(
  requests: readonly R[],
  head: string,
): R | undefined {
  return (
    requests.find((r) => r.name === head) ??
    requests.find((r) => r.name !== undefined && responseVariableName(r.name) === head)
  );
}

/** Authorization schemes both tools compute themselves (a digest challenge, AWS / Cognito signatures, OAuth2 flows). */
const COMPUTED_AUTH = /^\s*(?:(Digest|AWS|COGNITO)\s+\S|(oauth2|openid)(?:\s|$))/i;
/** A query continuation line as httpYac reads one (`?a=1`, `&b=2`, `&{{q}}`); REST Client takes any `?`/`&` line. */
const HTTPYAC_QUERY_LINE = /^\s*(\?|&)((([^(=?&)]+)=(.*))|\{\{.*\}\})\s*$/;

export function parseRequestFile(text: string): ParsedFile {
  const lines = text.split(/\r?\n/);
  const diagnostics: RequestDiagnostic[] = [];
  const variables: FileVariable[] = [];
  const requests: ParsedRequest[] = [];
  let fileStrategy: { value: string; line: number } | undefined;
  /** Script blocks outside any request: httpYac runs them around every request of the file. */
  const globalScripts: number[] = [];
  /** `@name = value` lines after a request line: httpYac sets them after the response, REST Client sends them as body. */
  const bodyVariables: { name: string; line: number }[] = [];
  /** Per request: the `{{…}}` it uses, where (checked against variables and other requests once all are read). */
  const uses: { line: number; col: number; text: string; expr: string }[][] = [];

  const diag = (
    line: number,
    severity: DiagnosticSeverity,
    code: string,
    message: string,
    request?: number,
    startCol = 0,
    endCol?: number,
  ): RequestDiagnostic => {
    const d: RequestDiagnostic = {
      line,
      startCol,
      endCol: endCol ?? (lines[line] ?? '').length,
      severity,
      code,
      message,
      request,
    };
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

  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    const meta: Record<string, string> = {};
    const blockDiags: RequestDiagnostic[] = [];
    let i = block.start;
    let reqLine: { method: string; url: string; version?: string } | undefined;
    let requestLine = -1;
    const index = requests.length;
    const metaLines: { key: string; value: string; line: number }[] = [];
    const used: { line: number; col: number; text: string; expr: string }[] = [];

    // before the request line: comments, metadata, variables
    for (; i <= block.end; i++) {
      const line = lines[i]!;
      if (!line.trim()) continue;
      const m = META.exec(line);
      if (m) {
        metaLines.push({ key: m[1]!, value: (m[2] ?? '').trim(), line: i });
        continue;
      }
      if (isComment(line)) continue;
      const v = FILE_VAR.exec(line);
      if (v) {
        variables.push({ name: v[1]!, value: v[3] ?? '', line: i, ...(v[2] ? { lazy: true } : {}) });
        if (v[2])
          diag(
            i,
            'warning',
            'unsupported-variable',
            `\`@${v[1]} :=\` (an httpYac lazy variable) is not supported by the Konnect DCR runner: requests that use {{${v[1]}}} are not sent`,
          );
        continue;
      }
      if (SCRIPT_OPEN.test(line)) {
        // a script before the request line; with no request in its block it runs around every request (httpYac)
        const close = lines.findIndex((l, k) => k > i && k <= block.end && /^\s*\}\}\s*$/.test(l));
        const rest = close < 0 ? block.end : close;
        const hasRequest = lines
          .slice(rest + 1, block.end + 1)
          .some((l) => requestLineOf(l) !== undefined && !isComment(l));
        if (!hasRequest) {
          globalScripts.push(i);
          diag(
            i,
            'error',
            'unsupported-script',
            'Scripts (`{{ … }}` blocks) are not run by the Konnect DCR runner: httpYac runs this one around every request of the file, so none of them is sent while it is here',
            undefined,
            0,
          );
          i = rest;
          continue;
        }
        blockDiags.push(
          diag(
            i,
            'error',
            'unsupported-script',
            'Scripts (`{{ … }}` blocks) are not run by the Konnect DCR runner: the request would not be sent as written (remove the script to send)',
            index,
          ),
        );
        i = rest;
        continue;
      }
      reqLine = requestLineOf(line);
      if (!reqLine && /^\s*\/\*/.test(line)) {
        blockDiags.push(
          diag(
            i,
            'error',
            'syntax',
            'Block comments (`/* … */`, httpYac) are not read by the Konnect DCR runner or REST Client: comment each line with # or //',
            index,
          ),
        );
        i = block.end + 1;
        break;
      }
      if (!reqLine) {
        blockDiags.push(
          diag(
            i,
            'error',
            'syntax',
            `Not a request line: expected "METHOD URL" (e.g. "POST https://idp.example.com/oauth/token"), found "${line.trim().slice(0, 60)}"`,
            index,
          ),
        );
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
        if (!ml.value) {
          diag(
            ml.line,
            'error',
            'metadata',
            '`# @strategy` needs an auth strategy name or id',
            isFileHeader ? undefined : index,
          );
          continue;
        }
        // before the first request of the file: the whole file; later: this request
        if (requests.length === 0 && !fileStrategy) fileStrategy = { value: ml.value, line: ml.line };
        else meta[key] = ml.value;
        continue;
      }
      if (isFileHeader) {
        if (!SUPPORTED_META.has(key))
          diag(
            ml.line,
            'warning',
            'metadata',
            `\`@${ml.key}\` is not supported by the Konnect DCR runner and is ignored`,
          );
        continue;
      }
      if (SUPPORTED_META.has(key)) {
        meta[key] = ml.value;
        continue;
      }
      if (REFUSED_META.has(key)) {
        blockDiags.push(
          diag(
            ml.line,
            'error',
            'unsupported-metadata',
            `\`@${ml.key}\` is not supported by the Konnect DCR runner: the request would not be sent as written (remove it to send)`,
            index,
          ),
        );
        continue;
      }
      diag(
        ml.line,
        'warning',
        'ignored-metadata',
        `\`@${ml.key}\` is ${IGNORABLE_META.has(key) ? 'ignored' : 'not supported and is ignored'} by the Konnect DCR runner`,
        index,
      );
    }

    if (!reqLine) {
      if (blockDiags.length) {
        requests.push(blocked(index, block, meta, blockDiags, fileStrategy?.value));
        uses.push([]);
      }
      continue;
    }
    if (OTHER_PROTOCOLS.has(reqLine.method)) {
      blockDiags.push(
        diag(
          requestLine,
          'error',
          'unsupported-protocol',
          `${reqLine.method} requests are not supported by the Konnect DCR runner (HTTP only)`,
          index,
        ),
      );
    }
    const scan = (textOf: string, line: number, col0 = 0): void => {
      const esc = textOf.indexOf('\\{\\{');
      if (esc >= 0)
        blockDiags.push(
          diag(
            line,
            'error',
            'ambiguous-escape',
            'An escaped `\\{\\{`: httpYac sends `{{`, REST Client and the Konnect DCR runner send the backslashes; write it without them if {{ is meant',
            index,
            esc,
            esc + 4,
          ),
        );
      for (const m of textOf.matchAll(VARIABLE_PATTERN)) {
        const expr = m[1]!.trim();
        const col = col0 + (m.index ?? 0);
        const problem = checkExpression(expr);
        if (problem)
          blockDiags.push(diag(line, 'error', 'unsupported-variable', problem, index, col, col + m[0].length));
        else used.push({ line, col, text: m[0], expr });
      }
    };
    scan(lines[requestLine]!, requestLine);

    // A request line right under a request line or a header starts the next request, as in httpYac (REST Client
    // would take it for a header it cannot send). After a blank line it would be body text to REST Client: an error.
    const splitAt = (k: number): boolean => {
      if (!HTTPYAC_REQUEST_LINE.test(lines[k]!)) return false;
      blocks.splice(b + 1, 0, { start: k, end: block.end });
      block.end = k - 1;
      return true;
    };

    // URL continuation lines: `?a=1` / `&b=2` (both tools), `/more/path` (httpYac)
    let url = reqLine.url;
    for (; i <= block.end; i++) {
      if (splitAt(i)) break;
      const t = lines[i]!.trim();
      if (!/^[?&/]/.test(t) || /^\/\//.test(t)) break;
      if (/^\?\?\s/.test(t)) {
        blockDiags.push(
          diag(
            i,
            'error',
            'unsupported-script',
            'Assertions (`?? …`, httpYac) are not supported by the Konnect DCR runner; REST Client would even append this line to the URL',
            index,
          ),
        );
      } else if (/^[?&]/.test(t) && !HTTPYAC_QUERY_LINE.test(t)) {
        blockDiags.push(
          diag(
            i,
            'error',
            'ambiguous-url',
            'A query line that is not `?name=value` or `&name=value`: REST Client appends it to the URL, httpYac does not; write it as name=value',
            index,
          ),
        );
      }
      url += t;
      scan(lines[i]!, i);
    }

    // headers
    const headers: RequestHeader[] = [];
    for (; i <= block.end; i++) {
      const line = lines[i]!;
      if (!line.trim()) {
        i++;
        break;
      }
      if (isComment(line)) continue;
      if (splitAt(i)) break;
      const h = HEADER.exec(line);
      if (!h) {
        if (requestLineOf(line)) {
          blockDiags.push(
            diag(
              i,
              'error',
              'missing-separator',
              'A URL alone under the request line: httpYac reads it as body, REST Client as a header; put it after a ### to send it as a request of its own',
              index,
            ),
          );
        } else if (/^\s*</.test(line) || /^\s*[{[]/.test(line)) {
          blockDiags.push(
            diag(i, 'error', 'syntax', 'A body must be separated from the headers by a blank line', index),
          );
        } else {
          blockDiags.push(
            diag(i, 'error', 'syntax', `Not a header ("Name: value"): "${line.trim().slice(0, 60)}"`, index),
          );
        }
        continue;
      }
      const header = { name: h[1]!, value: h[2] ?? '', line: i };
      const lower = header.name.toLowerCase();
      if (header.value.endsWith(',')) {
        blockDiags.push(
          diag(
            i,
            'error',
            'ambiguous-header',
            'A header value ending in a comma: httpYac drops the comma, REST Client sends it; remove it',
            index,
          ),
        );
      } else if (lower === 'authorization' && COMPUTED_AUTH.test(header.value)) {
        blockDiags.push(
          diag(
            i,
            'error',
            'unsupported-auth',
            `\`Authorization: ${header.value.trim().split(/\s+/)[0]} …\` is computed by REST Client / httpYac (a signature, a digest challenge or an OAuth2 flow): the Konnect DCR runner does not, and would send the line as it is`,
            index,
          ),
        );
      } else if (lower === 'clientcert' || lower === 'x-clientcert') {
        blockDiags.push(
          diag(
            i,
            'error',
            'unsupported-auth',
            `\`${header.name}\` (an httpYac client certificate) is not supported by the Konnect DCR runner`,
            index,
          ),
        );
      } else if (lower === 'x-request-type' && /graphql/i.test(header.value)) {
        blockDiags.push(
          diag(
            i,
            'error',
            'unsupported-body',
            'GraphQL requests (`X-Request-Type: GraphQL`) are not supported by the Konnect DCR runner: REST Client turns the body into {"query", "variables"} JSON, which the runner does not (write that JSON body instead)',
            index,
          ),
        );
      }
      headers.push(header);
      scan(line, i);
    }

    // body: everything to the end of the block, comment lines left out (both tools do), blank lines at both ends dropped
    const contentType = contentTypeOf(headers);
    const markdown = contentType.includes('markdown');
    const bodyLines: { text: string; line: number }[] = [];
    for (; i <= block.end; i++) {
      const t = lines[i]!;
      if (isComment(t) && !isSeparator(t)) {
        if (META.test(t)) {
          blockDiags.push(
            diag(
              i,
              'error',
              'misplaced-metadata',
              'Metadata in a body: httpYac applies it to this request, REST Client ignores it; put it above the request line',
              index,
            ),
          );
        } else if (markdown && /^\s*#/.test(t)) {
          blockDiags.push(
            diag(
              i,
              'error',
              'ambiguous-body',
              'A `#` line in a markdown body: httpYac sends it, REST Client drops it as a comment',
              index,
            ),
          );
        }
        continue;
      }
      bodyLines.push({ text: t, line: i });
    }
    while (bodyLines.length && !bodyLines[bodyLines.length - 1]!.text.trim()) bodyLines.pop();
    while (bodyLines.length && !bodyLines[0]!.text.trim()) bodyLines.shift();
    const bodyProblem = (bl: { text: string; line: number }, code: string, message: string): void => {
      blockDiags.push(diag(bl.line, 'error', code, message, index));
    };
    for (let k = 0; k < bodyLines.length; k++) {
      const bl = bodyLines[k]!;
      if (SCRIPT_OPEN.test(bl.text)) {
        bodyProblem(
          bl,
          'unsupported-script',
          'Scripts (`{{ … }}` blocks) are not run by the Konnect DCR runner: httpYac runs this one instead of sending it as body (remove it to send)',
        );
        const close = bodyLines.findIndex((b, j) => j > k && /^\s*\}\}\s*$/.test(b.text));
        if (close > k) k = close;
      } else if (FILE_BODY_LINE.test(bl.text) && /^\s*<\s*\{%/.test(bl.text)) {
        bodyProblem(bl, 'unsupported-script', 'Scripts (`< {% … %}`) are not run by the Konnect DCR runner');
      } else if (FILE_BODY_LINE.test(bl.text)) {
        bodyProblem(
          bl,
          'unsupported-body',
          'File bodies (`< path`, `<@ path`) are not supported by the Konnect DCR runner: paste the content instead',
        );
      } else if (/^\s*>{1,2}!?\s/.test(bl.text) || /^\s*>\s*\{%/.test(bl.text)) {
        bodyProblem(
          bl,
          'unsupported-script',
          'Response handlers and scripts (`> …`, `>> file`) are not supported by the Konnect DCR runner',
        );
      } else if (/^\s*\?\?\s/.test(bl.text)) {
        bodyProblem(
          bl,
          'unsupported-script',
          'Assertions (`?? …`, httpYac) are not supported by the Konnect DCR runner: it would send the line as body',
        );
      } else if (/^\s*HTTP\/\S+\s+[1-5]\d\d\b/.test(bl.text)) {
        bodyProblem(
          bl,
          'unsupported-body',
          'A response written under the request (`HTTP/1.1 200 …`): httpYac keeps it out of the request, REST Client sends it as body; remove it or put it after a ###',
        );
      } else if (FILE_VAR.test(bl.text)) {
        bodyVariables.push({ name: FILE_VAR.exec(bl.text)![1]!, line: bl.line });
        bodyProblem(
          bl,
          'ambiguous-body',
          'A variable definition after the request line: httpYac sets it after the response, REST Client sends it as body; move it above the request line',
        );
      } else if (HTTPYAC_REQUEST_LINE.test(bl.text)) {
        bodyProblem(
          bl,
          'missing-separator',
          'Another request starts here without ### before it: httpYac sends it as a request of its own, REST Client as part of this body (add ### above it)',
        );
      } else if (
        k === 0 &&
        (/^\s*(?:query|mutation|subscription)\b/.test(bl.text) ||
          /^\s*fragment\s+\S+\s+on\s/.test(bl.text) ||
          /^\s*gql\s/.test(bl.text))
      ) {
        bodyProblem(
          bl,
          'unsupported-body',
          'A GraphQL body: httpYac turns it into {"query", "variables"} JSON, which the Konnect DCR runner does not (write that JSON body instead)',
        );
      }
    }
    let body: string | undefined;
    const kind0 = bodyKindOf(headers, bodyLines.length ? '' : undefined);
    if (bodyLines.length && kind0 === 'form') {
      for (const [k, bl] of bodyLines.entries()) {
        if (!bl.text.trim())
          bodyProblem(
            bl,
            'ambiguous-form',
            'A blank line inside a form body: REST Client sends a line break here, httpYac does not; remove it',
          );
        else if (k > 0 && !bl.text.startsWith('&')) {
          bodyProblem(
            bl,
            'ambiguous-form',
            /^\s+&/.test(bl.text)
              ? 'An indented form line: REST Client sends the line break and the spaces, httpYac does not; start the line with & in the first column'
              : 'A form line without a leading &: REST Client sends a line break before it, httpYac glues it to the previous value; start it with &',
          );
        } else if (/\s[=&]|[=&]\s/.test(bl.text.trim())) {
          bodyProblem(
            bl,
            'ambiguous-form',
            'Spaces around = or & in a form body: REST Client sends them, httpYac drops them; remove them',
          );
        }
      }
      body = joinFormLines(bodyLines.map((b) => b.text));
    } else if (bodyLines.length) {
      // multipart parts are separated by CRLF on the wire (RFC 2046); both tools write the body that way
      body = bodyLines.map((b) => b.text).join(contentType.includes('multipart/') ? '\r\n' : '\n');
    }
    for (const bl of bodyLines) scan(bl.text, bl.line);

    uses.push(used);
    const strategy = meta['strategy'] ?? fileStrategy?.value;
    requests.push({
      index,
      name: meta['name'] || block.title || undefined,
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

  // what a request depends on must be sendable too: a file variable whose value the runner cannot resolve, a request
  // it chains from that cannot run (to a fixed point: a chain of chains), a script that httpYac runs around it
  let out: ParsedRequest[] = requests;
  const done = new Set<string>();
  for (let changed = true, round = 0; changed && round <= requests.length; round++) {
    changed = false;
    out = out.map((r, k) => {
      if (!r.method) return r;
      const extra: RequestDiagnostic[] = [];
      if (round === 0) {
        for (const s of globalScripts) {
          const d: RequestDiagnostic = {
            line: r.requestLine,
            startCol: 0,
            endCol: (lines[r.requestLine] ?? '').length,
            severity: 'error',
            code: 'unsupported-script',
            message: `Not sent: the script at line ${s + 1} would run around this request in httpYac, and the Konnect DCR runner does not run scripts`,
            request: r.index,
          };
          diagnostics.push(d);
          extra.push(d);
        }
      }
      if (round === 0) {
        for (const h of r.headers) {
          if (h.name.toLowerCase() !== 'authorization') continue;
          const problem = basicProblem(staticValue(h.value, h.line, variables));
          if (problem) {
            const d: RequestDiagnostic = {
              line: h.line,
              startCol: 0,
              endCol: (lines[h.line] ?? '').length,
              severity: 'error',
              code: 'ambiguous-auth',
              message: problem,
              request: r.index,
            };
            diagnostics.push(d);
            extra.push(d);
          }
        }
      }
      for (const u of uses[k] ?? []) {
        const key = `${k}:${u.line}:${u.col}`;
        if (done.has(key)) continue;
        const problem = dependencyProblem(u.expr, u.line, variables, out, r.index, bodyVariables);
        if (!problem) continue;
        done.add(key);
        const d: RequestDiagnostic = {
          line: u.line,
          startCol: u.col,
          endCol: u.col + u.text.length,
          severity: 'error',
          code: 'unsupported-dependency',
          message: `${u.text}: ${problem}`,
          request: r.index,
        };
        diagnostics.push(d);
        extra.push(d);
      }
      if (!extra.length) return r;
      changed = true;
      return { ...r, blocking: [...r.blocking, ...extra] };
    });
  }
  return { requests: out, variables, strategy: fileStrategy, diagnostics };
}

/**
 * Why `{{expr}}`, used on `line` by request `self`, cannot be resolved whatever the environment holds: a file
 * variable (through the variables it uses) with an unsupported expression, or a chain into a request that has errors.
 */
function dependencyProblem(
  expr: string,
  line: number,
  variables: readonly FileVariable[],
  requests: readonly ParsedRequest[],
  self: number,
  bodyVariables: readonly { name: string; line: number }[],
  seen = new Set<string>(),
): string | undefined {
  if (expr.startsWith('$')) return undefined;
  const [head, ...rest] = expr.split('.');
  const named = namedRequest(requests, head!);
  if (named && (rest.length > 0 || !fileVariableAt(variables, head!, line))) {
    if (named.index !== self && named.blocking.length) {
      return `needs the response of request "${named.name}" (line ${named.requestLine + 1}), which cannot be sent: ${named.blocking[0]!.message}`;
    }
    return undefined;
  }
  const v = fileVariableAt(variables, head!, line);
  if (!v) {
    const late = bodyVariables.find((b) => b.name === head);
    return late
      ? `{{${head}}} is only set at line ${late.line + 1}, after a request line (httpYac sets it from a response, REST Client sends that line as body)`
      : undefined;
  }
  if (rest.length) return undefined;
  if (/^"/.test(v.value))
    return `@${v.name} (line ${v.line + 1}) is in quotes: REST Client sends the quotes, httpYac drops only the first one; write the value without quotes`;
  if (v.lazy)
    return `@${v.name} := … (line ${v.line + 1}) is an httpYac lazy variable, which the Konnect DCR runner does not support (write @${v.name} = …)`;
  if (seen.has(`${v.name}@${v.line}`)) return undefined;
  seen.add(`${v.name}@${v.line}`);
  for (const m of v.value.matchAll(VARIABLE_PATTERN)) {
    const inner = m[1]!.trim();
    const problem = checkExpression(inner);
    if (problem) return `@${v.name} (line ${v.line + 1}) uses ${m[0]}, and ${problem.replace(/^`[^`]*` /, '')}`;
    const deeper = dependencyProblem(inner, v.line, variables, requests, self, bodyVariables, seen);
    if (deeper) return `@${v.name} (line ${v.line + 1}) uses ${m[0]}: ${deeper}`;
  }
  return undefined;
}

/** `text` with its file variables put in, when nothing else (environment, secrets, responses) is needed; else undefined. */
function staticValue(text: string, line: number, variables: readonly FileVariable[], depth = 0): string | undefined {
  if (depth > 10) return undefined;
  let ok = true;
  const out = text.replace(VARIABLE_PATTERN, (_m, e: string) => {
    const v = /^[A-Za-z_][\w.-]*$/.test(e.trim()) ? fileVariableAt(variables, e.trim(), line) : undefined;
    const value = v && !v.lazy ? staticValue(v.value, v.line, variables, depth + 1) : undefined;
    if (value === undefined) ok = false;
    return value ?? '';
  });
  return ok ? out : undefined;
}

/**
 * Why `Authorization: Basic …` (the shorthand both tools encode) cannot be encoded the way the file means: with a
 * space and a colon in the credentials, REST Client splits user from password at the first space and httpYac at the
 * last colon. (`user:pass` and `user pass` they read alike; with several colons and no space we follow RFC 7617, whose
 * user-id has no colon: user = up to the first colon. The resolver checks the same once all variables are in.)
 */
export function basicProblem(value: string | undefined): string | undefined {
  const m = value === undefined ? null : /^\s*Basic\s+(.+?)\s*$/i.exec(value);
  if (!m || !m[1]!.includes(':') || !/\s/.test(m[1]!)) return undefined;
  return 'Authorization: Basic with both a space and a colon in the user name and password: REST Client splits them at the first space, httpYac at the last colon; write the base64 of "user:password" instead';
}

function blocked(
  index: number,
  block: { start: number; end: number; title?: string },
  meta: Record<string, string>,
  diags: RequestDiagnostic[],
  strategy: string | undefined,
): ParsedRequest {
  const first = diags[0]!.line;
  return {
    index,
    title: block.title,
    method: '',
    url: '',
    headers: [],
    bodyKind: 'none',
    range: { start: block.start, end: block.end },
    requestLine: first,
    strategy: meta['strategy'] ?? strategy,
    metadata: meta,
    blocking: diags.filter((d) => d.severity === 'error'),
    ...(meta['name'] || block.title ? { name: meta['name'] || block.title } : {}),
  };
}

/** Why a `{{…}}` expression cannot be resolved by the runner, or undefined when it can. */
export function checkExpression(expr: string): string | undefined {
  if (!expr) return 'Empty variable `{{}}`';
  if (expr.startsWith('$')) {
    const name = expr.split(/\s+/)[0]!;
    if (name.startsWith('$.')) return undefined;
    if (!SYSTEM_VARIABLES.has(name))
      return `\`{{${name}}}\` is not supported by the Konnect DCR runner (supported: ${[...SYSTEM_VARIABLES].join(', ')})`;
    const arg = expr.slice(name.length).trim();
    if ((name === '$dotenv' || name === '$processEnv' || name === '$secret') && !/^%?[\w.-]+$/.test(arg))
      return `\`{{${name} NAME}}\` needs one name`;
    if (name === '$dotenv' || name === '$processEnv') {
      if (arg.startsWith('%')) return `\`{{${name} %…}}\` (indirect names) is not supported by the Konnect DCR runner`;
    }
    if (name === '$timestamp') {
      if (!arg)
        return '`{{$timestamp}}` is seconds in REST Client but milliseconds in httpYac: write `{{$timestamp 0 s}}` (seconds, in both)';
      if (!/^-?\d+ (?:w|d|h|m|s|ms)$/.test(arg))
        return `\`{{$timestamp ${arg}}}\`: the offset must be "<number> <unit>" with one space, the unit one of w, d, h, m, s, ms (REST Client and httpYac send the current time for anything else)`;
    }
    if (name === '$randomInt') {
      const m = /^(-?\d+) (-?\d+)$/.exec(arg);
      if (!m || Number(m[1]) >= Number(m[2]))
        return '`{{$randomInt min max}}` needs two integers with min < max (otherwise REST Client sends it unresolved and httpYac picks from 0–1000 or swaps them)';
    }
    return undefined;
  }
  if (expr.startsWith('%')) return '`{{%…}}` is not supported by the Konnect DCR runner';
  // a variable name, or a chain into a named request: name.response.body.$.a.b / name.response.headers.X / name.a.b[0]
  if (/^[A-Za-z_][\w-]*(?:(?:\.[\w$-]+)|(?:\[\d+\]))*$/.test(expr.replace(/\.\$\./, '.$.').replace(/\.\$$/, '.$')))
    return undefined;
  return `\`{{${expr}}}\` looks like a script expression: the Konnect DCR runner only substitutes variables (no JavaScript)`;
}

/** The request whose block contains `line` (0-based), if any. */
export function requestAt(file: ParsedFile, line: number): ParsedRequest | undefined {
  return file.requests.find((r) => line >= r.range.start && line <= r.range.end);
}
