import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KonnectClient } from '../../../src/core/api/index';
import type { KonnectDcrApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/ui/tree/nodes';
import type { ResourceTree } from '../../../src/ui/tree/trees';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { konnectClientFor } from '../../../sandbox/scenarios';
import { rememberSecret } from './secrets';

export const EXTENSION_ID = 'konnect-dcr.konnect-dcr';
/** The extension's API with its test hooks (present because the tests run it in test mode). */
export type Api = KonnectDcrApi & { readonly testing: NonNullable<KonnectDcrApi['testing']> };

export async function extensionApi(): Promise<Api> {
  const ext = vscode.extensions.getExtension<KonnectDcrApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is loaded`);
  const api = await ext.activate();
  assert.ok(api.testing, 'the test hooks exist (the tests run the extension in test mode)');
  return api as Api;
}

/** Poll `cond` until it returns a truthy value (never a fixed sleep). */
export async function waitFor<T>(
  what: string,
  cond: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Sign out of every connection and drop unused scripted answers: each suite starts signed out. */
export async function signOutAll(api: Api): Promise<void> {
  api.testing.prompts.clearScript();
  for (const c of api.testing.connections.list()) await vscode.commands.executeCommand('konnectDcr.signOut', c.name);
  assert.deepEqual(api.testing.connections.list(), []);
}

export function labelOf(item: vscode.TreeItem): string {
  const l = item.label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

export interface Shown {
  readonly label: string;
  readonly description: string;
  readonly contextValue: string;
  readonly node: TreeNode;
  readonly item: vscode.TreeItem;
  readonly children?: Shown[];
}

/** What a view shows, `depth` levels down (0: only these nodes), through the registered provider. */
export async function shown(tree: ResourceTree, parent?: TreeNode, depth = 0): Promise<Shown[]> {
  const out: Shown[] = [];
  for (const node of await tree.getChildren(parent)) {
    // resolved, as a hover has it: the tooltip comes from resolveTreeItem
    const item = tree.resolveTreeItem(tree.getTreeItem(node), node);
    const s: Shown = {
      label: labelOf(item),
      description: typeof item.description === 'string' ? item.description : '',
      contextValue: item.contextValue ?? '',
      node,
      item,
      ...(depth > 0 && item.collapsibleState !== vscode.TreeItemCollapsibleState.None
        ? { children: await shown(tree, node, depth - 1) }
        : {}),
    };
    out.push(s);
  }
  return out;
}

export function find(nodes: readonly Shown[], label: string): Shown {
  const n = nodes.find((x) => x.label === label);
  assert.ok(n, `"${label}" among ${nodes.map((x) => x.label).join(', ')}`);
  return n;
}

/** The tooltip as text (MarkdownString escapes undone). */
export function tooltipText(item: vscode.TreeItem): string {
  const t = item.tooltip;
  return (typeof t === 'string' ? t : (t?.value ?? '')).replace(/\\([\\`*_{}[\]()#+\-.!<>|])/g, '$1');
}

/** Run a command the way a menu does and return what its handler returned. */
export function run<T = unknown>(command: string, ...args: unknown[]): Promise<T> {
  return vscode.commands.executeCommand<T>(command, ...args) as Promise<T>;
}

/**
 * A fresh sandbox (its token and developer password remembered for the secret scans) with the extension signed in
 * to it through the sign-in command as connection `name`, and the tests' own core client on it.
 */
export async function startSignedIn(name: string): Promise<{ sb: Sandbox; konnect: KonnectClient }> {
  const sb = await startSandbox();
  rememberSecret(sb.state.token);
  rememberSecret(sb.state.developer.password);
  const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
    name,
    baseUrl: sb.state.konnectUrl,
    token: sb.state.token,
  });
  assert.equal(r.ok, true, r.message);
  return { sb, konnect: konnectClientFor(sb) };
}
