// Adopt (kongctl's `adopt`): resources made by hand in Konnect (no kongctl label) are written into a config file by
// the one kongctl renderer and labelled with the file's kongctl namespace, so that the file's Plan and Sync then find
// them unchanged (no create, no delete, no update; the ids are the same), secrets as !secret references only. Without
// the label, the same file plans a label update: the label is what makes them the file's. Refusals as kongctl's
// (another namespace unless overwritten), and the file's own text kept. Against the Konnect emulator (in-process).
import * as assert from 'node:assert/strict';
import { createKonnectClient, type KonnectClient } from '../../../src/core/api/index';
import {
  AdoptRefusedError,
  adoptionOf,
  analyzeConfig,
  computePlan,
  labelAdopted,
  namespaceProblem,
  namespacesOf,
  NAMESPACE_LABEL,
  type Adoption,
  type DesiredState,
  type Plan,
} from '../../../src/core/config/index';
import type { AppAuthStrategy } from '../../../src/core/model/authStrategy';
import type { DcrProvider } from '../../../src/core/model/dcrProvider';
import type { AuthServer, Claim, Scope } from '../../../src/core/model/kongIdentity';
import { TOKEN, startTestKonnect, type TestKonnect } from '../../../sandbox/tests/support/fakes';

const DCR_TOKEN = 'hand-made-okta-ssws-token-0001';

const model = (text: string, fileName = 'payments.kongctl.yaml'): DesiredState => {
  const a = analyzeConfig(text, { fileName });
  assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics.map((d) => d.message)));
  assert.deepEqual(
    a.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message),
    [],
    'no warning either',
  );
  return a.model!;
};
const changes = (p: Plan): string[] =>
  p.steps.filter((s) => s.action !== 'unchanged').map((s) => `${s.action} ${s.kind} ${s.name}`);

describe('config adopt (kongctl adopt; Konnect emulator)', function () {
  this.timeout(30_000);
  let k: TestKonnect;
  let client: KonnectClient;
  let provider: DcrProvider;
  let strategy: AppAuthStrategy;

  beforeEach(async () => {
    k = await startTestKonnect();
    client = createKonnectClient({ baseUrl: k.emu.url, token: TOKEN, userAgent: 'konnect-dcr-tests/1' });
    // made by hand (Konnect's UI): no KONGCTL-* label, a label of the team's own
    provider = await client.dcrProviders.create({
      name: 'Payments Okta',
      provider_type: 'okta',
      issuer: 'https://example.okta.com/oauth2/default',
      dcr_config: { dcr_token: DCR_TOKEN },
      labels: { team: 'payments' },
    });
    strategy = await client.authStrategies.create({
      name: 'Payments OIDC',
      display_name: 'Payments',
      strategy_type: 'openid_connect',
      dcr_provider_id: provider.id,
      configs: {
        'openid-connect': {
          issuer: 'https://example.okta.com/oauth2/default',
          credential_claim: ['client_id'],
          scopes: ['payments:read'],
          auth_methods: ['client_credentials', 'bearer'],
        },
      },
    });
  });
  afterEach(async () => {
    await client.close();
    await k.stop();
  });

  it('adopts a provider, then its strategy, into a new file: Plan and Sync then change nothing, the ids kept', async () => {
    const a1 = adoptionOf(
      { kind: 'provider', provider: await client.dcrProviders.get(provider.id) },
      { namespace: 'payments', comment: 'Adopted from Konnect.' },
    );
    assert.equal(a1.previousNamespace, undefined);
    assert.deepEqual(a1.labels, { [NAMESPACE_LABEL]: 'payments' }, 'only the namespace label is sent');
    assert.ok(!a1.text.includes(DCR_TOKEN), 'the secret is never written');
    assert.match(a1.text, /^# Adopted from Konnect\.\n_defaults:\n {2}kongctl:\n {4}namespace: payments\n/);
    assert.match(a1.text, /dcr_token: !secret \{source: !env PAYMENTS_OKTA_DCR_TOKEN\}/);
    assert.deepEqual(a1.secretNames, ['PAYMENTS_OKTA_DCR_TOKEN']);
    assert.match(a1.text, /labels:\n\s+team: payments\n/, "the team's label is the entry's");
    assert.ok(!/KONGCTL-/.test(a1.text), 'kongctl labels are metadata, not labels');

    // the file alone is not enough: Konnect's resource has no namespace yet, so the plan would label it
    const unlabelled = await computePlan(client, model(a1.text));
    assert.deepEqual(changes(unlabelled), ['update provider Payments Okta']);
    assert.deepEqual(
      unlabelled.steps[0]!.changes.map((c) => `${c.field} → ${String(c.to)}`),
      [`labels.${NAMESPACE_LABEL} → payments`],
    );

    assert.deepEqual(await labelAdopted(client, a1), { team: 'payments', [NAMESPACE_LABEL]: 'payments' });

    const a2 = adoptionOf(
      { kind: 'strategy', strategy: await client.authStrategies.get(strategy.id) },
      { namespace: 'payments', fileText: a1.text },
    );
    assert.ok(a2.text.startsWith(a1.text), "the file's text is kept; the entry is appended");
    assert.match(a2.text, /dcr_provider_id: !ref payments-okta\n/, "the strategy points at its provider's entry");
    assert.ok(!/^ {4}kongctl:/m.test(a2.text), 'the file default covers both entries');
    await labelAdopted(client, a2);

    for (const mode of ['apply', 'sync'] as const) {
      const plan = await computePlan(client, model(a2.text), { mode });
      assert.deepEqual(changes(plan), [], `${mode}: nothing to change`);
      assert.equal(plan.counts.create + plan.counts.delete + plan.counts.update, 0);
      assert.deepEqual(
        plan.steps.map((s) => `${s.action} ${s.kind} ${s.id}`),
        [`unchanged provider ${provider.id}`, `unchanged strategy ${strategy.id}`],
        `${mode}: the same resources, by id`,
      );
    }
    assert.deepEqual(
      (await client.dcrProviders.listAll()).map((p) => p.id),
      [provider.id],
      'nothing re-created',
    );
    assert.deepEqual(
      (await client.authStrategies.listAll()).map((s) => s.id),
      [strategy.id],
    );
  });

  it("adopts into an existing file's other namespace by naming it on the entry, keeping every other byte", async () => {
    const file =
      '# the payments team\n_defaults:\n  kongctl:\n    namespace: team-a\napplication_auth_strategies: []\n';
    const a = adoptionOf({ kind: 'provider', provider }, { namespace: 'team-b', fileText: file });
    assert.ok(a.text.startsWith(file), a.text);
    assert.match(a.text, /\n {4}kongctl:\n {6}namespace: team-b\n/);
    assert.deepEqual(a.edit, { start: file.length, end: file.length, newText: a.text.slice(file.length) });
    await labelAdopted(client, a);
    assert.deepEqual(changes(await computePlan(client, model(a.text), { mode: 'sync' })), []);
  });

  it('refuses what kongctl refuses, and what the file already has', async () => {
    const labelled = { ...provider, labels: { [NAMESPACE_LABEL]: 'team-a' } };
    assert.throws(
      () => adoptionOf({ kind: 'provider', provider: labelled }, { namespace: 'team-b' }),
      (e: unknown) =>
        e instanceof AdoptRefusedError && /already managed in the kongctl namespace "team-a"/.test(e.message),
    );
    const over = adoptionOf(
      { kind: 'provider', provider: labelled },
      { namespace: 'team-b', overwriteNamespace: true },
    );
    assert.deepEqual(over.labels, { [NAMESPACE_LABEL]: 'team-b' });
    assert.equal(over.previousNamespace, 'team-a');
    const same: Adoption = adoptionOf({ kind: 'provider', provider: labelled }, { namespace: 'team-a' });
    assert.equal(same.labels, undefined, 'already in that namespace: nothing to label');

    const once = adoptionOf({ kind: 'provider', provider }, { namespace: 'default' });
    assert.ok(!once.text.includes('_defaults'), 'kongctl\'s "default" namespace needs no _defaults');
    assert.throws(
      () => adoptionOf({ kind: 'provider', provider }, { namespace: 'default', fileText: once.text }),
      /already has the DCR provider "Payments Okta" \(ref payments-okta\)/,
    );
    for (const bad of ['', 'two words', '-dash', 'x'.repeat(64)]) {
      assert.ok(namespaceProblem(bad), bad);
      assert.throws(() => adoptionOf({ kind: 'provider', provider }, { namespace: bad }), AdoptRefusedError);
    }
    assert.throws(
      () => adoptionOf({ kind: 'provider', provider }, { namespace: 'default', fileText: 'a: [' }),
      /YAML errors/,
    );
  });

  it('gives a new entry a ref of its own when the name maps to a ref the file uses', () => {
    const file =
      'dcr_providers:\n  - ref: payments-okta\n    name: Other Okta\n    provider_type: okta\n    issuer: https://x.okta.com\n    dcr_config:\n      dcr_token: !secret {source: !env X}\n';
    const a = adoptionOf({ kind: 'provider', provider }, { namespace: 'default', fileText: file });
    assert.equal(a.ref, 'payments-okta-2');
    assert.match(a.text, /- ref: payments-okta-2\n/);
  });

  it("lists the namespaces a file offers: its default first, then its entries'", () => {
    assert.deepEqual(namespacesOf(undefined), ['default']);
    assert.deepEqual(
      namespacesOf(
        '_defaults:\n  kongctl:\n    namespace: a\ndcr_providers:\n  - name: x\n    kongctl:\n      namespace: b\n',
      ),
      ['a', 'b'],
    );
  });

  it('adopts a Kong Identity auth server with its scopes and claims, labelling nothing: Plan finds it unchanged', async () => {
    const as: AuthServer = await client.identity.authServers.create({ name: 'Payments IdP', audience: 'payments' });
    const scope: Scope = await client.identity.scopes.create(as.id, { name: 'payments:read' });
    const claim: Claim = await client.identity.claims.create(as.id, {
      name: 'team',
      value: 'payments',
      include_in_scopes: [scope.id],
    });
    const a = adoptionOf(
      { kind: 'authServer', authServer: { authServer: as, scopes: [scope], claims: [claim] } },
      { namespace: 'payments' },
    );
    assert.equal(a.labels, undefined, 'kongctl has no Kong Identity resource: no namespace label');
    assert.match(a.text, /kong_identity_auth_servers:\n {2}- ref: payments-idp\n/);
    assert.match(a.text, /include_in_scopes:\n\s+- payments:read\n/);
    const plan = await computePlan(client, model(a.text, 'konnect-dcr.yaml'), { mode: 'sync' });
    assert.deepEqual(changes(plan), []);
    assert.deepEqual(
      plan.steps.map((s) => `${s.action} ${s.kind} ${s.name}`),
      ['unchanged authServer Payments IdP', 'unchanged scope payments:read', 'unchanged claim team'],
    );
  });
});
