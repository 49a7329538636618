// Localization as VS Code applies it: the manifest's %key% placeholders come out of the extension host already
// resolved from package.nls.json (command titles and categories, view and container names, welcome contents,
// settings), so the palette, the views and the Settings editor show English text, never a key.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './support/helpers';

interface Contributes {
  commands: { command: string; title: string; category?: string }[];
  views: Record<string, { id: string; name: string }[]>;
  viewsContainers: { activitybar: { id: string; title: string }[] };
  viewsWelcome: { view: string; contents: string }[];
  configuration: { title: string; properties: Record<string, { description?: string; markdownDescription?: string }> };
}

describe('l10n: the manifest as the extension host resolves it', () => {
  const ext = (): vscode.Extension<unknown> => vscode.extensions.getExtension(EXTENSION_ID)!;
  const nls = (): Record<string, string> =>
    JSON.parse(fs.readFileSync(path.join(ext().extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const raw = (): { contributes: Contributes } =>
    JSON.parse(fs.readFileSync(path.join(ext().extensionPath, 'package.json'), 'utf8')) as { contributes: Contributes };

  it('no %key% reaches VS Code: every string of the loaded manifest is resolved', () => {
    const keys = JSON.stringify(ext().packageJSON).match(/"%[\w.]+%"/g) ?? [];
    assert.deepEqual(keys, []);
    assert.equal((ext().packageJSON as { displayName: string }).displayName, 'Konnect DCR');
  });

  it('command titles and categories are the English texts of package.nls.json', () => {
    const text = nls();
    const loaded = (ext().packageJSON as { contributes: Contributes }).contributes.commands;
    const declared = raw().contributes.commands;
    assert.equal(loaded.length, declared.length);
    for (const [i, c] of declared.entries()) {
      const key = /^%([\w.]+)%$/.exec(c.title)?.[1];
      assert.ok(key, `${c.command}'s title is a placeholder in package.json`);
      assert.equal(loaded[i]!.title, text[key], c.command);
      assert.equal(loaded[i]!.category, 'Konnect DCR', c.command);
    }
    const signIn = loaded.find((c) => c.command === 'konnectDcr.signIn')!;
    assert.equal(`${signIn.category}: ${signIn.title}`, 'Konnect DCR: Sign In to Konnect…');
  });

  it('view names, the container title, the welcome and the settings are resolved', () => {
    const c = (ext().packageJSON as { contributes: Contributes }).contributes;
    assert.deepEqual(
      c.views['konnectDcr']!.map((v) => v.name),
      ['DCR Providers', 'Auth Strategies', 'Kong Identity', 'Portals'],
    );
    assert.equal(c.viewsContainers.activitybar[0]!.title, 'Konnect DCR');
    assert.match(c.viewsWelcome[0]!.contents, /^Konnect DCR is not connected to Konnect yet\./);
    assert.equal(c.configuration.title, 'Konnect DCR');
    assert.match(c.configuration.properties['konnectDcr.proxy']!.description!, /^HTTP\(S\) proxy URL/);
  });
});
