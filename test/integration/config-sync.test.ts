// Lifecycle beyond Apply, in the extension host against the sandbox: Plan Sync and "Sync…" (deletes in the file's
// kongctl namespace, strategies before providers, one modal listing every delete; protected, foreign-namespace and
// unlabelled resources untouched) and "Rotate Secrets…" (only the chosen write-only secrets are re-sent).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApplyOutcome, PlanOutcome } from '../../src/ui/config/controller';
import { extensionApi, run, signOutAll, type Api } from './support/helpers';
import { randomPat, startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret } from './support/secrets';

const C = {
  plan: 'konnectDcr.config.plan',
  apply: 'konnectDcr.config.apply',
  planSync: 'konnectDcr.config.planSync',
  sync: 'konnectDcr.config.sync',
  rotate: 'konnectDcr.config.rotateSecrets',
  store: 'konnectDcr.config.storeSecret',
  forget: 'konnectDcr.config.forgetSecret',
};
const VAR = 'KDCR_SYNC_OKTA_TOKEN';

const provider = (ref: string, name: string, extra = ''): string =>
  `  - ref: ${ref}\n    name: ${name}\n    provider_type: okta\n    issuer: https://example.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: !secret {source: !env ${VAR}}\n${extra}`;
const strategy = (ref: string, name: string, providerRef?: string): string =>
  `  - ref: ${ref}\n    name: ${name}\n    display_name: ${name}\n    strategy_type: openid_connect\n${providerRef ? `    dcr_provider_id: !ref ${providerRef}\n` : ''}    configs:\n      openid_connect:\n        issuer: https://example.okta.com/oauth2/default\n        credential_claim: [client_id]\n        scopes: [openid]\n        auth_methods: [client_credentials, bearer]\n`;
const NS = (ns: string): string => `_defaults:\n  kongctl:\n    namespace: ${ns}\n`;

describe('config sync and secret rotation against the sandbox', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: TestSandbox;
  let dir: string;
  const token = rememberSecret(`ssws_${randomPat().slice(5)}`);
  const rotated = rememberSecret(`ssws_${randomPat().slice(5)}`);

  let elsewhere: string;
  const write = (name: string, text: string, where = dir): vscode.Uri => {
    const file = path.join(where, name);
    fs.writeFileSync(file, text);
    return vscode.Uri.file(file);
  };
  const store = async (value: string): Promise<void> => {
    api.testing.prompts.script({ id: 'config.secret.value', answer: value });
    assert.equal(await run(C.store, VAR), VAR);
  };

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'sync-sandbox',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder is open');
    dir = fs.mkdtempSync(path.join(folder, 'kdcr-sync-test-'));
    // files of earlier applies: not siblings of the synced file (a sibling's resources are never deleted)
    elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-sync-before-'));
    await store(token);
  });
  after(async () => {
    api?.testing.prompts.clearScript();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await run(C.forget, VAR);
    await signOutAll(api);
    await sb?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (elsewhere) fs.rmSync(elsewhere, { recursive: true, force: true });
  });

  it('Plan Sync and Sync…: deletes in order after one modal listing them; protected and foreign ones stay', async () => {
    // what was applied before: two teams' files, and a provider made by hand
    const before = write(
      'konnect-dcr.sync-before.yaml',
      NS('payments') +
        'dcr_providers:\n' +
        provider('keep', 'Sync Keep') +
        provider('old', 'Sync Old') +
        provider('guarded', 'Sync Guarded', '    kongctl:\n      protected: true\n') +
        'application_auth_strategies:\n' +
        strategy('keep-oidc', 'Sync Keep OIDC', 'keep') +
        strategy('old-oidc', 'Sync Old OIDC', 'old'),
      elsewhere,
    );
    const foreign = write(
      'konnect-dcr.sync-foreign.yaml',
      NS('other') + 'dcr_providers:\n' + provider('t', 'Sync Theirs'),
      elsewhere,
    );
    for (const uri of [before, foreign]) {
      api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
      const a = await run<ApplyOutcome>(C.apply, uri);
      assert.ok(a.result?.ok, a.message);
    }
    await sb.client.dcrProviders.create({
      name: 'Sync Hand-made',
      provider_type: 'okta',
      issuer: 'https://example.okta.com/oauth2/default',
      dcr_config: { dcr_token: token },
    });
    const untouched = (await sb.client.dcrProviders.listAll()).filter((p) =>
      ['Sync Guarded', 'Sync Theirs', 'Sync Hand-made'].includes(p.name),
    );
    assert.equal(untouched.length, 3);

    // the file now: Old and Guarded are gone from it
    const uri = write(
      'konnect-dcr.sync.yaml',
      NS('payments') +
        'dcr_providers:\n' +
        provider('keep', 'Sync Keep') +
        'application_auth_strategies:\n' +
        strategy('keep-oidc', 'Sync Keep OIDC', 'keep'),
    );
    const applyPlan = await run<PlanOutcome>(C.plan, uri);
    assert.equal(applyPlan.plan.counts.delete, 0, 'Plan (apply) never deletes');
    assert.match(applyPlan.text, /- only in Konnect +"Sync Old"/);

    const planned = await run<PlanOutcome>(C.planSync, uri);
    assert.equal(planned.plan.mode, 'sync');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === planned.document.toString());
    assert.ok(doc, 'the sync plan is shown');
    assert.match(doc.getText(), /^# Konnect DCR sync plan for .*konnect-dcr\.sync\.yaml against sync-sandbox/);
    assert.match(
      doc.getText(),
      /x delete +auth strategy "Sync Old OIDC".*\n.*\nx delete +DCR provider "Sync Old"/,
      'strategies before providers',
    );
    assert.match(doc.getText(), /! conflict +"Sync Guarded".*\n +why: not deleted: protected by kongctl/);
    assert.doesNotMatch(doc.getText(), /Sync Theirs|Sync Hand-made/);

    const modals = api.testing.prompts.shown.filter((m) => m.modal).length;
    api.testing.prompts.script({ id: 'config.sync.confirm', answer: 'Sync' });
    const synced = await run<ApplyOutcome>(C.sync, uri);
    assert.ok(synced.result?.ok, synced.message);
    const asked = api.testing.prompts.shown.filter((m) => m.modal);
    assert.equal(asked.length, modals + 1, 'asked once');
    const confirm = asked.at(-1)!;
    assert.match(confirm.message, /^Sync konnect-dcr\.sync\.yaml to sync-sandbox/);
    assert.match(
      confirm.detail ?? '',
      /2 to delete, in this order:\nx delete auth strategy "Sync Old OIDC" \(.+\)\nx delete DCR provider "Sync Old" \(.+\)/,
    );
    assert.match(synced.message, /Synced: 0 created, 0 updated, 2 deleted/);

    const after = await sb.client.dcrProviders.listAll();
    assert.deepEqual(after.map((p) => p.name).sort(), ['Sync Guarded', 'Sync Hand-made', 'Sync Keep', 'Sync Theirs']);
    for (const u of untouched)
      assert.deepEqual(
        after.find((p) => p.id === u.id),
        u,
        `${u.name} is unchanged`,
      );
    assert.deepEqual(
      (await sb.client.authStrategies.listAll()).map((s) => s.name),
      ['Sync Keep OIDC'],
    );

    const again = await run<ApplyOutcome>(C.sync, uri);
    assert.equal(again.result, undefined);
    assert.match(again.message, /nothing to sync/);
    assert.equal(api.testing.prompts.clearScript(), 0);
  });

  it('Rotate Secrets…: the plan shows write-only secrets as unknowable; only the chosen one is re-sent', async () => {
    const uri = write(
      'konnect-dcr.rotate.yaml',
      NS('payments') + 'dcr_providers:\n' + provider('keep', 'Sync Keep') + provider('second', 'Sync Second'),
    );
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const created = await run<ApplyOutcome>(C.apply, uri);
    assert.ok(created.result?.ok, created.message);
    const plan = await run<PlanOutcome>(C.plan, uri);
    assert.equal(plan.plan.counts.update, 0, 'an unknowable secret is not drift');
    assert.match(plan.text, /= unchanged +"Sync Keep".*\n +\? dcr_config\.dcr_token: unknowable/);

    await store(rotated);
    api.testing.prompts.script(
      { id: 'config.rotate.secrets', answer: 'Sync Keep: dcr_config.dcr_token' },
      { id: 'config.apply.confirm', answer: 'Apply' },
    );
    const r = await run<ApplyOutcome>(C.rotate, uri);
    assert.ok(r.result?.ok, r.message);
    assert.deepEqual(
      r.result.applied.map((a) => `${a.action} ${a.name}`),
      ['updated Sync Keep'],
    );
    const stored = [...sb.emulator.store.providers.values()];
    assert.equal(stored.find((p) => p.name === 'Sync Keep')?.secrets.dcr_token, rotated);
    assert.equal(stored.find((p) => p.name === 'Sync Second')?.secrets.dcr_token, token, 'not chosen, not sent');
    assert.equal(api.testing.prompts.clearScript(), 0);
  });
});
