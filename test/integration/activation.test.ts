import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'konnect-dcr.konnect-dcr';

describe('activation', () => {
  it('activates and returns its API', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(typeof (api as { activatedAt: unknown }).activatedAt, 'number');
  });

  it('contributes the Konnect DCR view container with its four views', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributes = ext.packageJSON.contributes as {
      viewsContainers: { activitybar: { id: string; title: string }[] };
      views: Record<string, { id: string }[]>;
    };
    assert.deepEqual(
      contributes.viewsContainers.activitybar.map((c) => [c.id, c.title]),
      [['konnectDcr', 'Konnect DCR']],
    );
    assert.deepEqual(
      contributes.views['konnectDcr']!.map((v) => v.id),
      ['konnectDcr.providers', 'konnectDcr.strategies', 'konnectDcr.identity', 'konnectDcr.portals'],
    );
  });

  it('registers every command the manifest contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const declared = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], 'every contributed command has a handler');
    assert.ok(declared.length > 0);
  });

  it('opens its view container through the workbench command VS Code derives from it', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.konnectDcr');
    await vscode.commands.executeCommand('konnectDcr.providers.focus');
  });

  it('ships its icon and the lazily loaded main bundle', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.ok(fs.existsSync(path.join(ext.extensionPath, 'media', 'konnect-dcr.svg')));
    assert.ok(fs.existsSync(path.join(ext.extensionPath, 'dist', 'main.js')));
  });
});
