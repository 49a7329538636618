/**
 * The manifest is localizable: every string VS Code shows from package.json is a `%key%` placeholder whose English
 * text is in package.nls.json (VS Code swaps in package.nls.<locale>.json when there is one for the display
 * language; vsce resolves the same keys for the VSIX's gallery manifest and refuses to pack an undefined one).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/fixtures';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/**
 * The manifest paths whose strings a user sees (`*` is any key or array index). Not listed, on purpose: ids, `when`
 * clauses, icons, globs, defaults, keybindings (keys only), menu groups, and `languages[].aliases` (language names,
 * such as HTTP, that VS Code matches as typed).
 */
const USER_VISIBLE_PATHS = [
  'displayName',
  'description',
  'capabilities.untrustedWorkspaces.description',
  'capabilities.virtualWorkspaces.description',
  'contributes.viewsContainers.*.*.title',
  'contributes.views.*.*.name',
  'contributes.views.*.*.contextualTitle',
  'contributes.viewsWelcome.*.contents',
  'contributes.authentication.*.label',
  'contributes.commands.*.title',
  'contributes.commands.*.shortTitle',
  'contributes.commands.*.category',
  'contributes.submenus.*.label',
  'contributes.configuration.title',
  'contributes.configuration.properties.*.description',
  'contributes.configuration.properties.*.markdownDescription',
  'contributes.configuration.properties.*.enumDescriptions.*',
  'contributes.configuration.properties.*.markdownEnumDescriptions.*',
  'contributes.configuration.properties.*.deprecationMessage',
  'contributes.configuration.properties.*.markdownDeprecationMessage',
  // `configuration` may also be an array of sections.
  'contributes.configuration.*.title',
  'contributes.configuration.*.properties.*.description',
  'contributes.configuration.*.properties.*.markdownDescription',
  'contributes.configuration.*.properties.*.enumDescriptions.*',
  'contributes.configuration.*.properties.*.markdownEnumDescriptions.*',
  'contributes.configuration.*.properties.*.deprecationMessage',
  'contributes.configuration.*.properties.*.markdownDeprecationMessage',
  'contributes.walkthroughs.*.title',
  'contributes.walkthroughs.*.description',
  'contributes.walkthroughs.*.steps.*.title',
  'contributes.walkthroughs.*.steps.*.description',
  'contributes.walkthroughs.*.steps.*.media.altText',
  'contributes.languageModelTools.*.displayName',
  'contributes.languageModelTools.*.userDescription',
  'contributes.chatParticipants.*.fullName',
  'contributes.chatParticipants.*.description',
  'contributes.chatParticipants.*.commands.*.description',
  'contributes.taskDefinitions.*.properties.*.description',
] as const;

/** A placeholder both VS Code and vsce resolve: the whole string is `%key%`, the key letters, digits, `_` and `.`. */
const PLACEHOLDER = /^%([\w.]+)%$/;

function leaves(value: Json, path: string[] = []): { path: string[]; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
}

function matches(pattern: string, path: string[]): boolean {
  const parts = pattern.split('.');
  return parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i]);
}

describe('manifest localization (package.nls.json)', () => {
  const root = repoRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Json;
  const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, unknown>;
  const all = leaves(pkg);
  const visible = all.filter((l) => USER_VISIBLE_PATHS.some((p) => matches(p, l.path)));

  it('checks the strings a user sees: titles, names, welcome contents, settings, the auth label, capabilities', () => {
    const seen = new Set(visible.map((l) => l.path.join('.')));
    for (const p of [
      'displayName',
      'capabilities.untrustedWorkspaces.description',
      'contributes.viewsContainers.activitybar.0.title',
      'contributes.views.konnectDcr.0.name',
      'contributes.viewsWelcome.0.contents',
      'contributes.authentication.0.label',
      'contributes.commands.0.title',
      'contributes.commands.0.category',
      'contributes.configuration.title',
      'contributes.configuration.properties.konnectDcr.proxy.description',
    ])
      assert.ok(seen.has(p), `${p} is among the checked paths`);
    assert.ok(visible.length >= 70, `${visible.length} user-visible strings`);
  });

  it('no user-visible manifest string is a literal: each is a %key%', () => {
    const literal = visible.filter((l) => !PLACEHOLDER.test(l.value)).map((l) => `${l.path.join('.')}: ${l.value}`);
    assert.deepEqual(literal, []);
  });

  it('every %key% in package.json is defined in package.nls.json, as a non-empty string', () => {
    const undefinedKeys = all
      .map((l) => PLACEHOLDER.exec(l.value)?.[1])
      .filter((k): k is string => k !== undefined && !(typeof nls[k] === 'string' && (nls[k] as string).trim() !== ''));
    assert.deepEqual(undefinedKeys, []);
  });

  it('every package.nls.json key is used by package.json', () => {
    const used = new Set(all.map((l) => PLACEHOLDER.exec(l.value)?.[1]).filter(Boolean));
    assert.deepEqual(
      Object.keys(nls).filter((k) => !used.has(k)),
      [],
    );
  });

  it('no string merely looks like a placeholder (a % key VS Code would show as typed)', () => {
    const broken = all
      .filter((l) => /^%.*%$/.test(l.value) && !PLACEHOLDER.test(l.value))
      .map((l) => `${l.path.join('.')}: ${l.value}`);
    assert.deepEqual(broken, []);
  });
});
