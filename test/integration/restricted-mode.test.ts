// Restricted Mode (run with KDCR_UNTRUSTED=1: workspace trust on, the folder untrusted). Reading works: the config
// file's problems and the request file's CodeLens are there. Sending does not: Send, Send all, Plan and Apply refuse
// with a message saying why, the CodeLens offers no Send, and the restricted settings are not read from the workspace.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, run, waitFor, type Api } from './support/helpers';

describe('Restricted Mode: reading yes, sending no', () => {
  let api: Api;
  let ws: vscode.Uri;
  before(async () => {
    api = await extensionApi();
    ws = vscode.workspace.workspaceFolders![0]!.uri;
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of ['restricted.kongctl.yaml', 'restricted.http', 'restricted-tests.http'])
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(ws, f)).then(undefined, () => undefined);
  });

  it('the workspace is untrusted and the manifest says what is limited', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const pkg = vscode.extensions.getExtension('konnect-dcr.konnect-dcr')!.packageJSON as {
      capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
    };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const s of [
      'konnectDcr.proxy',
      'konnectDcr.caFile',
      'konnectDcr.prove.gatewayUrl',
      'konnectDcr.prove.portalUrls',
    ]) {
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(s), s);
    }
  });

  it('a config file gets its problems; Plan, Apply, Sync and Adopt refuse', async () => {
    const file = vscode.Uri.joinPath(ws, 'restricted.kongctl.yaml');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from('dcr_providers:\n  - ref: p\n    name: P\n    provider_type: nope\n'),
    );
    await vscode.window.showTextDocument(file);
    await waitFor('problems on the config file', () => vscode.languages.getDiagnostics(file).length > 0);
    for (const cmd of [
      'konnectDcr.config.plan',
      'konnectDcr.config.apply',
      'konnectDcr.config.sync',
      'konnectDcr.config.adopt',
    ]) {
      const r = await run<{ refused: boolean; message: string }>(cmd, file);
      assert.equal(r.refused, true, cmd);
      assert.match(r.message, /Restricted Mode.*untrusted workspace/);
    }
    assert.match(api.testing.prompts.shown.at(-1)!.message, /Restricted Mode/);
  });

  it('a request file gets CodeLens without Send; Send and Send all refuse', async () => {
    const file = vscode.Uri.joinPath(ws, 'restricted.http');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from('### one\nGET http://127.0.0.1:9/one\n\n### two\nGET http://127.0.0.1:9/two\n'),
    );
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor('CodeLens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
      return l.length ? l : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.every((t) => !/Send/.test(t) || /trust the workspace to send/.test(t)),
      titles.join(' | '),
    );
    assert.ok(
      titles.some((t) => /Restricted Mode/.test(t)),
      titles.join(' | '),
    );
    for (const [cmd, args] of [
      ['konnectDcr.runner.send', [file, 1]],
      ['konnectDcr.runner.sendAll', [file]],
    ] as const) {
      const r = await run<{ refused: boolean; message: string }>(cmd, ...args);
      assert.equal(r.refused, true, cmd);
    }
    assert.equal(path.basename(file.fsPath), 'restricted.http');
  });

  it('the Testing view lists a request file with expectations; running its requests refuses', async () => {
    const file = vscode.Uri.joinPath(ws, 'restricted-tests.http');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from('# @strategy orders\n\n### one\nGET http://127.0.0.1:9/one\n\n### two\nGET http://127.0.0.1:9/two\n'),
    );
    const { controller, profile, backend } = api.testing.tests;
    await controller.resolveHandler!(undefined);
    const item = await waitFor('the file item', () => controller.items.get(file.toString()));
    await controller.resolveHandler!(item);
    assert.equal(item.children.size, 2, 'reading works: both requests are listed');
    const n = backend.runs.length;
    const cts = new vscode.CancellationTokenSource();
    await profile.runHandler(new vscode.TestRunRequest([item]), cts.token);
    cts.dispose();
    const outcomes = backend.runs[n]!;
    assert.deepEqual(
      outcomes.map((o) => `${o.label}: ${o.outcome}`),
      ['one: errored', 'two: errored'],
    );
    for (const o of outcomes) assert.match(o.message ?? '', /Restricted Mode.*untrusted workspace/);
    assert.match(
      api.testing.prompts.shown.at(-1)!.message,
      /Running \.http requests as tests is turned off in Restricted Mode/,
    );
    await vscode.workspace.fs.delete(file);
  });
});
