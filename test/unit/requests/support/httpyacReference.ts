/**
 * httpYac (the npm package, a devDependency) as the reference reader of `.http` files for the differential test:
 * what httpYac itself would put on the wire for each request of a file, found without any network.
 *
 * - The file is parsed by httpYac's own `HttpFileStore`, then every request region is sent with httpYac's `send()`,
 *   one after the other in file order (so a named request's response is there for the ones after it, as when a user
 *   sends them in order), through a request client that records the request instead of sending it and answers with
 *   one canned response.
 * - Nothing from the corpus runs as code. A region that holds a script or an assertion (`{{ … }}` blocks,
 *   `> {% … %}`, `?? status == 200`: httpYac's symbol kind "script") is not sent by the reference, nor is any region
 *   of a file whose global part holds one (it runs around every request), nor a region that pulls in others
 *   (`@ref`, `@forceRef`, `@import`) in a file with scripts. Variable expressions go through httpYac's own JavaScript
 *   provider only when they are pure property paths (`login.id`, `loginResponse.headers['x-a']`, which is how httpYac
 *   spells a chained value); any other expression fails. OAuth2 and other exchanges httpYac would make itself fail,
 *   and so does every prompt but `# @note`'s confirmation, which is answered yes. Nothing is written to disk.
 * - Only HTTP regions are sent (httpYac's gRPC / WebSocket / MQTT / AMQP / SSE clients would connect for real), and
 *   not the ones whose metadata makes httpYac wait or repeat (`@sleep`, `@ratelimit`, `@loop`, `@keepStreaming`).
 */
import * as httpyac from 'httpyac';

export interface CannedResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ReferenceRequest {
  /** 0-based lines of the region (as httpYac's symbol has them) and of its request line. */
  readonly start: number;
  readonly end: number;
  readonly requestLine: number;
  readonly protocol: string;
  /** `metaData.name`: `# @name`, else the `###` title (httpYac names a request after its title). */
  readonly name?: string | undefined;
  /** What httpYac sent, or why it did not. */
  readonly sent?:
    { method: string; url: string; headers: Record<string, string | string[]>; body?: string | undefined } | undefined;
  readonly notSent?: string | undefined;
}

/** An expression that only reads properties: `a`, `a.b`, `a['x-y']`, `a[0]`. Anything else is not evaluated. */
const PURE_PATH = /^\s*[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\['[^'\\]*'\])*\s*$/;

let installed = false;
let current: ((request: httpyac.Request, context: httpyac.ProcessorContext) => Promise<CannedResponse>) | undefined;

function install(): void {
  if (installed) return;
  installed = true;
  httpyac.cli.initFileProvider();
  httpyac.io.log.options.level = 1000 as httpyac.LogLevel; // LogLevel.none (a const enum)
  const js = httpyac.io.javascriptProvider;
  const evalExpression = js.evalExpression.bind(js);
  js.evalExpression = async (expression, context) => {
    if (!PURE_PATH.test(expression)) throw new Error(`not evaluated in the differential test: ${expression}`);
    return evalExpression(expression, context);
  };
  httpyac.io.httpClientProvider.exchange = async () => {
    throw new Error('no exchange in the differential test');
  };
  // no file is written (`>> file` output redirection, `@save`): httpYac would write the canned response next to the corpus
  httpyac.io.fileProvider.writeBuffer = async () => undefined;
  // `# @note` asks "send it?": the user says yes (any other prompt fails: a value nobody typed)
  httpyac.io.userInteractionProvider.showNote = async () => true;

  class RecordingClient extends httpyac.AbstractRequestClient<undefined> {
    readonly supportsStreaming = false;
    readonly reportMessage = 'recorded, not sent';
    readonly nativeClient = undefined;
    constructor(
      private readonly request: httpyac.Request,
      private readonly context: httpyac.ProcessorContext,
    ) {
      super();
    }
    async connect(): Promise<undefined> {
      return undefined;
    }
    disconnect(): void {
      /* nothing open */
    }
    async send(body?: unknown): Promise<void> {
      if (!current) throw new Error('no recorder');
      if (body !== undefined) this.request.body = body as NonNullable<httpyac.Request['body']>;
      const canned = await current(this.request, this.context);
      const raw = Buffer.from(canned.body);
      this.onMessage('message', {
        protocol: 'HTTP',
        httpVersion: '1.1',
        statusCode: canned.status,
        headers: { ...canned.headers },
        body: canned.body,
        rawBody: raw,
        contentType: {
          mimeType: (canned.headers['content-type'] ?? 'text/plain').split(';')[0]!.trim(),
          contentType: canned.headers['content-type'] ?? 'text/plain',
        },
      });
    }
  }
  httpyac.io.httpClientProvider.createRequestClient = (request, context) => new RecordingClient(request, context);
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return v.map((x) => text(x) ?? '').join('');
  return JSON.stringify(v);
}

/**
 * httpYac's reading of `content` (as if it were the file `fileName`): its request regions, in order, and what it
 * sent for each. `variables` are given to every send (as an environment would be).
 */
export async function httpyacRequests(
  fileName: string,
  workingDir: string,
  content: string,
  variables: Record<string, string>,
  respond: (region: { name?: string | undefined; requestLine: number }) => CannedResponse,
): Promise<ReferenceRequest[]> {
  install();
  const store = new httpyac.store.HttpFileStore();
  const file = await store.parse(fileName, content, {
    workingDir,
    config: { cookieJarEnabled: false, log: { level: 1000 as httpyac.LogLevel } },
  });
  const out: ReferenceRequest[] = [];
  const hasScript = (sym: httpyac.HttpSymbol): boolean =>
    sym.kind === httpyac.HttpSymbolKind.script || (sym.children ?? []).some(hasScript);
  const scripts = file.httpRegions.some((r) => hasScript(r.symbol));
  const globalScript = file.httpRegions.some((r) => r.isGlobal() && hasScript(r.symbol));
  const globalImport = file.httpRegions.some((r) => r.isGlobal() && r.metaData['import'] !== undefined);
  for (const region of file.httpRegions) {
    if (!region.request) continue;
    const requestLine =
      region.symbol.children?.find((s) => s.kind === httpyac.HttpSymbolKind.requestLine)?.startLine ??
      region.symbol.startLine;
    const name = typeof region.metaData['name'] === 'string' ? region.metaData['name'] : undefined;
    const base = {
      start: region.symbol.startLine,
      end: region.symbol.endLine,
      requestLine,
      protocol: region.request.protocol ?? 'HTTP',
      name,
    };
    const skip =
      base.protocol !== 'HTTP'
        ? `${base.protocol} requests are not sent by the reference`
        : hasScript(region.symbol)
          ? 'it holds a script or an assertion, which the reference does not run'
          : globalScript
            ? 'the file has a global script, which the reference does not run'
            : scripts && (globalImport || ['ref', 'forceRef', 'import'].some((k) => region.metaData[k] !== undefined))
              ? 'it pulls in other regions of a file with scripts'
              : ['sleep', 'ratelimit', 'loop', 'keepStreaming'].find((k) => region.metaData[k] !== undefined);
    if (skip) {
      out.push({ ...base, notSent: skip.includes(' ') ? skip : `@${skip} is not run by the reference` });
      continue;
    }
    let sent: ReferenceRequest['sent'];
    current = async (request) => {
      sent = {
        method: request.method ?? 'GET',
        url: request.url,
        headers: Object.fromEntries(
          Object.entries(request.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]),
        ),
        body: text(request.body),
      };
      return respond({ name, requestLine });
    };
    let error: string | undefined;
    // httpYac logs to the console itself (and `@verbose` / `@debug` regions turn that up): quiet during its sends
    const quiet = (['log', 'info', 'debug', 'trace', 'warn'] as const).map((k) => [k, console[k]] as const);
    for (const [k] of quiet) console[k] = () => undefined;
    try {
      const ok = await httpyac.send({
        httpFile: file,
        httpRegion: region,
        variables: { ...variables },
        config: { cookieJarEnabled: false, log: { level: 1000 as httpyac.LogLevel } },
      });
      if (!ok && !sent) error = 'httpYac did not send it (a variable, script or metadata it could not process)';
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      current = undefined;
      for (const [k, f] of quiet) console[k] = f;
    }
    out.push(sent ? { ...base, sent } : { ...base, notSent: error ?? 'not sent' });
  }
  return out;
}
