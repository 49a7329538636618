/**
 * The form commands: "New DCR Provider…", "Edit DCR Provider…", "New Auth Strategy…", "Edit Auth Strategy…" and
 * "Open Entry in Form" (a kongctl YAML entry at a line). Each returns the form's handle (tests drive it without a
 * browser). The forms host (ui/webviews) is imported on first use, so activation does not load it.
 *
 * Arguments (all optional; without one the command asks):
 * - newProvider(arg?: { values?: Partial<ProviderFormValues> } | providerGroup node): a group node preselects its type
 * - editProvider(arg?: string (provider id) | provider node | linkedProvider node)
 * - newStrategy(arg?: string (DCR provider id) | provider node | { values?: Partial<StrategyFormValues> }): preselects the provider
 * - editStrategy(arg?: string (strategy id) | strategy / strategyField / linkedProvider node)
 * - openFormFromYaml(uri?: Uri | string, line?: number): default the active editor and its cursor line
 */
import * as vscode from 'vscode';
import type { ProviderFormValues, StrategyFormValues } from '../../shared/forms/protocol';
import { ConfigSecrets } from '../config/secrets';
import type { FormHandle } from '../webviews/index';
import type { CommandContext } from './context';
import { pickResource } from './find';

/** The form panels (and the payload and YAML builders behind them) load with the first form. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
const loadForms = (): typeof import('../webviews/index') => require('../webviews/index');

function services(ctx: CommandContext): import('../webviews/index').FormsServices {
  return {
    extensionUri: ctx.extensionUri,
    session: ctx.session,
    model: ctx.model,
    prompts: ctx.prompts,
    log: ctx.log.child('forms'),
    // the store Plan / Apply read `!secret {source: !env NAME}` from (SecretStorage first, then the environment)
    configSecrets: new ConfigSecrets(ctx.secrets, ctx.globalState, process.env, (v) => ctx.redactor.add(v)),
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The id inside a tree node of one of these kinds (`provider.id`, `strategy.id`, …). */
function nodeId(arg: unknown, kind: 'provider' | 'strategy'): string | undefined {
  if (!isObj(arg)) return undefined;
  switch (arg['kind']) {
    case 'provider':
      return kind === 'provider' && isObj(arg['provider']) ? str(arg['provider']['id']) : undefined;
    case 'strategy':
    case 'strategyField':
      return kind === 'strategy' && isObj(arg['strategy']) ? str(arg['strategy']['id']) : undefined;
    case 'linkedProvider':
      if (kind === 'provider') return str(arg['providerId']);
      return isObj(arg['strategy']) ? str(arg['strategy']['id']) : undefined;
    default:
      return undefined;
  }
}

function prefill<T>(arg: unknown): { values?: Partial<T> } {
  return isObj(arg) && isObj(arg['values']) ? { values: arg['values'] as Partial<T> } : {};
}

/** Loading the resource to edit: a short window-progress, no notification. */
function withOpening<T>(title: string, work: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, work);
}

export async function newProvider(ctx: CommandContext, arg?: unknown): Promise<FormHandle> {
  const m = loadForms();
  const start: { values?: Partial<ProviderFormValues> } = prefill<ProviderFormValues>(arg);
  if (isObj(arg) && arg['kind'] === 'providerGroup' && typeof arg['providerType'] === 'string') {
    start.values = { ...start.values, providerType: arg['providerType'] as ProviderFormValues['providerType'] };
  }
  return m.openProviderForm(services(ctx), start);
}

export async function editProvider(ctx: CommandContext, arg?: unknown): Promise<FormHandle | undefined> {
  let id = typeof arg === 'string' ? str(arg) : nodeId(arg, 'provider');
  if (!id) id = (await pickResource(ctx, undefined, ['provider'], vscode.l10n.t('Edit which DCR provider?')))?.id;
  if (!id) return undefined;
  const m = loadForms();
  const found = id;
  return withOpening(vscode.l10n.t('Konnect DCR: loading the DCR provider…'), () =>
    m.openProviderForm(services(ctx), { id: found }),
  );
}

export async function newStrategy(ctx: CommandContext, arg?: unknown): Promise<FormHandle> {
  const m = loadForms();
  const start: { values?: Partial<StrategyFormValues> } = prefill<StrategyFormValues>(arg);
  const providerId = typeof arg === 'string' ? str(arg) : nodeId(arg, 'provider');
  if (providerId) start.values = { ...start.values, strategyType: 'openid_connect', dcrProviderId: providerId };
  return m.openStrategyForm(services(ctx), start);
}

export async function editStrategy(ctx: CommandContext, arg?: unknown): Promise<FormHandle | undefined> {
  let id = typeof arg === 'string' ? str(arg) : nodeId(arg, 'strategy');
  if (!id) id = (await pickResource(ctx, undefined, ['strategy'], vscode.l10n.t('Edit which auth strategy?')))?.id;
  if (!id) return undefined;
  const m = loadForms();
  const found = id;
  return withOpening(vscode.l10n.t('Konnect DCR: loading the auth strategy…'), () =>
    m.openStrategyForm(services(ctx), { id: found }),
  );
}

/** The Uri a command argument names: a Uri, a `file:`/`untitled:` URI string, or a path. */
function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (isObj(arg) && typeof arg['scheme'] === 'string' && typeof arg['path'] === 'string')
    return vscode.Uri.from(arg as unknown as { scheme: string; path: string });
  const s = str(arg);
  if (!s) return undefined;
  return /^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z]:[\\/]/i.test(s) ? vscode.Uri.parse(s) : vscode.Uri.file(s);
}

/** "Open Entry in Form": the entry at `line` (0-based) of a kongctl YAML file; default: the cursor in the active editor. */
export async function openFormFromYaml(ctx: CommandContext, uriArg?: unknown, lineArg?: unknown): Promise<FormHandle> {
  const editor = vscode.window.activeTextEditor;
  const uri = uriOf(uriArg) ?? editor?.document.uri;
  if (!uri)
    throw new Error(
      vscode.l10n.t('Open a kongctl YAML file and put the cursor in a DCR provider or auth strategy entry.'),
    );
  const line =
    typeof lineArg === 'number' && Number.isInteger(lineArg) && lineArg >= 0
      ? lineArg
      : editor && editor.document.uri.toString() === uri.toString()
        ? editor.selection.active.line
        : 0;
  const m = loadForms();
  return m.openYamlForm(services(ctx), uri, line);
}
