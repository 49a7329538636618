// The forms protocol: what the host accepts from a webview, and what it refuses.
import * as assert from 'node:assert/strict';
import { FormMethods } from '../../../src/shared/forms/methods';
import { emptyProviderValues, emptyStrategyValues } from '../../../src/core/forms/payload';
import { FormsInbound } from '../../../src/shared/forms/protocol';

const submit = (params: unknown, id: unknown = 1): unknown => ({
  type: 'request',
  id,
  method: FormMethods.submit,
  params,
});

describe('forms protocol (zod at the webview boundary)', () => {
  it('accepts ready, submit (provider and strategy), cancel, reloadOptions and log', () => {
    for (const m of [
      { type: 'ready', view: 'forms' },
      submit({ kind: 'provider', values: emptyProviderValues() }),
      submit({ kind: 'strategy', values: emptyStrategyValues() }),
      { type: 'command', method: FormMethods.cancel, params: {} },
      { type: 'command', method: FormMethods.reloadOptions, params: {} },
      { type: 'command', method: FormMethods.log, params: { level: 'warn', message: 'CSP violation: style-src' } },
    ]) {
      const r = FormsInbound.safeParse(m);
      assert.ok(r.success, `${JSON.stringify(m)}: ${r.success ? '' : JSON.stringify(r.error.issues)}`);
    }
  });

  it('refuses unknown methods, unknown types, extra keys and wrong value types', () => {
    const bad: [string, unknown][] = [
      ['unknown method', { type: 'command', method: 'forms/delete', params: {} }],
      ['unknown envelope', { type: 'notification', method: FormMethods.init, params: {} }],
      [
        'no id',
        { type: 'request', method: FormMethods.submit, params: { kind: 'provider', values: emptyProviderValues() } },
      ],
      ['negative id', submit({ kind: 'provider', values: emptyProviderValues() }, -1)],
      ['unknown kind', submit({ kind: 'portal', values: {} })],
      [
        'unknown provider type',
        submit({ kind: 'provider', values: { ...emptyProviderValues(), providerType: 'keycloak' } }),
      ],
      ['extra value key', submit({ kind: 'provider', values: { ...emptyProviderValues(), secret2: 'x' } })],
      [
        'boolean as string',
        submit({ kind: 'provider', values: { ...emptyProviderValues(), disableEventHooks: 'true' } }),
      ],
      ['huge text', submit({ kind: 'provider', values: { ...emptyProviderValues(), name: 'x'.repeat(5000) } })],
      ['strategy values as provider', submit({ kind: 'provider', values: emptyStrategyValues() })],
      [
        'auth methods not a list',
        submit({ kind: 'strategy', values: { ...emptyStrategyValues(), authMethods: 'bearer' } }),
      ],
      ['not an object', 'ready'],
      ['ready without view', { type: 'ready' }],
    ];
    for (const [what, m] of bad) assert.ok(!FormsInbound.safeParse(m).success, `${what} was accepted`);
  });
});
