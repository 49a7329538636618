// Sync (kongctl's `sync`): deletes what Konnect has in the file's kongctl namespaces and the file does not, strategies
// before providers and after every create and update; never a protected resource, another namespace's, an unlabelled
// one, a strategy a publication uses or a provider a remaining strategy uses (the plan says why). Write-only secrets
// are unknowable, never drift; rotation re-sends only the chosen ones. Against the Konnect emulator (in-process).
import * as assert from 'node:assert/strict';
import { createKonnectClient, type KonnectClient } from '../../../src/core/api/index';
import {
  analyzeConfig,
  applyConfig,
  computePlan,
  isNoop,
  renderApplyResult,
  renderChangesBrief,
  renderPlan,
  type DesiredState,
  type Plan,
} from '../../../src/core/config/index';
import { TOKEN, startTestKonnect, type TestKonnect } from '../../../sandbox/tests/support/fakes';

const model = (text: string): DesiredState => {
  const a = analyzeConfig(text, { fileName: 'konnect-dcr.yaml' });
  assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics.map((d) => d.message)));
  return a.model!;
};
const SECRETS: Record<string, string> = { KDCR_SYNC_TOKEN: 'okta-ssws-sync-token-0001' };
const resolveSecret = (name: string): Promise<string | undefined> => Promise.resolve(SECRETS[name]);

const provider = (ref: string, name: string, extra = ''): string =>
  `  - ref: ${ref}\n    name: ${name}\n    provider_type: okta\n    issuer: https://example.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: !secret {source: !env KDCR_SYNC_TOKEN}\n${extra}`;
const strategy = (ref: string, name: string, providerRef?: string): string =>
  `  - ref: ${ref}\n    name: ${name}\n    display_name: ${name}\n    strategy_type: openid_connect\n${providerRef ? `    dcr_provider_id: !ref ${providerRef}\n` : ''}    configs:\n      openid_connect:\n        issuer: https://example.okta.com/oauth2/default\n        credential_claim: [client_id]\n        scopes: [openid]\n        auth_methods: [client_credentials, bearer]\n`;
const NS = (ns: string): string => `_defaults:\n  kongctl:\n    namespace: ${ns}\n`;

/** What a team had applied before: the sync file below no longer has the "Old" ones. */
const BEFORE =
  NS('payments') +
  'dcr_providers:\n' +
  provider('keep', 'Keep Okta') +
  provider('old', 'Old Okta') +
  provider('guarded', 'Guarded Okta', '    kongctl:\n      protected: true\n') +
  'application_auth_strategies:\n' +
  strategy('keep-oidc', 'Keep OIDC', 'keep') +
  strategy('old-oidc', 'Old OIDC', 'old') +
  strategy('published', 'Published OIDC');
const SYNC =
  NS('payments') +
  'dcr_providers:\n' +
  provider('keep', 'Keep Okta') +
  provider('new', 'New Okta') +
  'application_auth_strategies:\n' +
  strategy('keep-oidc', 'Keep OIDC', 'keep');
const FOREIGN = NS('other') + 'dcr_providers:\n' + provider('theirs', 'Their Okta');

const actions = (p: Plan): string[] =>
  p.steps.filter((s) => s.action !== 'unchanged').map((s) => `${s.action} ${s.kind} ${s.name}`);

describe('config sync (Konnect emulator)', function () {
  this.timeout(30_000);
  let k: TestKonnect;
  let client: KonnectClient;

  beforeEach(async () => {
    k = await startTestKonnect();
    client = createKonnectClient({ baseUrl: k.emu.url, token: TOKEN, userAgent: 'konnect-dcr-tests/1' });
    for (const text of [BEFORE, FOREIGN]) {
      const r = await applyConfig(client, model(text), { resolveSecret });
      assert.ok(r.ok, renderApplyResult(r));
    }
    // a provider nobody manages (no KONGCTL-namespace label), with a name no file has
    await client.dcrProviders.create({
      name: 'Hand-made Okta',
      provider_type: 'okta',
      issuer: 'https://example.okta.com/oauth2/default',
      dcr_config: { dcr_token: 'hand-made-token-0002' },
    });
    const published = (await client.authStrategies.listAll()).find((s) => s.name === 'Published OIDC')!;
    const portal = await client.portals.create({ name: 'Dev Portal' });
    const api = await client.apis.create({ name: 'Payments API' });
    await client.apiPublications.publish(api.id, portal.id, { auth_strategy_ids: [published.id] });
  });
  afterEach(async () => {
    await client.close();
    await k.stop();
  });

  it('plans the deletes last, strategies before providers, and leaves protected, held and foreign ones alone', async () => {
    const plan = await computePlan(client, model(SYNC), { mode: 'sync' });
    assert.equal(plan.mode, 'sync');
    assert.deepEqual(actions(plan), [
      'create provider New Okta',
      'conflict provider Guarded Okta',
      'conflict strategy Published OIDC',
      'delete strategy Old OIDC',
      'delete provider Old Okta',
    ]);
    const why = (name: string): string => plan.steps.find((s) => s.name === name)!.reason!;
    assert.match(
      why('Published OIDC'),
      /^not deleted: still used by API "Payments API" published to portal "Dev Portal"/,
      'the plan says which publication holds it',
    );
    assert.match(why('Guarded Okta'), /^not deleted: protected by kongctl \(label KONGCTL-protected: "true"\)/);
    assert.deepEqual(plan.others, { providers: 2, strategies: 0, authServers: 0 }, 'Their Okta and Hand-made Okta');
    const text = renderPlan(plan);
    assert.match(text, /^# Konnect DCR sync plan/);
    assert.match(text, /1 to create, 0 to update, 2 to delete/);
    assert.match(
      text,
      /## Deleted by this sync \(strategies, then providers\)\nx delete +auth strategy "Old OIDC".*\n.*\nx delete +DCR provider "Old Okta"/,
    );
    // the confirmation lists every delete, even past its cap on lines
    const brief = renderChangesBrief(plan, 0);
    assert.match(
      brief,
      /2 to delete, in this order:\nx delete auth strategy "Old OIDC" \(.+\)\nx delete DCR provider "Old Okta"/,
    );

    // plain apply never deletes: the same resources are only "only in Konnect"
    const applyPlan = await computePlan(client, model(SYNC));
    assert.equal(applyPlan.counts.delete, 0);
    assert.deepEqual(
      applyPlan.steps.filter((s) => s.action === 'onlyInKonnect').map((s) => s.name),
      ['Old Okta', 'Guarded Okta', 'Old OIDC', 'Published OIDC'],
    );
  });

  it('sync deletes in that order, touches nothing outside its scope, and a second sync has nothing to do', async () => {
    const before = await client.dcrProviders.listAll();
    const untouched = before.filter((p) => ['Guarded Okta', 'Their Okta', 'Hand-made Okta'].includes(p.name));
    assert.equal(untouched.length, 3);
    const desired = model(SYNC);
    const plan = await computePlan(client, desired, { mode: 'sync' });
    const from = k.emu.requests.length;
    const r = await applyConfig(client, desired, { resolveSecret, mode: 'sync', expected: plan });
    assert.ok(r.ok, renderApplyResult(r));
    assert.match(renderApplyResult(r), /^Synced: 1 created, 0 updated, 2 deleted\./);
    const writes = k.emu.requests
      .slice(from)
      .filter((q) => q.method !== 'GET')
      .map((q) => `${q.method} ${q.path.replace(/[0-9a-f-]{36}/g, ':id')}`);
    assert.deepEqual(writes, [
      'POST /v2/dcr-providers',
      'DELETE /v2/application-auth-strategies/:id',
      'DELETE /v2/dcr-providers/:id',
    ]);
    const after = await client.dcrProviders.listAll();
    assert.deepEqual(after.map((p) => p.name).sort(), [
      'Guarded Okta',
      'Hand-made Okta',
      'Keep Okta',
      'New Okta',
      'Their Okta',
    ]);
    for (const u of untouched)
      assert.deepEqual(
        after.find((p) => p.id === u.id),
        u,
        `${u.name} was not changed`,
      );
    assert.deepEqual((await client.authStrategies.listAll()).map((s) => s.name).sort(), [
      'Keep OIDC',
      'Published OIDC',
    ]);
    const again = await computePlan(client, desired, { mode: 'sync' });
    assert.ok(isNoop(again), renderPlan(again));
  });

  it('a provider a remaining strategy uses is not deleted; an omitted section is not synced; an empty one is', async () => {
    // the file drops "Old Okta" but keeps the strategy that uses it
    const keepsUser =
      NS('payments') +
      'dcr_providers:\n' +
      provider('keep', 'Keep Okta') +
      provider('guarded', 'Guarded Okta', '    kongctl:\n      protected: true\n') +
      'application_auth_strategies:\n' +
      strategy('keep-oidc', 'Keep OIDC', 'keep') +
      strategy('old-oidc', 'Old OIDC') +
      strategy('published', 'Published OIDC');
    const p = await computePlan(client, model(keepsUser), { mode: 'sync' });
    const old = p.steps.find((s) => s.name === 'Old Okta')!;
    assert.equal(old.action, 'conflict');
    assert.match(old.reason!, /^not deleted: auth strategy "Old OIDC" \(.+\) still uses it/);
    // unless the same plan moves that strategy off it
    const unlinks = keepsUser.replace(
      '    name: Old OIDC\n    display_name: Old OIDC\n    strategy_type: openid_connect\n',
      '    name: Old OIDC\n    display_name: Old OIDC\n    strategy_type: openid_connect\n    dcr_provider_id: null\n',
    );
    const p2 = await computePlan(client, model(unlinks), { mode: 'sync' });
    assert.deepEqual(actions(p2), ['update strategy Old OIDC', 'delete provider Old Okta']);

    // no application_auth_strategies: key at all: strategies are out of the sync's scope
    const providersOnly = NS('payments') + 'dcr_providers:\n' + provider('keep', 'Keep Okta');
    const p3 = await computePlan(client, model(providersOnly), { mode: 'sync' });
    assert.deepEqual(
      p3.steps.filter((s) => s.kind === 'strategy').map((s) => s.action),
      ['onlyInKonnect', 'onlyInKonnect', 'onlyInKonnect'],
    );
    assert.deepEqual(
      actions(p3).filter((a) => a.startsWith('delete')),
      [],
    );
    assert.match(
      p3.steps.find((s) => s.name === 'Old Okta')!.reason!,
      /still uses it/,
      'its strategy stays, so Old Okta stays',
    );
    // an explicit empty list: every strategy of the namespace goes, except the published one
    const empty = NS('payments') + 'application_auth_strategies: []\n';
    const p4 = await computePlan(client, model(empty), { mode: 'sync' });
    assert.deepEqual(
      actions(p4).filter((a) => !a.startsWith('onlyInKonnect')),
      ['conflict strategy Published OIDC', 'delete strategy Keep OIDC', 'delete strategy Old OIDC'],
    );
    // another namespace's file never touches payments
    const theirs = await computePlan(client, model(NS('other') + 'dcr_providers: []\n'), { mode: 'sync' });
    assert.deepEqual(actions(theirs), ['delete provider Their Okta']);
  });

  it('write-only secrets are unknowable, never drift; rotation re-sends only the chosen ones', async () => {
    const desired = model(SYNC.replace(provider('new', 'New Okta'), ''));
    const plan = await computePlan(client, desired);
    const keep = plan.steps.find((s) => s.name === 'Keep Okta')!;
    assert.equal(keep.action, 'unchanged');
    assert.deepEqual(keep.unknowable, ['dcr_config.dcr_token']);
    assert.match(
      renderPlan(plan),
      /= unchanged +"Keep Okta".*\n {4}\? dcr_config\.dcr_token: unknowable \(write-only, Konnect never returns it; not compared\)/,
    );
    const rotated = await computePlan(client, desired, { rotate: ['keep.dcr_token'] });
    const step = rotated.steps.find((s) => s.name === 'Keep Okta')!;
    assert.equal(step.action, 'update');
    assert.deepEqual(step.changes, [
      { field: 'dcr_config.dcr_token', note: 'will be sent (from KDCR_SYNC_TOKEN): rotated, as asked' },
    ]);
    assert.equal(step.unknowable, undefined);
    assert.deepEqual(rotated.secretNames, ['KDCR_SYNC_TOKEN']);
    SECRETS['KDCR_SYNC_TOKEN'] = 'okta-ssws-sync-token-rotated';
    try {
      const from = k.emu.requests.length;
      const r = await applyConfig(client, desired, { resolveSecret, rotate: ['keep.dcr_token'], expected: rotated });
      assert.ok(r.ok, renderApplyResult(r));
      const patches = k.emu.requests.slice(from).filter((q) => q.method === 'PATCH');
      assert.equal(patches.length, 1, 'only Keep Okta is patched');
      const rec = [...k.emu.store.providers.values()].find((p) => p.name === 'Keep Okta')!;
      assert.equal(rec.secrets.dcr_token, 'okta-ssws-sync-token-rotated');
      const other = [...k.emu.store.providers.values()].find((p) => p.name === 'Old Okta')!;
      assert.equal(other.secrets.dcr_token, 'okta-ssws-sync-token-0001');
    } finally {
      SECRETS['KDCR_SYNC_TOKEN'] = 'okta-ssws-sync-token-0001';
    }
  });
});
