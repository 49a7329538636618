/**
 * The activation shell (dist/extension.js). It stays tiny so that activation costs next to nothing: it registers
 * every contributed command id, the three tree views, the Testing view's controller and the language-model tools as
 * thin proxies, keeps the connection list behind the welcome views and the status bar, and loads the main part
 * (src/main.ts → dist/main.js, with zod, yaml, the Konnect client, trees, forms, runner, config, Prove DCR) on first
 * real use: a command, a view asking for children, a test item resolved or run, a tool invoked, a request or config
 * file opened, or a sandbox state to import. In development and test mode main is loaded at once so that
 * in-host tests can reach it through `api.testing`; the shell's proxies are used all the same.
 */
import * as vscode from 'vscode';
import type * as Main from './main';
import { KonnectAuthProvider } from './ui/auth/accounts';
import { ConnectionStore } from './ui/auth/connections';
import { ConnectionStatusBar } from './ui/auth/statusBar';
import { configGlobs, isConfigDocument } from './ui/config/files';
import { ContextKeys } from './ui/platform/ids';
import { REQUEST_SELECTOR } from './ui/runner/ids';
import type { ShellHost, TestsBackend } from './ui/platform/host';
import { TEST_CONTROLLER_ID, TEST_CONTROLLER_LABEL } from './ui/testing/ids';

export type { KonnectDcrApi, TestingApi, TreeLoadMeasurement } from './main';

type Handler = (...args: never[]) => unknown;
type AnyProvider = vscode.TreeDataProvider<unknown>;

interface Manifest {
  contributes?: {
    commands?: { command: string }[];
    views?: Record<string, { id: string }[]>;
    languageModelTools?: { name: string }[];
  };
}

/** A view's data provider until main backs it: the first getChildren loads main. */
class ViewProxy implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private target: AnyProvider | undefined;
  private targetSub: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly load: () => unknown) {}

  bind(target: AnyProvider): void {
    this.targetSub?.dispose();
    this.target = target;
    this.targetSub = target.onDidChangeTreeData?.((e) => this.changed.fire(e));
    this.changed.fire(undefined);
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    if (!this.target) throw new Error('tree item asked for before its view was backed');
    return this.target.getTreeItem(element);
  }

  getChildren(element?: unknown): vscode.ProviderResult<unknown[]> {
    if (!this.target) this.load();
    return this.target ? this.target.getChildren(element) : [];
  }

  getParent(element: unknown): vscode.ProviderResult<unknown> {
    return this.target?.getParent?.(element);
  }

  resolveTreeItem(
    item: vscode.TreeItem,
    element: unknown,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.TreeItem> {
    return this.target?.resolveTreeItem ? this.target.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.targetSub?.dispose();
    this.changed.dispose();
  }
}

/** Documents main acts on as soon as they open: request files (CodeLens) and workspace config files (problems). */
function needsMain(doc: vscode.TextDocument): boolean {
  return vscode.languages.match([...REQUEST_SELECTOR], doc) > 0 || isConfigDocument(doc);
}

export function activate(context: vscode.ExtensionContext): {
  activatedAt: number;
  testing: Main.KonnectDcrApi['testing'];
} {
  const manifest = context.extension.packageJSON as Manifest;
  const handlers = new Map<string, Handler>();
  const contributed = new Set((manifest.contributes?.commands ?? []).map((c) => c.command));
  const proxies = new Map<string, ViewProxy>();
  const views = new Map<string, vscode.TreeView<unknown>>();
  const connections = new ConnectionStore(context.globalState, context.secrets);
  const accounts = new KonnectAuthProvider(connections);

  let testing: Main.KonnectDcrApi['testing'];
  let loaded = false;
  let loadError: Error | undefined;
  const load = (): void => {
    // A main that failed to load (or to start) fails every later use with its own reason, not "no handler".
    if (loadError) throw loadError;
    if (loaded) return;
    loaded = true;
    try {
      // The one lazy-load idiom (README "Bundles"); the shell's build keeps './main' external: the sibling dist/main.js.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require('./main') as typeof Main;
      testing = main.start(context, host);
    } catch (err) {
      loadError = new Error(
        vscode.l10n.t('Konnect DCR could not start: {0}', err instanceof Error ? err.message : String(err)),
        {
          cause: err,
        },
      );
      void vscode.window.showErrorMessage(loadError.message);
      throw loadError;
    }
  };
  /** For loads nobody waits on (a document opened, activation): the failure is shown once by load(). */
  const tryLoad = (): void => {
    try {
      load();
    } catch {
      /* shown */
    }
  };

  const shellKeys: Record<string, unknown> = {};
  // The Testing view lists Konnect DCR before main is loaded; expanding or running an item loads it.
  let tests: TestsBackend | undefined;
  const testController = vscode.tests.createTestController(TEST_CONTROLLER_ID, TEST_CONTROLLER_LABEL);
  testController.resolveHandler = async (item) => {
    load();
    await tests?.resolve(item);
  };
  testController.refreshHandler = async () => {
    load();
    await tests?.refresh();
  };
  const runProfile = testController.createRunProfile(
    vscode.l10n.t('Run'),
    vscode.TestRunProfileKind.Run,
    async (request, token) => {
      load();
      await tests?.run(request, token);
    },
    true,
  );
  context.subscriptions.push(testController);

  // Language-model tools: each contributed name gets a proxy that loads main. lm.registerTool is in VS Code 1.100's API
  // (our minimum); the check keeps the shell working on a host that leaves it out (a fork without chat).
  const tools = new Map<string, vscode.LanguageModelTool<object>>();
  const tool = (name: string): vscode.LanguageModelTool<object> => {
    load();
    const t = tools.get(name);
    if (!t) throw new Error(`Konnect DCR: no handler for the tool ${name}`);
    return t;
  };
  if (typeof vscode.lm?.registerTool === 'function')
    for (const { name } of manifest.contributes?.languageModelTools ?? [])
      context.subscriptions.push(
        vscode.lm.registerTool<object>(name, {
          prepareInvocation: (options, token) => tool(name).prepareInvocation?.(options, token),
          invoke: (options, token) => tool(name).invoke(options, token),
        }),
      );

  const host: ShellHost = {
    connections,
    accounts,
    contextKeys: () => ({ ...shellKeys }),
    registerCommand(id, fn) {
      if (!contributed.has(id)) return vscode.commands.registerCommand(id, fn as (...args: unknown[]) => unknown);
      handlers.set(id, fn);
      return new vscode.Disposable(() => {
        if (handlers.get(id) === fn) handlers.delete(id);
      });
    },
    bindTreeView<T>(viewId: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
      const proxy = proxies.get(viewId),
        view = views.get(viewId);
      if (!proxy || !view) throw new Error(`${viewId} is not a view of this extension`);
      proxy.bind(provider as AnyProvider);
      return view as vscode.TreeView<T>;
    },
    bindTests(make) {
      const backend = make(testController);
      tests = backend;
      return { backend, controller: testController, profile: runProfile };
    },
    bindTool(name, impl) {
      tools.set(name, impl);
      return new vscode.Disposable(() => {
        if (tools.get(name) === impl) tools.delete(name);
      });
    },
  };

  for (const id of contributed) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        load();
        const fn = handlers.get(id);
        if (!fn) throw new Error(`Konnect DCR: no handler for ${id}`);
        return (fn as (...a: unknown[]) => unknown)(...args);
      }),
    );
  }
  for (const { id } of Object.values(manifest.contributes?.views ?? {}).flat()) {
    const proxy = new ViewProxy(load);
    const view = vscode.window.createTreeView(id, { treeDataProvider: proxy, showCollapseAll: true });
    proxies.set(id, proxy);
    views.set(id, view);
    context.subscriptions.push(proxy, view);
  }

  // The welcome views and the status bar need only the connection list: no main for them.
  const updateContextKeys = async (): Promise<void> => {
    const active = connections.active();
    const signedIn = !!active && (await connections.hasToken(active.name));
    const multiple = connections.list().length > 1;
    await vscode.commands.executeCommand('setContext', ContextKeys.signedIn, signedIn);
    await vscode.commands.executeCommand('setContext', ContextKeys.multipleConnections, multiple);
    shellKeys[ContextKeys.signedIn] = signedIn;
    shellKeys[ContextKeys.multipleConnections] = multiple;
  };
  // A keychain that cannot be read leaves the keys as they were until the next change; a command that needs the token
  // reports the keychain's error itself.
  const refreshContextKeys = (): void => {
    updateContextKeys().then(undefined, () => undefined);
  };
  context.subscriptions.push(
    connections,
    new ConnectionStatusBar(connections),
    accounts,
    connections.onDidChange(refreshContextKeys),
  );
  refreshContextKeys();

  const onDoc = (doc: vscode.TextDocument): void => {
    if (!loaded && needsMain(doc)) tryLoad();
  };
  const docSub = vscode.workspace.onDidOpenTextDocument(onDoc);
  context.subscriptions.push(docSub);
  vscode.workspace.textDocuments.forEach(onDoc);
  // Activated by `workspaceContains:` a config file: main's problems cover closed config files from start-up on
  // (README "Which files"), so a workspace that has one loads main without waiting for a file to be opened.
  if (!loaded && vscode.workspace.workspaceFolders?.length) {
    void Promise.all(configGlobs().map((glob) => vscode.workspace.findFiles(glob, '**/node_modules/**', 1))).then(
      (found) => {
        if (found.some((uris) => uris.length > 0)) tryLoad();
      },
      () => undefined,
    );
  }

  if (context.extensionMode !== vscode.ExtensionMode.Production || process.env['KONNECT_DCR_SANDBOX_STATE']) load();
  return { activatedAt: Date.now(), testing };
}

export function deactivate(): void {}
