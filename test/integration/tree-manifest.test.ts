// The manifest side of the trees: tree-only commands are hidden from the palette, the welcome views are gated on the
// signed-in context key, and menus only use contributed commands and contextValue tokens the trees set.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, ContextKeys, TREE_ONLY_COMMANDS, Views } from '../../src/ui/platform/ids';
import { PORTAL_TREE_ONLY, PORTALS_VIEW, PortalCommands, PortalCtx } from '../../src/ui/portals/ids';
import { Ctx } from '../../src/ui/tree/items';
import { EXTENSION_ID } from './support/helpers';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
interface Manifest {
  commands: { command: string; title: string }[];
  menus: Record<string, MenuItem[]>;
  viewsWelcome: { view: string; contents: string; when: string }[];
}

describe('tree manifest', () => {
  const pkg = (): Manifest => vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes as Manifest;

  it('contributes every tree command, and hides the tree-only ones from the palette ("when": "never")', () => {
    const contributed = new Set(pkg().commands.map((c) => c.command));
    for (const id of Object.values(Commands)) assert.ok(contributed.has(id), `${id} is contributed`);
    const palette = pkg().menus['commandPalette'] ?? [];
    for (const id of Object.values(PortalCommands)) assert.ok(contributed.has(id), `${id} is contributed`);
    for (const id of [...TREE_ONLY_COMMANDS, ...PORTAL_TREE_ONLY])
      assert.deepEqual(
        palette.filter((m) => m.command === id).map((m) => m.when),
        ['never'],
        id,
      );
    for (const id of [Commands.signIn, Commands.showLog])
      assert.ok(!palette.some((m) => m.command === id && m.when === 'never'), `${id} stays in the palette`);
  });

  it('shows a sign-in welcome in each of the four views, only while signed out', () => {
    const welcome = pkg().viewsWelcome;
    for (const view of [Views.providers, Views.strategies, Views.identity, PORTALS_VIEW]) {
      const w = welcome.find((x) => x.view === view);
      assert.ok(w, `${view} has a welcome`);
      assert.equal(w.when, `!${ContextKeys.signedIn}`);
      assert.ok(w.contents.includes(`(command:${Commands.signIn})`), `${view}'s welcome has the Sign In button`);
    }
  });

  it('item menus use contributed commands and the contextValue tokens the trees set', () => {
    const contributed = new Set(pkg().commands.map((c) => c.command));
    const tokens = new Set<string>(Object.values(Ctx));
    const items = (pkg().menus['view/item/context'] ?? []).filter(
      (m) => m.command.startsWith('konnectDcr.') && /viewItem =~/.test(m.when ?? ''),
    );
    assert.ok(items.length >= 8);
    for (const m of items) {
      assert.ok(contributed.has(m.command), `${m.command} is contributed`);
      const token = /\(\^\|;\)(\w+)\(;\|\$\)/.exec(m.when ?? '')?.[1];
      if (Object.values(Commands).includes(m.command as never))
        assert.ok(token && tokens.has(token), `${m.command}: "${m.when}" matches a token the trees set`);
      if (Object.values(PortalCommands).includes(m.command as never))
        assert.ok(
          token && (Object.values(PortalCtx) as string[]).includes(token),
          `${m.command}: "${m.when}" matches a token the Portals view sets`,
        );
    }
  });
});
