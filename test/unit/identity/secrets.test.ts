// The rotation rule for Kong Identity client secrets: at most two active per client; the oldest active one is the
// one to disable first; disabling the only active one is flagged.
import * as assert from 'node:assert/strict';
import {
  MAX_ACTIVE_SECRETS,
  activeSecrets,
  checkOneMoreActive,
  isLastActive,
} from '../../../src/core/identity/secrets';

const s = (id: string, enabled: boolean, created_at: string) => ({ id, enabled, created_at });

describe('Kong Identity client secrets: at most two active', () => {
  const old = s('a', true, '2026-01-01T00:00:00Z');
  const newer = s('b', true, '2026-02-01T00:00:00.5Z');
  const off = s('c', false, '2025-12-01T00:00:00Z');

  it('allows a new secret while fewer than two are active', () => {
    assert.equal(MAX_ACTIVE_SECRETS, 2);
    assert.deepEqual(checkOneMoreActive([]), { ok: true });
    assert.deepEqual(checkOneMoreActive([old, off]), { ok: true });
  });

  it('refuses a third active one and names the oldest active secret (not the older disabled one)', () => {
    // listed newest first, as a list answer may be: the oldest is found by created_at
    assert.deepEqual(checkOneMoreActive([newer, off, old]), { ok: false, oldest: old, active: 2 });
    assert.deepEqual(checkOneMoreActive([newer, old], 'c'), { ok: false, oldest: old, active: 2 });
  });

  it('enabling a secret that is already active is no third one', () => {
    assert.deepEqual(checkOneMoreActive([old, newer], 'b'), { ok: true });
  });

  it('orders active secrets oldest first, ties by id', () => {
    const tie = s('0', true, old.created_at);
    assert.deepEqual(
      activeSecrets([newer, off, old, tie]).map((x) => x.id),
      ['0', 'a', 'b'],
    );
  });

  it('flags disabling the last active secret only', () => {
    assert.equal(isLastActive([old, off], 'a'), true);
    assert.equal(isLastActive([old, newer], 'a'), false);
    assert.equal(isLastActive([old, off], 'c'), false);
  });
});
