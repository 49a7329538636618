// Saved plans (kongctl's `plan --output-file` then `apply --plan`): the JSON holds the plan, its desired state and its
// base, never a secret; applying it later does exactly its steps, and refuses (sending nothing) when a resource of its
// base changed (naming the fields), was deleted, or one it would create was created since. Against the Konnect
// emulator (in-process).
import * as assert from 'node:assert/strict';
import { createKonnectClient, type KonnectClient } from '../../../src/core/api/index';
import {
  SavedPlanError,
  SecretInPlanError,
  analyzeConfig,
  applyConfig,
  applySavedPlan,
  computePlan,
  isNoop,
  readSavedPlan,
  renderApplyResult,
  renderBaseChanges,
  renderPlan,
  savePlan,
  type DesiredState,
} from '../../../src/core/config/index';
import { TOKEN, startTestKonnect, type TestKonnect } from '../../../sandbox/tests/support/fakes';

const model = (text: string): DesiredState => {
  const a = analyzeConfig(text, { fileName: 'konnect-dcr.yaml' });
  assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics.map((d) => d.message)));
  return a.model!;
};
const SECRETS: Record<string, string> = { KDCR_SAVED_TOKEN: 'okta-ssws-saved-plan-token-0001' };
const resolveSecret = (name: string): Promise<string | undefined> => Promise.resolve(SECRETS[name]);

const provider = (ref: string, name: string, extra = ''): string =>
  `  - ref: ${ref}\n    name: ${name}\n    provider_type: okta\n    issuer: https://example.okta.com/oauth2/default\n${extra}    dcr_config:\n      dcr_token: !secret {source: !env KDCR_SAVED_TOKEN}\n`;
const strategy = (ref: string, name: string, providerRef: string): string =>
  `  - ref: ${ref}\n    name: ${name}\n    display_name: ${name}\n    strategy_type: openid_connect\n    dcr_provider_id: !ref ${providerRef}\n    configs:\n      openid_connect:\n        issuer: https://example.okta.com/oauth2/default\n        credential_claim: [client_id]\n        scopes: [openid]\n        auth_methods: [client_credentials, bearer]\n`;
const NS = '_defaults:\n  kongctl:\n    namespace: saved\n';
const BEFORE =
  NS +
  'dcr_providers:\n' +
  provider('keep', 'Keep Okta') +
  provider('old', 'Old Okta') +
  'application_auth_strategies:\n' +
  strategy('keep-oidc', 'Keep OIDC', 'keep');
/** Keep Okta gets a display name, New Okta and its strategy are new, Old Okta goes (in a sync). */
const AFTER =
  NS +
  'dcr_providers:\n' +
  provider('keep', 'Keep Okta', '    display_name: Kept\n') +
  provider('new', 'New Okta') +
  'application_auth_strategies:\n' +
  strategy('keep-oidc', 'Keep OIDC', 'keep') +
  strategy('new-oidc', 'New OIDC', 'new');
const META = { file: 'konnect-dcr.saved.yaml', text: AFTER, target: { name: 'emulator', host: 'localhost' } };

describe('saved plans (Konnect emulator)', function () {
  this.timeout(30_000);
  let k: TestKonnect;
  let client: KonnectClient;
  const writes = (from: number): string[] =>
    k.emu.requests
      .slice(from)
      .filter((q) => q.method !== 'GET')
      .map((q) => `${q.method} ${q.path.replace(/[0-9a-f-]{36}/g, ':id')}`);

  beforeEach(async () => {
    k = await startTestKonnect();
    client = createKonnectClient({ baseUrl: k.emu.url, token: TOKEN, userAgent: 'konnect-dcr-tests/1' });
    const r = await applyConfig(client, model(BEFORE), { resolveSecret });
    assert.ok(r.ok, renderApplyResult(r));
  });
  afterEach(async () => {
    await client.close();
    await k.stop();
  });

  it('a saved sync plan holds no secret, reads back, and applies later exactly as saved', async () => {
    const desired = model(AFTER);
    const plan = await computePlan(client, desired, { mode: 'sync' });
    const text = savePlan(plan, desired, META);
    for (const v of [...Object.values(SECRETS), TOKEN])
      assert.ok(!text.includes(v), 'no secret (nor the API token) in the saved plan');
    assert.match(text, /"KDCR_SAVED_TOKEN"/, 'the secret is saved by reference');
    const saved = readSavedPlan(text);
    assert.equal(saved.plan.mode, 'sync');
    assert.equal(saved.review.join('\n'), renderPlan(plan, { file: META.file, target: 'emulator (localhost)' }));
    assert.deepEqual(saved.plan.base.map((b) => `${b.kind} ${b.name}`).sort(), [
      'provider Keep Okta',
      'provider Old Okta',
      'strategy Keep OIDC',
    ]);
    assert.equal(saved.plan.base.find((b) => b.name === 'Keep Okta')?.state?.['name'], 'Keep Okta');

    const from = k.emu.requests.length;
    const { result, changes } = await applySavedPlan(client, saved, { resolveSecret, concurrency: 1 });
    assert.deepEqual(changes, []);
    assert.ok(result?.ok, result && renderApplyResult(result));
    assert.deepEqual(writes(from), [
      'PATCH /v2/dcr-providers/:id',
      'POST /v2/dcr-providers',
      'POST /v2/application-auth-strategies',
      'DELETE /v2/dcr-providers/:id',
    ]);
    const created = [...k.emu.store.providers.values()].find((p) => p.name === 'New Okta');
    assert.equal(created?.secrets['dcr_token'], SECRETS['KDCR_SAVED_TOKEN'], 'resolved at apply time');
    assert.ok(isNoop(await computePlan(client, desired, { mode: 'sync' })));
  });

  it('refuses, sending nothing, when its base changed: which resource, which field, deleted, created', async () => {
    const desired = model(AFTER);
    const saved = readSavedPlan(savePlan(await computePlan(client, desired, { mode: 'sync' }), desired, META));
    const providers = await client.dcrProviders.listAll();
    const keep = providers.find((p) => p.name === 'Keep Okta')!;
    const old = providers.find((p) => p.name === 'Old Okta')!;
    await client.dcrProviders.update(keep.id, { display_name: 'Changed by hand' });
    const strategy = (await client.authStrategies.listAll()).find((s) => s.name === 'Keep OIDC')!;
    await client.authStrategies.delete(strategy.id);
    await client.dcrProviders.delete(old.id);
    const made = await client.dcrProviders.create({
      name: 'New Okta',
      provider_type: 'okta',
      issuer: 'https://example.okta.com/oauth2/default',
      dcr_config: { dcr_token: 'made-by-hand-token-0002' },
    });

    const from = k.emu.requests.length;
    const { result, changes } = await applySavedPlan(client, saved, { resolveSecret });
    assert.equal(result, undefined, 'nothing applied');
    assert.deepEqual(writes(from), [], 'nothing sent');
    assert.deepEqual(
      changes.map((c) => `${c.what} ${c.kind} ${c.name} ${c.fields.filter((f) => f !== 'updated_at').join(',')}`),
      [
        'changed provider Keep Okta display_name',
        'deleted strategy Keep OIDC ',
        'deleted provider Old Okta ',
        'created provider New Okta ',
      ],
    );
    const report = renderBaseChanges(changes);
    assert.match(
      report,
      new RegExp(
        `^~ DCR provider "Keep Okta" \\(${keep.id}\\): changed in Konnect since the plan was made \\(display_name`,
      ),
    );
    assert.match(report, new RegExp(`\\n- DCR provider "Old Okta" \\(${old.id}\\): deleted in Konnect since`));
    assert.match(report, new RegExp(`\\n\\+ DCR provider "New Okta" \\(${made.id}\\): created in Konnect since`));
  });

  it('an unchanged base applies; one touched only in a field the plan does not compare is still refused', async () => {
    const desired = model(AFTER);
    const saved = readSavedPlan(savePlan(await computePlan(client, desired), desired, META));
    assert.equal(saved.plan.mode, 'apply');
    const keep = (await client.dcrProviders.listAll()).find((p) => p.name === 'Keep Okta')!;
    // labels the file does not declare: the fresh plan would be the same, the base is not
    await client.dcrProviders.update(keep.id, { labels: { team: 'other' } });
    const refused = await applySavedPlan(client, saved, { resolveSecret });
    assert.equal(refused.result, undefined);
    assert.deepEqual(
      refused.changes.map((c) => c.fields.filter((f) => f !== 'updated_at')),
      [['labels.team']],
    );
    const fresh = readSavedPlan(savePlan(await computePlan(client, desired), desired, META));
    const { result } = await applySavedPlan(client, fresh, { resolveSecret });
    assert.ok(result?.ok, result && renderApplyResult(result));
    assert.match(renderApplyResult(result), /^Applied: 2 created, 1 updated\./);
  });

  it('never saves a secret written in the file; a file that is not a saved plan says so', async () => {
    const literal = model(
      NS +
        'dcr_providers:\n  - ref: lit\n    name: Literal Okta\n    provider_type: okta\n    issuer: https://example.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: literal-token-in-the-file-0003\n',
    );
    const plan = await computePlan(client, literal);
    assert.throws(
      () => savePlan(plan, literal, META),
      (e: unknown) => e instanceof SecretInPlanError && /Literal Okta: dcr_config\.dcr_token/.test(e.message),
    );
    assert.throws(() => readSavedPlan('{"format": "something else"}'), SavedPlanError);
    assert.throws(() => readSavedPlan('not json'), /not JSON/);
    assert.throws(
      () => readSavedPlan(JSON.stringify({ format: 'konnect-dcr-plan', version: 99 })),
      /version 99; this extension reads version 1/,
    );
  });
});
