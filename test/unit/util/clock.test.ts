import * as assert from 'node:assert/strict';
import { systemClock } from '../../../src/core/util/clock';
import { abortError, isAbortError, linkAbort } from '../../../src/core/util/abort';
import { rejectionOf } from '../../support/waitFor';

describe('util: clock and abort helpers', () => {
  it('systemClock.sleep waits, and an abort ends it at once with an AbortError', async () => {
    const t0 = Date.now();
    await systemClock.sleep(20);
    assert.ok(Date.now() - t0 >= 15);
    const ctrl = new AbortController();
    const pending = rejectionOf(systemClock.sleep(60_000, ctrl.signal));
    ctrl.abort();
    const err = await pending;
    assert.ok(isAbortError(err), String(err));
    assert.ok(isAbortError(await rejectionOf(systemClock.sleep(10, AbortSignal.abort()))));
  });

  it('linkAbort follows its parents and lets go of them on dispose', () => {
    const parent = new AbortController();
    const link = linkAbort(parent.signal, undefined);
    parent.abort('why');
    assert.equal(link.signal.aborted, true);
    assert.equal(link.signal.reason, 'why');
    const p2 = new AbortController();
    const l2 = linkAbort(p2.signal);
    l2.dispose();
    p2.abort();
    assert.equal(l2.signal.aborted, false);
    assert.equal(linkAbort(AbortSignal.abort()).signal.aborted, true);
  });

  it('abortError is named AbortError and keeps the reason as its cause', () => {
    const e = abortError('user');
    assert.equal(e.name, 'AbortError');
    assert.equal(e.cause, 'user');
    assert.equal(abortError(e), e);
  });
});
