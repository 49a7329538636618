// The report → view model mapping (nothing secret crosses into the webview; pending and running steps) and the
// Kong Identity seed plan runner over a fake client (order, reuse of existing parts, the bodies it sends).
import * as assert from 'node:assert/strict';
import {
  changedFields,
  checkIdentityName,
  runKongIdentitySetup,
  suggestAudience,
} from '../../../src/core/identity/setup';
import type { ProveReport } from '../../../src/core/prove/types';
import { toViewModel } from '../../../src/ui/prove/view';
import { ProveCommandSchema, ProveViewModelSchema } from '../../../src/shared/prove/protocol';

const never = new AbortController().signal;

function report(over: Partial<ProveReport> = {}): ProveReport {
  return {
    mode: 'developer',
    strategy: { id: 's1', name: 'orders', issuer: 'https://idp' },
    provider: { id: 'p1', name: 'okta-prod', type: 'okta' },
    publication: {
      apiId: 'a1',
      apiName: 'Orders',
      portalId: 'po1',
      portalName: 'Dev',
      portalUrl: 'https://dev.example.com',
    },
    startedAt: Date.UTC(2026, 0, 1),
    ms: 1234,
    steps: [],
    verdict: 'running',
    cancelled: false,
    application: { id: 'app', name: 'kdcr-prove-x', clientId: 'cid-1', clientSecret: 'very-secret-value', kept: false },
    accessToken: 'eyJ.secret.token',
    token: {
      header: { alg: 'RS256' },
      payload: { iss: 'https://idp', exp: 1_767_229_200 },
      checks: [{ id: 'iss', label: 'iss', status: 'pass', reason: 'ok' }],
      requestedScopes: ['api:read'],
    },
    ...over,
  };
}

describe('prove: the view model', () => {
  it('lists all seven steps (done, running, waiting), formats times, and carries no secret', () => {
    const m = toViewModel(
      report({
        current: 'publication',
        steps: [{ id: 'verify', title: 'DCR provider verifies', status: 'pass', ms: 12, detail: 'ok' }],
      }),
      7,
      () => 'T',
    );
    assert.deepEqual(
      m.steps.map((s) => s.status),
      ['pass', 'running', 'pending', 'pending', 'pending', 'pending', 'pending'],
    );
    assert.deepEqual(
      m.steps.map((s) => s.index),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(m.at, 'T');
    assert.equal(m.token?.expires, 'T');
    assert.deepEqual(m.provider, { name: 'okta-prod', type: 'okta', typeLabel: 'Okta' });
    const text = JSON.stringify(m);
    assert.ok(
      !text.includes('very-secret-value') && !text.includes('eyJ.secret.token'),
      'no client secret, no raw token',
    );
    assert.ok(ProveViewModelSchema.safeParse(m).success, 'matches the shared schema');
  });

  it('names the first failed step', () => {
    const m = toViewModel(report({ verdict: 'fail', failedStep: 'token', steps: [] }), 1);
    assert.deepEqual(m.failed, { index: 4, title: 'Token from the identity provider' });
  });

  it('accepts only the known commands from the page', () => {
    assert.ok(ProveCommandSchema.safeParse({ type: 'command', method: 'prove/openHttp', params: {} }).success);
    assert.ok(!ProveCommandSchema.safeParse({ type: 'command', method: 'prove/deleteEverything', params: {} }).success);
    assert.ok(
      !ProveCommandSchema.safeParse({ type: 'command', method: 'prove/rerun', params: { strategy: 'x' } }).success,
    );
  });
});

describe('identity: the seed plan', () => {
  it('names: no spaces, no reserved claims; PATCH bodies carry only what changed; audiences suggested', () => {
    assert.equal(checkIdentityName('scope', 'orders:read'), undefined);
    assert.match(checkIdentityName('scope', 'orders read') ?? '', /no spaces/);
    assert.match(checkIdentityName('claim', 'iss') ?? '', /set by the auth server/);
    assert.deepEqual(
      changedFields<{ name: string; audience: string; description?: string | undefined }>(
        { name: 'a', audience: 'x' },
        { name: 'a', audience: 'y', description: undefined },
      ),
      { audience: 'y' },
    );
    assert.equal(suggestAudience('Orders Auth!'), 'https://orders-auth.api');
  });

  it("creates what is missing in the seed's order and publishes with the strategy", async () => {
    const calls: string[] = [];
    const bodies: Record<string, unknown> = {};
    const rec = (name: string, body?: unknown) => {
      calls.push(name);
      if (body !== undefined) bodies[name] = body;
    };
    const client = {
      identity: {
        authServers: {
          create: async (b: { name: string }) => {
            rec('authServer.create', b);
            return { id: 'as1', name: b.name, issuer: 'https://ki/as1' };
          },
          get: async () => {
            throw new Error('no');
          },
        },
        scopes: {
          create: async (_a: string, b: { name: string }) => {
            rec('scope.create', b);
            return { id: 'sc1', name: b.name, enabled: true };
          },
        },
        claims: {
          create: async (_a: string, b: { name: string }) => {
            rec('claim.create', b);
            return { id: 'cl1', name: b.name };
          },
        },
      },
      dcrProviders: {
        create: async (b: { name: string }) => {
          rec('provider.create', b);
          return { id: 'p1', name: b.name };
        },
      },
      authStrategies: {
        create: async (b: { name: string }) => {
          rec('strategy.create', b);
          return { id: 's1', name: b.name };
        },
      },
      apis: {
        get: async () => {
          rec('api.get');
          return { id: 'api1', name: 'orders' };
        },
      },
      apiImplementations: { create: async () => rec('impl.create') },
      portals: {
        create: async (b: { name: string }) => {
          rec('portal.create', b);
          return { id: 'po1', name: b.name };
        },
      },
      apiPublications: {
        publish: async (a: string, p: string, b: unknown) => {
          rec('publish', { a, p, b });
          return {};
        },
      },
    };
    const progress: string[] = [];
    const out = await runKongIdentitySetup(
      client as never,
      {
        authServer: { create: { name: 'shop', audience: 'https://shop' } },
        scope: { create: { name: 'openid' } },
        claim: { create: { name: 'client_id', value: '${ .Client.ID }' } },
        provider: { create: { name: 'shop-dcr' } },
        strategy: { create: { name: 'shop-s', credential_claim: ['client_id'] } },
        api: { id: 'api1' },
        portal: { create: { name: 'shop-portal' } },
      },
      never,
      (p) => progress.push(`${p.part}:${p.action}`),
    );
    assert.deepEqual(calls, [
      'authServer.create',
      'scope.create',
      'claim.create',
      'provider.create',
      'strategy.create',
      'api.get',
      'portal.create',
      'publish',
    ]);
    assert.deepEqual(progress, [
      'authServer:created',
      'scope:created',
      'claim:created',
      'provider:created',
      'strategy:created',
      'api:used',
      'portal:created',
      'publication:created',
    ]);
    assert.deepEqual(bodies['provider.create'], {
      name: 'shop-dcr',
      provider_type: 'kongIdentity',
      issuer: 'https://ki/as1',
    });
    assert.deepEqual((bodies['strategy.create'] as { configs: unknown }).configs, {
      'openid-connect': {
        issuer: 'https://ki/as1',
        credential_claim: ['client_id'],
        scopes: ['openid'],
        auth_methods: ['client_credentials', 'bearer'],
      },
    });
    assert.deepEqual(bodies['claim.create'], {
      include_in_token: true,
      include_in_all_scopes: true,
      enabled: true,
      name: 'client_id',
      value: '${ .Client.ID }',
    });
    assert.deepEqual(bodies['publish'], {
      a: 'api1',
      p: 'po1',
      b: { auth_strategy_ids: ['s1'], visibility: 'public', auto_approve_registrations: true },
    });
    assert.equal(out.strategy.id, 's1');
  });
});
