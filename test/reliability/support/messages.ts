/** What "a clear message" means in the reliability suites, as one assertion. */
import * as assert from 'node:assert/strict';

/**
 * The message a user would see: non-empty, plain words, short, no stack frame, no leaked internals
 * (`TypeError`, `[object Object]`, `undefined`), and it names what failed (each of `mentions`).
 */
export function assertPlainMessage(message: unknown, ...mentions: (string | RegExp)[]): string {
  assert.equal(typeof message, 'string', `the message is a string (got ${typeof message})`);
  const m = message as string;
  assert.ok(m.trim().length >= 10, `the message says something: "${m}"`);
  assert.ok(m.length <= 600, `the message is short (${m.length} chars): "${m.slice(0, 200)}…"`);
  assert.ok(!/\n\s+at\s/.test(m) && !/\bat .+:\d+:\d+\)?/.test(m), `no stack frame in "${m}"`);
  assert.ok(
    !/\b(?:TypeError|ReferenceError|SyntaxError|RangeError)\b|Cannot read propert|is not a function|\[object Object\]|\bundefined\b|\bNaN\b/.test(
      m,
    ),
    `no internals in "${m}"`,
  );
  for (const x of mentions) {
    if (typeof x === 'string') assert.ok(m.includes(x), `the message names "${x}": "${m}"`);
    else assert.match(m, x, `the message names what failed: "${m}"`);
  }
  return m;
}

/** Resolves with the time (ms) `p` took to settle after `since` (a performance.now() value), and its outcome. */
export async function settleTime<T>(
  p: Promise<T>,
  since: () => number,
): Promise<{ ms: number; value?: T; error?: unknown }> {
  try {
    const value = await p;
    return { ms: performance.now() - since(), value };
  } catch (error) {
    return { ms: performance.now() - since(), error };
  }
}
