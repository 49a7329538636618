// Localization as VS Code applies it: the manifest's %key% placeholders come out of the extension host already
// resolved from package.nls.json (command titles and categories, view and container names, welcome contents,
// settings), so the palette, the views and the Settings editor show English text, never a key. And the runtime
// strings (vscode.l10n.t in src/ui) reach the user as English sentences with their placeholders filled.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi, signOutAll, type Api } from './support/helpers';

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

describe('l10n: runtime messages reach the user in English, their placeholders filled', () => {
  let api: Api;
  const bundle = (): Record<string, string> =>
    JSON.parse(
      fs.readFileSync(
        path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'l10n', 'bundle.l10n.json'),
        'utf8',
      ),
    ) as Record<string, string>;
  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
  });

  it('the display language is English, so VS Code formats the messages of the code (no bundle is read)', () => {
    assert.equal(vscode.env.language, 'en');
  });

  it('a refused command: "Konnect DCR: {0}" around "No connection named "{0}"." shows as one English sentence', async () => {
    const before = api.testing.prompts.shown.length;
    await vscode.commands.executeCommand('konnectDcr.switchConnection', 'l10n-nowhere');
    const shown = api.testing.prompts.shown.slice(before);
    assert.equal(shown.length, 1, JSON.stringify(shown));
    const b = bundle();
    const outer = b['Konnect DCR: {0}'];
    const inner = b['No connection named "{0}".'];
    assert.ok(outer && inner, 'both messages are keys of l10n/bundle.l10n.json');
    assert.equal(shown[0]!.message, outer.replace('{0}', inner.replace('{0}', 'l10n-nowhere')));
    assert.equal(shown[0]!.message, 'Konnect DCR: No connection named "l10n-nowhere".');
    assert.equal(shown[0]!.severity, 'error');
    assert.deepEqual(shown[0]!.items, [b['Show Log']]);
    assert.deepEqual(shown[0]!.items, ['Show Log']);
  });

  it('signed out, Sign Out says so in its English text', async () => {
    const before = api.testing.prompts.shown.length;
    await vscode.commands.executeCommand('konnectDcr.signOut');
    assert.deepEqual(
      api.testing.prompts.shown.slice(before).map((m) => m.message),
      [bundle()['Konnect DCR: not signed in.']],
    );
    assert.equal(api.testing.prompts.shown.at(-1)!.message, 'Konnect DCR: not signed in.');
  });
});
