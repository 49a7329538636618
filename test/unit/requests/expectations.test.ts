// Which requests of a .http file are tests (linked to an auth strategy) and how a run is judged: a success status,
// every token check passing, the strategy readable; a failure names what failed.
import * as assert from 'node:assert/strict';
import {
  hasExpectations,
  judge,
  requestLabel,
  requestsWithExpectations,
} from '../../../src/core/requests/expectations';
import { parseRequestFile } from '../../../src/core/requests/parser';
import type { RunResult, TokenReport } from '../../../src/core/requests/runner';
import type { TokenCheck } from '../../../src/core/requests/jwt';

const timings = { totalMs: 41.6 } as NonNullable<RunResult['response']>['timings'];
const result = (over: Partial<RunResult> = {}): RunResult => ({
  requestIndex: 0,
  line: 1,
  startedAt: 0,
  secrets: [],
  tokens: [],
  response: { status: 200, statusText: 'OK', headers: {}, body: '{}', bytes: 2, timings },
  ...over,
});
const check = (label: string, status: TokenCheck['status'], reason: string): TokenCheck => ({
  id: 'iss',
  label,
  status,
  reason,
});

describe('requests: expectations (the Testing view)', () => {
  it('a request is a test when it is linked to a strategy, by itself or by the file', () => {
    const linkedFile = parseRequestFile(
      '# @strategy orders\n\n### Token\n# @name token\nPOST https://idp/token\n\n### Call\nGET https://gw/x\n',
    );
    assert.deepEqual(requestsWithExpectations(linkedFile).map(requestLabel), ['token', 'Call']);
    const one = parseRequestFile('### a\nGET https://x/a\n\n### b\n# @strategy orders\nGET https://x/b\n');
    assert.deepEqual(
      one.requests.map((r) => hasExpectations(r)),
      [false, true],
    );
    const none = parseRequestFile('GET https://x/a\n');
    assert.deepEqual(requestsWithExpectations(none), []);
    assert.equal(requestLabel(none.requests[0]!), 'GET (line 1)');
  });

  it('passes a success whose token checks all pass, with the answer time', () => {
    const tokens: TokenReport[] = [
      { source: 'response.access_token', raw: 'x', checks: [check('iss', 'pass', 'ok'), check('exp', 'skip', '-')] },
    ];
    assert.deepEqual(judge(result({ tokens })), { outcome: 'passed', ms: 42 });
  });

  it('fails a refused request, naming the status and the explanation', () => {
    const v = judge(
      result({
        response: { status: 401, statusText: 'Unauthorized', headers: {}, body: '', bytes: 0, timings },
        explanation: { summary: 'The gateway refused the token: its issuer is not the strategy’s.', findings: [] },
      }),
    );
    assert.equal(v.outcome, 'failed');
    assert.equal(
      v.message,
      'Expected a success, got HTTP 401 Unauthorized: The gateway refused the token: its issuer is not the strategy’s.',
    );
  });

  it('fails a success whose token fails a check, naming the check and the token', () => {
    const tokens: TokenReport[] = [
      {
        source: 'request.bearer',
        raw: 'x',
        checks: [check('iss', 'pass', 'ok'), check('credential claim azp', 'fail', 'the token has no azp claim')],
      },
    ];
    const v = judge(result({ tokens, strategyError: 'No auth strategy named "nope"' }));
    assert.equal(v.outcome, 'failed');
    assert.equal(
      v.message,
      'The linked auth strategy could not be read: No auth strategy named "nope"\nToken check "credential claim azp" failed (Bearer token): the token has no azp claim',
    );
  });

  it('errors when nothing was answered (no expectation could be checked)', () => {
    const v = judge(result({ response: undefined, error: { kind: 'network', message: 'connect ECONNREFUSED' } }));
    assert.deepEqual(v, { outcome: 'errored', message: 'Not answered: connect ECONNREFUSED', ms: undefined });
  });
});
