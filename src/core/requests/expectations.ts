/**
 * What the runner expects of a request, and whether a run met it: what the Testing view shows for a `.http` request.
 *
 * The runner does not run written assertions: httpYac's `?? status == 200` lines are refused (REST Client sends them as
 * part of the URL or the body, so a file that has them does not mean the same in both tools). What it does check is
 * the DCR result itself, for a request linked to an auth strategy (`# @strategy` on the request or the file): the
 * answer is a success (2xx or 3xx), every token it sees (the access token of a token endpoint's answer, the Bearer
 * token a gateway call sends) passes its checks against the strategy, and the strategy could be read. Those are the
 * request's expectations; a request without a linked strategy has none and is not a test.
 */
import type { ParsedFile, ParsedRequest } from './parser';
import type { RunResult } from './runner';

/** A request is a test when it can be sent and it is linked to an auth strategy. */
export function hasExpectations(req: ParsedRequest): boolean {
  return !!req.method && !!req.strategy;
}

export function requestsWithExpectations(file: ParsedFile): ParsedRequest[] {
  return file.requests.filter(hasExpectations);
}

/** How the Testing view names a request: its `# @name` or `###` title, else its method and line. */
export function requestLabel(req: ParsedRequest): string {
  return req.name ?? req.title ?? `${req.method} (line ${req.requestLine + 1})`;
}

export interface Verdict {
  readonly outcome: 'passed' | 'failed' | 'errored';
  /** For a failure: which expectation failed and why (may quote the server: redact before showing). */
  readonly message?: string | undefined;
  /** The answer's total time, else undefined (the caller measures the run). */
  readonly ms?: number | undefined;
}

/**
 * Judges one run. `errored`: the request could not be sent or answered (a problem in the file, a variable, the
 * network), so no expectation could be checked; `failed`: an answer came and an expectation does not hold.
 */
export function judge(result: RunResult): Verdict {
  const ms = result.response ? Math.round(result.response.timings.totalMs) : undefined;
  if (!result.response)
    return { outcome: 'errored', message: `Not answered: ${result.error?.message ?? 'the request failed'}`, ms };
  const failures: string[] = [];
  const res = result.response;
  if (res.status >= 400) {
    const why = result.explanation ? `: ${result.explanation.summary}` : '';
    failures.push(`Expected a success, got HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${why}`);
  }
  if (result.strategyError) failures.push(`The linked auth strategy could not be read: ${result.strategyError}`);
  for (const t of result.tokens) {
    const where = t.source === 'request.bearer' ? 'Bearer token' : t.source.slice('response.'.length);
    for (const c of t.checks ?? [])
      if (c.status === 'fail') failures.push(`Token check "${c.label}" failed (${where}): ${c.reason}`);
  }
  return failures.length ? { outcome: 'failed', message: failures.join('\n'), ms } : { outcome: 'passed', ms };
}
