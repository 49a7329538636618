import * as vscode from 'vscode';
import { detailsUri, refOfNode, type ResourceRef } from '../details/details';
import { isResourceNode, resourceOf, type FoundResource, type NodeOf, type ResourceNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { pickResource } from './find';

function refOfFound(f: FoundResource): ResourceRef {
  return { kind: f.kind, id: f.id, name: f.name, authServerId: 'authServerId' in f ? f.authServerId : undefined };
}

/** The resource a command acts on: the clicked node, or (from the palette) one picked by name or id. */
async function resolve(
  ctx: CommandContext,
  arg: unknown,
  kinds?: readonly FoundResource['kind'][],
  title?: string,
): Promise<ResourceRef | undefined> {
  if (isResourceNode(arg)) return refOfNode(arg);
  const found = await pickResource(ctx, typeof arg === 'string' ? arg : undefined, kinds, title);
  return found && refOfFound(found);
}

function requireNode(arg: unknown, command: string): ResourceNode {
  if (!isResourceNode(arg)) throw new TypeError(`${command} runs on a Konnect DCR tree item`);
  return arg;
}

/** "Copy ID" (tree only). Returns the id. */
export async function copyId(_ctx: CommandContext, arg?: unknown): Promise<string> {
  const node = requireNode(arg, 'Copy ID');
  const r = resourceOf(node);
  await vscode.env.clipboard.writeText(r.id);
  vscode.window.setStatusBarMessage(vscode.l10n.t('$(copy) Copied the id of {0} "{1}"', r.what, r.name), 4000);
  return r.id;
}

/** "Copy as kongctl YAML" (tree only). Returns the YAML. */
export async function copyYaml(ctx: CommandContext, arg?: unknown): Promise<string> {
  const node = requireNode(arg, 'Copy as kongctl YAML');
  const r = resourceOf(node);
  const text = await ctx.details.render(refOfNode(node));
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(vscode.l10n.t('$(copy) Copied {0} "{1}" as kongctl YAML', r.what, r.name), 4000);
  return text;
}

/** "Open Details": a read-only kongctl YAML document. From the palette, asks which resource. Returns its URI. */
export async function openDetails(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const ref = await resolve(ctx, arg, undefined, 'Open the details of…');
  if (!ref) return undefined;
  const uri = detailsUri(ref);
  let doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== 'yaml') doc = await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  await vscode.window.showTextDocument(doc, { preview: true });
  return uri.toString();
}

/** "Reveal DCR Provider": from a strategy (or its provider line) to the provider in the DCR Providers view. */
export async function revealProvider(ctx: CommandContext, arg?: unknown): Promise<ResourceNode | undefined> {
  const node = arg as NodeOf<'linkedProvider'> | NodeOf<'strategy'> | undefined;
  const summary =
    node && (node.kind === 'linkedProvider' || node.kind === 'strategy') ? node.strategy.dcr_provider : undefined;
  if (!summary) throw new TypeError('Reveal DCR Provider runs on an auth strategy that uses a DCR provider');
  const revealed = await ctx.trees.reveal({ kind: 'provider', id: summary.id, name: summary.name });
  if (!revealed)
    throw new Error(
      vscode.l10n.t(
        'The DCR provider "{0}" ({1}) is not in the loaded list: refresh the views.',
        summary.name,
        summary.id,
      ),
    );
  return revealed;
}
