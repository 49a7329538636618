// Saved plans in the extension host against the sandbox (kongctl's `plan --output-file` and `apply --plan`): Save
// Plan… from a config file and from the plan view writes a JSON plan with no secret and opens a readable review;
// Apply Saved Plan… applies exactly that plan later after one modal, and refuses (sending nothing, saying which
// resource and field changed, or what was deleted or created) when Konnect changed since.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApplyOutcome, PlanOutcome } from '../../src/ui/config/controller';
import type { SavedApplyOutcome, SavedPlanOutcome } from '../../src/ui/config/savedPlans';
import { extensionApi, run, signOutAll, waitFor, type Api } from './support/helpers';
import { randomPat, startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret } from './support/secrets';

const C = {
  apply: 'konnectDcr.config.apply',
  planSync: 'konnectDcr.config.planSync',
  save: 'konnectDcr.config.savePlan',
  review: 'konnectDcr.config.reviewSavedPlan',
  applySaved: 'konnectDcr.config.applySavedPlan',
  store: 'konnectDcr.config.storeSecret',
  forget: 'konnectDcr.config.forgetSecret',
};
const VAR = 'KDCR_SAVED_PLAN_TOKEN';

const provider = (ref: string, name: string, extra = ''): string =>
  `  - ref: ${ref}\n    name: ${name}\n    provider_type: okta\n    issuer: https://example.okta.com/oauth2/default\n${extra}    dcr_config:\n      dcr_token: !secret {source: !env ${VAR}}\n`;
const NS = '_defaults:\n  kongctl:\n    namespace: saved-plans\n';

describe('config saved plans against the sandbox', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: TestSandbox;
  let dir: string;
  let elsewhere: string;
  const token = rememberSecret(`ssws_${randomPat().slice(5)}`);
  const write = (name: string, text: string, where = dir): vscode.Uri => {
    const file = path.join(where, name);
    fs.writeFileSync(file, text);
    return vscode.Uri.file(file);
  };
  const writes = (from: number): string[] =>
    sb.emulator.requests
      .slice(from)
      .filter((q) => q.method !== 'GET')
      .map((q) => `${q.method} ${q.path.replace(/[0-9a-f-]{36}/g, ':id')}`);

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'saved-plan-sandbox',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder is open');
    dir = fs.mkdtempSync(path.join(folder, 'kdcr-saved-plan-test-'));
    elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-saved-plan-before-'));
    api.testing.prompts.script({ id: 'config.secret.value', answer: token });
    assert.equal(await run(C.store, VAR), VAR);
    // what Konnect has: Saved Keep and Saved Old, applied from another file
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const a = await run<ApplyOutcome>(
      C.apply,
      write(
        'konnect-dcr.saved-before.yaml',
        NS + 'dcr_providers:\n' + provider('keep', 'Saved Keep') + provider('old', 'Saved Old'),
        elsewhere,
      ),
    );
    assert.ok(a.result?.ok, a.message);
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

  it('Save Plan… (file and plan view) writes no secret and opens a review; Apply Saved Plan… applies it later', async () => {
    const uri = write(
      'konnect-dcr.saved.yaml',
      NS +
        'dcr_providers:\n' +
        provider('keep', 'Saved Keep', '    display_name: Kept\n') +
        provider('new', 'Saved New'),
    );
    const dest = vscode.Uri.file(path.join(dir, 'saved.sync-plan.json'));
    api.testing.prompts.script({ id: 'config.savePlan.mode', answer: 'Sync plan' });
    const saved = await run<SavedPlanOutcome>(C.save, uri, dest);
    assert.equal(saved.saved.plan.mode, 'sync');
    const json = fs.readFileSync(dest.fsPath, 'utf8');
    assert.ok(!json.includes(token), 'the secret is not in the saved plan');
    assert.ok(!json.includes(sb.token), 'nor the connection token');
    assert.match(json, new RegExp(`"env": "${VAR}"`), 'the secret is saved by reference');
    assert.match(json, /"format": "konnect-dcr-plan"/);
    const review = vscode.workspace.textDocuments.find((d) => d.uri.toString() === saved.document.toString());
    assert.ok(review, 'the review is open');
    assert.match(review.getText(), /^# Saved plan .*saved\.sync-plan\.json\n# Made .* against saved-plan-sandbox/);
    assert.match(review.getText(), /# Konnect DCR sync plan/);
    assert.match(review.getText(), /x delete +DCR provider "Saved Old"/);

    // the same from the plan view's title button: the plan it shows
    const shown = await run<PlanOutcome>(C.planSync, uri);
    const fromView = vscode.Uri.file(path.join(dir, 'from-view.json'));
    const viewSaved = await run<SavedPlanOutcome>(C.save, shown.document, fromView);
    assert.deepEqual(viewSaved.saved.plan.steps, JSON.parse(JSON.stringify(shown.plan.steps)));

    // reviewed later, in another window maybe
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const reviewed = await run<SavedPlanOutcome>(C.review, dest);
    assert.equal(reviewed.saved.created_at, saved.saved.created_at);

    const from = sb.emulator.requests.length;
    const modals = api.testing.prompts.shown.filter((m) => m.modal).length;
    api.testing.prompts.script({ id: 'config.applySaved.confirm', answer: 'Sync' });
    const applied = await run<SavedApplyOutcome>(C.applySaved, dest);
    assert.ok(applied.result?.ok, applied.message);
    const asked = api.testing.prompts.shown.filter((m) => m.modal);
    assert.equal(asked.length, modals + 1, 'asked once');
    assert.match(asked.at(-1)!.message, /^Sync the saved plan saved\.sync-plan\.json to saved-plan-sandbox/);
    assert.match(asked.at(-1)!.detail ?? '', /x delete DCR provider "Saved Old"/);
    assert.match(applied.message, /Synced: 1 created, 1 updated, 1 deleted/);
    assert.deepEqual(writes(from).sort(), [
      'DELETE /v2/dcr-providers/:id',
      'PATCH /v2/dcr-providers/:id',
      'POST /v2/dcr-providers',
    ]);
    const stored = [...sb.emulator.store.providers.values()].filter((p) => p.name.startsWith('Saved '));
    assert.deepEqual(stored.map((p) => p.name).sort(), ['Saved Keep', 'Saved New']);
    assert.equal(stored.find((p) => p.name === 'Saved New')?.secrets.dcr_token, token, 'resolved at apply time');
    assert.equal(api.testing.prompts.clearScript(), 0);
  });

  it('Apply Saved Plan… refuses a plan whose base changed, says what changed, and sends nothing', async () => {
    const uri = write(
      'konnect-dcr.saved-stale.yaml',
      NS +
        'dcr_providers:\n' +
        provider('keep', 'Saved Keep', '    display_name: Kept again\n') +
        provider('new', 'Saved New'),
    );
    const dest = vscode.Uri.file(path.join(dir, 'stale.apply-plan.json'));
    const saved = await run<SavedPlanOutcome>(C.save, uri, dest, 'apply');
    assert.equal(saved.saved.plan.counts.update, 1);
    const keep = (await sb.client.dcrProviders.listAll()).find((p) => p.name === 'Saved Keep')!;
    await sb.client.dcrProviders.update(keep.id, { issuer: 'https://other.okta.com/oauth2/default' });

    const from = sb.emulator.requests.length;
    api.testing.prompts.script({ id: 'config.applySaved.confirm', answer: 'Apply' });
    const refused = await run<SavedApplyOutcome>(C.applySaved, dest);
    assert.equal(refused.result, undefined);
    assert.deepEqual(writes(from), [], 'nothing sent');
    assert.match(
      refused.message,
      new RegExp(
        `nothing was applied: Konnect changed since the plan stale\\.apply-plan\\.json was made\\. ~ DCR provider "Saved Keep" \\(${keep.id}\\): changed in Konnect since the plan was made \\(issuer`,
      ),
    );
    // the review shows why (the document provider's change reaches the open document a moment later)
    await waitFor('the review to say why nothing was applied', () =>
      /# Not applied: Konnect changed since the plan was made\n# ~ DCR provider "Saved Keep"/.test(
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === refused.document.toString())?.getText() ?? '',
      ),
    );
    assert.equal(api.testing.prompts.clearScript(), 0);
  });
});
