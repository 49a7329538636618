/**
 * Runs requests of a parsed file: resolves variables (running named requests a chain needs first), sends through
 * the executor, decodes the tokens it sees (an `access_token` in the answer, a Bearer token in the request), checks
 * them against the linked strategy, and explains a 401/403 or a token endpoint's OAuth error.
 *
 * One `RunSession` per document keeps the named responses, so `{{token.response.body.access_token}}` uses the
 * last token run (or runs the token request first if there is none yet).
 */
import type { Logger } from '../util/logger';
import type { Redactor } from '../util/redact';
import type { ExecutedResponse, OutgoingRequest, RequestExecutor } from './executor';
import type { TokenEndpoint } from '../oidc/discovery';
import type { ProviderType } from '../model/dcrProvider';
import { clientAuthOf, explain, type Explanation } from './explain';
import { bearerOf, checkToken, decodeJwt, type DecodedJwt, type StrategyView, type TokenCheck } from './jwt';
import { VARIABLE_PATTERN, type ParsedFile, type ParsedRequest } from './parser';
import {
  RequestResolver,
  VariableError,
  bodyParam,
  requestedScopes,
  type NamedResponse,
  type VariableSources,
} from './variables';

export interface TokenReport {
  /** Where it was seen. */
  readonly source: 'response.access_token' | 'response.id_token' | 'request.bearer';
  readonly raw: string;
  /** undefined: not a JWT (opaque). */
  readonly decoded?: DecodedJwt | undefined;
  /** Checks against the strategy (access tokens only, when a strategy is linked). */
  readonly checks?: readonly TokenCheck[] | undefined;
}

export interface RunResult {
  readonly requestIndex: number;
  readonly name?: string | undefined;
  readonly line: number;
  readonly startedAt: number;
  /** What was sent (NOT redacted: keep in memory only; redact before showing, logging or storing). */
  readonly sent?: OutgoingRequest | undefined;
  /** Values to mask wherever this run is shown. */
  readonly secrets: readonly string[];
  readonly response?: ExecutedResponse | undefined;
  /** Why nothing (or no complete answer) came back. */
  readonly error?: { readonly message: string; readonly kind: string } | undefined;
  readonly tokens: readonly TokenReport[];
  readonly strategy?: StrategyView | undefined;
  /** Why the linked strategy could not be loaded. */
  readonly strategyError?: string | undefined;
  readonly explanation?: Explanation | undefined;
}

export interface RunnerDeps {
  readonly executor: RequestExecutor;
  /** The strategy a `# @strategy` names (by id or name); undefined when there is none. */
  readonly resolveStrategy?: ((ref: string, signal: AbortSignal) => Promise<StrategyView | undefined>) | undefined;
  /** Wall clock, ms since the epoch. */
  readonly now: () => number;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly formatTime?: ((ms: number) => string) | undefined;
  /** Checks a token's signature against the strategy issuer's keys (optional: without it, signatures are not checked). */
  readonly verifySignature?:
    ((raw: string, jwt: DecodedJwt, issuer: string, signal: AbortSignal) => Promise<TokenCheck>) | undefined;
  /**
   * The linked strategy issuer's token endpoint (discovery, e.g. `findTokenEndpoint`): asked for only to explain a
   * refusal, so that a request to it is known as the token request whatever its path. Optional.
   */
  readonly findTokenEndpoint?:
    ((issuer: string, type: ProviderType | undefined, signal: AbortSignal) => Promise<TokenEndpoint>) | undefined;
}

/** Per document: the parsed file, the variable sources, and the named responses so far. */
export class RunSession {
  readonly responses = new Map<string, NamedResponse>();
  /** Scopes asked for by the request that produced each token (to check a chained Bearer token). */
  readonly tokenScopes = new Map<string, readonly string[]>();
  /** The last tokens decoded: a chained Bearer token is the access_token of the answer decoded just before. */
  private readonly decodedTokens = new Map<string, DecodedJwt | undefined>();
  constructor(
    public file: ParsedFile,
    public sources: Omit<VariableSources, 'response'>,
  ) {}

  /** `decodeJwt(raw)`, once per token while it is among the last few this session saw. */
  decode(raw: string): DecodedJwt | undefined {
    if (this.decodedTokens.has(raw)) return this.decodedTokens.get(raw);
    const decoded = decodeJwt(raw);
    this.decodedTokens.set(raw, decoded);
    if (this.decodedTokens.size > DECODED_TOKENS_KEPT)
      this.decodedTokens.delete(this.decodedTokens.keys().next().value!);
    return decoded;
  }
}

const DECODED_TOKENS_KEPT = 8;

export class RequestRunner {
  constructor(private readonly deps: RunnerDeps) {}

  /** Run request `index` of the session's file. Never rejects except for cancellation (`AbortError`). */
  async run(
    session: RunSession,
    index: number,
    signal: AbortSignal,
    stack: readonly number[] = [],
  ): Promise<RunResult> {
    const req = session.file.requests[index];
    if (!req) throw new RangeError(`no request ${index}`);
    const startedAt = this.deps.now();
    const base = { requestIndex: index, name: req.name, line: req.requestLine, startedAt };
    if (req.blocking.length) {
      return {
        ...base,
        secrets: [],
        tokens: [],
        error: { kind: 'syntax', message: req.blocking.map((d) => `line ${d.line + 1}: ${d.message}`).join('\n') },
      };
    }

    const strategyP = this.strategy(req, signal);
    let resolved;
    const resolver = new RequestResolver(session.file, {
      ...session.sources,
      response: async (name, sig) => {
        const have = session.responses.get(name);
        if (have) return have;
        const dep = session.file.requests.find((r) => r.name === name);
        if (!dep) throw new VariableError('chain', `No request is named "${name}"`, name);
        if (stack.includes(dep.index) || dep.index === index)
          throw new VariableError(
            'cycle',
            `Requests "${name}" and "${req.name ?? `#${index + 1}`}" need each other's responses`,
            name,
          );
        this.deps.logger.debug(`running "${name}" first (its response is used by request ${index + 1})`);
        const r = await this.run(session, dep.index, sig, [...stack, index]);
        const got = session.responses.get(name);
        if (!got)
          throw new VariableError(
            'chain',
            `Request "${name}" (needed first) failed: ${r.error?.message ?? `HTTP ${r.response?.status ?? '?'}`}`,
            name,
          );
        return got;
      },
    });
    try {
      resolved = await resolver.resolve(req, signal);
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      return {
        ...base,
        secrets: [],
        tokens: [],
        error: {
          kind: err instanceof VariableError ? `variable.${err.code}` : 'variable',
          message: err instanceof Error ? err.message : String(err),
        },
      };
    }
    for (const s of resolved.secrets) this.deps.redactor.add(s);
    const badUrl = urlProblem(resolved.url);
    if (badUrl)
      return {
        ...base,
        secrets: resolved.secrets,
        tokens: [],
        error: { kind: 'invalid-url', message: this.deps.redactor.redact(badUrl) },
      };
    const sent: OutgoingRequest = {
      method: resolved.method,
      url: resolved.url,
      headers: resolved.headers,
      body: resolved.body,
    };
    const contentType = resolved.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    const asked = requestedScopes(resolved.body, contentType);

    let response: ExecutedResponse | undefined;
    let error: RunResult['error'];
    try {
      response = await this.deps.executor.execute(sent, signal);
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      error = {
        kind: (err as { kind?: string }).kind ?? 'network',
        message: err instanceof Error ? err.message : String(err),
      };
    }
    const { strategy, strategyError } = await strategyP;

    const tokens: TokenReport[] = [];
    const check = async (
      raw: string,
      decoded: DecodedJwt | undefined,
      scopes: readonly string[] | undefined,
    ): Promise<readonly TokenCheck[] | undefined> => {
      if (!decoded || !strategy) return undefined;
      const checks = checkToken(decoded, strategy, {
        now: this.deps.now(),
        requestedScopes: scopes,
        formatTime: this.deps.formatTime,
      });
      if (!this.deps.verifySignature) return checks;
      const sig = await this.deps.verifySignature(raw, decoded, strategy.issuer, signal);
      return [checks[0]!, sig, ...checks.slice(1)];
    };
    const bearer = bearerOf(resolved.headers);
    if (bearer) {
      const decoded = session.decode(bearer);
      this.deps.redactor.add(bearer);
      tokens.push({
        source: 'request.bearer',
        raw: bearer,
        decoded,
        checks: decoded && strategy ? await check(bearer, decoded, session.tokenScopes.get(bearer)) : undefined,
      });
    }
    if (response) {
      const json = parseJson(response.body);
      // the parsed body goes along, so that a chain into it does not parse it again
      if (req.name)
        session.responses.set(req.name, {
          status: response.status,
          headers: response.headers,
          body: response.body,
          json,
        });
      for (const key of ['access_token', 'id_token'] as const) {
        const raw = json?.[key];
        if (typeof raw !== 'string' || !raw) continue;
        this.deps.redactor.add(raw);
        const decoded = session.decode(raw);
        if (key === 'access_token') session.tokenScopes.set(raw, asked);
        tokens.push({
          source: `response.${key}`,
          raw,
          decoded,
          checks: key === 'access_token' && decoded && strategy ? await check(raw, decoded, asked) : undefined,
        });
      }
    }

    let explanation: Explanation | undefined;
    if (response && response.status >= 400) {
      const params: Record<string, string> = {};
      for (const k of ['grant_type', 'scope', 'audience', 'client_id', 'resource']) {
        const v = bodyParam(resolved.body, contentType, k);
        if (v !== undefined) params[k] = v;
      }
      const endpoint = strategy ? await this.tokenEndpoint(strategy, signal) : undefined;
      // what the runner knows makes it the token request, not its path or the answer's shape
      const tokenRequest =
        params['grant_type'] !== undefined ||
        chainsTokenFrom(session.file, req) ||
        (endpoint !== undefined && sameEndpoint(endpoint.url, sent.url))
          ? true
          : undefined;
      if (
        tokenRequest ||
        response.status === 401 ||
        response.status === 403 ||
        parseJson(response.body)?.['error'] !== undefined
      ) {
        const sentToken = tokens.find((t) => t.source === 'request.bearer');
        explanation = explain({
          signature: sentToken?.checks?.find((c) => c.id === 'signature'),
          request: {
            method: sent.method,
            url: sent.url,
            headers: sent.headers,
            params,
            tokenRequest,
            clientAuth: clientAuthOf(
              sent.headers,
              bodyParam(resolved.body, contentType, 'client_secret') !== undefined,
            ),
            tokenEndpointAuthMethods: endpoint?.authMethods,
          },
          response: { status: response.status, headers: response.headers, body: response.body },
          sentToken: sentToken?.decoded,
          sentTokenRaw: sentToken?.raw,
          strategy,
          requestedScopes: sentToken ? session.tokenScopes.get(sentToken.raw) : asked,
          now: this.deps.now(),
          formatTime: this.deps.formatTime,
        });
      }
    }
    return { ...base, sent, secrets: resolved.secrets, response, error, tokens, strategy, strategyError, explanation };
  }

  private readonly strategyCache = new Map<string, { at: number; value: Promise<StrategyView | undefined> }>();

  private async strategy(
    req: ParsedRequest,
    signal: AbortSignal,
  ): Promise<{ strategy?: StrategyView | undefined; strategyError?: string | undefined }> {
    const ref = req.strategy;
    if (!ref || !this.deps.resolveStrategy) return {};
    try {
      const cached = this.strategyCache.get(ref);
      let p = cached && this.deps.now() - cached.at < 30_000 ? cached.value : undefined;
      if (!p) {
        p = this.deps.resolveStrategy(ref, signal);
        this.strategyCache.set(ref, { at: this.deps.now(), value: p });
        p.catch(() => this.strategyCache.delete(ref));
      }
      const s = await p;
      return s
        ? { strategy: s }
        : { strategyError: `No openid_connect auth strategy "${ref}" was found in the active Konnect connection` };
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      return {
        strategyError: `The auth strategy "${ref}" could not be loaded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      };
    }
  }

  /** Forget cached strategies (after a connection or strategy change). */
  forgetStrategies(): void {
    this.strategyCache.clear();
    this.endpointCache.clear();
  }

  private readonly endpointCache = new Map<string, Promise<TokenEndpoint | undefined>>();

  /** The strategy issuer's token endpoint, once per issuer until `forgetStrategies`; undefined when it cannot be found. */
  private async tokenEndpoint(strategy: StrategyView, signal: AbortSignal): Promise<TokenEndpoint | undefined> {
    const find = this.deps.findTokenEndpoint;
    if (!find) return undefined;
    let p = this.endpointCache.get(strategy.issuer);
    if (!p) {
      p = find(strategy.issuer, strategy.providerType, signal).catch((err: unknown) => {
        this.endpointCache.delete(strategy.issuer);
        if (isAbort(err, signal)) throw err;
        this.deps.logger.debug(
          `the token endpoint of ${strategy.issuer} could not be found: ${err instanceof Error ? err.message : String(err)}`,
        );
        return undefined;
      });
      this.endpointCache.set(strategy.issuer, p);
    }
    return p;
  }
}

/**
 * Do other requests of the file (or its variables) take an access_token from `req`'s answer
 * (`{{token.response.body.access_token}}`, `{{token.response.body.$.access_token}}`, httpYac's `{{token.access_token}}`)?
 */
export function chainsTokenFrom(file: ParsedFile, req: ParsedRequest): boolean {
  const name = req.name;
  if (!name) return false;
  const uses = (text: string | undefined): boolean => {
    if (!text?.includes('{{')) return false;
    for (const m of text.matchAll(VARIABLE_PATTERN)) {
      const parts = m[1]!.trim().split('.');
      if (parts[0] === name && parts[parts.length - 1] === 'access_token') return true;
    }
    return false;
  };
  return (
    file.variables.some((v) => uses(v.value)) ||
    file.requests.some(
      (r) => r.index !== req.index && (uses(r.url) || uses(r.body) || r.headers.some((h) => uses(h.value))),
    )
  );
}

/** The same endpoint: scheme, host, port and path (no trailing slash), whatever the query. */
function sameEndpoint(a: string, b: string): boolean {
  const key = (u: string): string | undefined => {
    try {
      const x = new URL(u);
      return `${x.protocol}//${x.host}${x.pathname.replace(/\/+$/, '')}`;
    } catch {
      return undefined;
    }
  };
  const ka = key(a);
  return ka !== undefined && ka === key(b);
}

/** Why a resolved URL cannot be sent (named in the message), or undefined. */
export function urlProblem(url: string): string | undefined {
  let u: URL;
  if (url.startsWith('/'))
    return `Cannot send "${url}": a URL that is only a path needs a Host header or a host variable (e.g. @host = https://api.example.com)`;
  try {
    u = new URL(url);
  } catch {
    return `Cannot send: "${url}" is not a valid URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return `Cannot send "${url}": only http and https URLs can be sent`;
  return undefined;
}

function parseJson(body: string): Record<string, unknown> | undefined {
  if (!body || !/^\s*\{/.test(body)) return undefined;
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof Error && err.name === 'AbortError');
}

/** "6/6 passed" style summary of a run's access-token checks (undefined when nothing was checked). */
export function checkSummary(r: RunResult): string | undefined {
  const checks = r.tokens.flatMap((t) => t.checks ?? []).filter((c) => c.status !== 'skip');
  if (!checks.length) return undefined;
  const failed = checks.filter((c) => c.status === 'fail').length;
  return failed
    ? `${failed} of ${checks.length} token checks failed`
    : `${checks.length}/${checks.length} token checks passed`;
}
