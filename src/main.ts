import * as vscode from 'vscode';
import { Redactor } from './core/util/redact';
import type { KonnectAuthProvider } from './ui/auth/accounts';
import type { ConnectionStore } from './ui/auth/connections';
import { type ShellHost, useShellHost } from './ui/platform/host';
import { importSandboxState, type SandboxImport } from './ui/auth/sandboxState';
import { Session } from './ui/auth/session';
import { registerIdentity } from './ui/commands/identity';
import { registerCommands, type CommandContext } from './ui/commands/index';
import { registerProve } from './ui/commands/prove';
import { registerDoctor } from './ui/commands/doctor';
import { createPortals, type Portals } from './ui/portals/index';
import { registerConfig } from './ui/config/index';
import { DetailsDocuments, DetailsRenderer } from './ui/details/details';
import { Views, type ViewId } from './ui/platform/ids';
import { ChannelLogger, LogTail } from './ui/platform/logger';
import { Prompts } from './ui/platform/prompts';
import { registerRunner } from './ui/runner/index';
import type { RunnerController } from './ui/runner/controller';
import type { ProveController } from './ui/prove/controller';
import { TestsController } from './ui/testing/controller';
import { registerTools, type ToolName } from './ui/tools/tools';
import { KonnectModel } from './ui/tree/model';
import type { TreeNode } from './ui/tree/nodes';
import { Trees, type ResourceTree } from './ui/tree/trees';
import { WalkthroughState } from './ui/walkthroughs/state';

/** Timings of one full load of the catalog into the trees (the bench's "2,000 providers + 2,000 strategies" figure). */
export interface TreeLoadMeasurement {
  /** From refresh to every provider and strategy node built and turned into a TreeItem, in ms. */
  readonly ms: number;
  /** The model's share: page requests, parsing, indexing. */
  readonly loadMs: number;
  /** From refresh to the first screen of both views (the first page of each list) turned into TreeItems, in ms. */
  readonly firstScreenMs: number;
  /** Root nodes of the strategies view on that first screen. */
  readonly firstScreenNodes: number;
  readonly providers: number;
  readonly strategies: number;
  /** TreeItems built while walking the providers view (groups, providers, strategies under them) and the strategies view. */
  readonly treeItems: number;
  readonly heapUsedBeforeMB: number;
  readonly heapUsedAfterMB: number;
}

/**
 * What activate() returns: used by the integration tests and the benchmark, not a public API. `testing` reaches the
 * stored connections (and so the tokens) and can answer prompts: it exists only when VS Code runs the extension in
 * development or test mode, never for an installed extension, where any other extension could read it.
 */
export interface KonnectDcrApi {
  readonly activatedAt: number;
  readonly testing: TestingApi | undefined;
}

export interface TestingApi {
  readonly trees: {
    readonly providers: ResourceTree;
    readonly strategies: ResourceTree;
    readonly identity: ResourceTree;
  };
  readonly views: Readonly<Record<ViewId, vscode.TreeView<TreeNode>>>;
  readonly model: KonnectModel;
  readonly connections: ConnectionStore;
  /** The registered authentication provider: what the Accounts menu calls (its Sign Out asks in a dialog first). */
  readonly accounts: KonnectAuthProvider;
  readonly prompts: Prompts;
  /** The last lines written to the log channel (already redacted). */
  readonly logTail: LogTail;
  readonly globalState: vscode.Memento;
  readonly globalStorageUri: vscode.Uri;
  readonly logUri: vscode.Uri;
  /**
   * The context keys the extension set, as last set (VS Code cannot read one back): the shell's (signed in, …) and the
   * walkthroughs' (`konnectDcr.dcr.<type>.provider`, …).
   */
  contextKeys(): Record<string, unknown>;
  /** Settles when the activation-time $KONNECT_DCR_SANDBOX_STATE import is done. */
  readonly sandboxImport: Promise<SandboxImport>;
  importSandboxState(file?: string): Promise<SandboxImport>;
  /** The Testing view: the shell's controller and run profile, and main's side (its outcomes per run). */
  readonly tests: { controller: vscode.TestController; profile: vscode.TestRunProfile; backend: TestsController };
  /** The language-model tools' implementations, for a host whose `lm.invokeTool` cannot be answered (a confirmation). */
  readonly tools: Readonly<Record<ToolName, vscode.LanguageModelTool<object>>>;
  /** The Portals view: its admin model, tree and TreeView. */
  readonly portals: Pick<Portals, 'model' | 'tree' | 'view'>;
  /** Reload the catalog of the active connection and walk both catalog trees; for `npm run bench`. */
  measureTreeLoad(): Promise<TreeLoadMeasurement>;
}

/**
 * The composition root of the lazily loaded main part (dist/main.js): builds the adapters and plugs them into what
 * the activation shell (src/extension.ts) already registered: command ids, tree views, connections, status bar.
 * Runs on the first command, the first view that needs children, or the first request/config file opened.
 */
export function start(context: vscode.ExtensionContext, host: ShellHost): KonnectDcrApi['testing'] {
  useShellHost(host);
  const channel = vscode.window.createOutputChannel('Konnect DCR', { log: true });
  const redactor = new Redactor();
  const logTail = new LogTail();
  const log = new ChannelLogger(channel, redactor, 'ext', logTail);
  const prompts = new Prompts(redactor);
  const connections = host.connections;
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  const session = new Session(connections, log, redactor, `konnect-dcr-vscode/${version}`);
  const model = new KonnectModel(session, log.child('model'));
  const trees = new Trees(model, connections);
  const details = new DetailsRenderer(model, session);
  const walkthroughs = new WalkthroughState(model, session, connections);
  const ctx: CommandContext = {
    log,
    channel,
    prompts,
    connections,
    session,
    model,
    trees,
    details,
    extensionUri: context.extensionUri,
    secrets: context.secrets,
    globalState: context.globalState,
    redactor,
    walkthroughs,
  };
  let runner: (() => Promise<RunnerController>) | undefined;
  let prove: (() => Promise<ProveController>) | undefined;
  const lazy = {
    runner: (): Promise<RunnerController> => runner!(),
    prove: (): Promise<ProveController> => prove!(),
  };
  const tests = host.bindTests(
    (controller) =>
      new TestsController({ controller, connections, model, prompts, redactor, log: log.child('tests'), ...lazy }),
  );
  const portals = createPortals(ctx);
  const tools = registerTools((name, tool) => host.bindTool(name, tool), { model, redactor, ...lazy });
  context.subscriptions.push(
    walkthroughs,
    channel,
    session,
    model,
    trees,
    new DetailsDocuments(details, model),
    ...registerCommands(ctx),
    ...registerRunner(context, { log, prompts, session, redactor, onController: (g) => (runner = g) }),
    ...registerProve(context, ctx, redactor, (g) => (prove = g)),
    ...registerDoctor(ctx),
    tests.backend,
    ...tools.disposables,
    ...registerIdentity(ctx),
    ...portals.disposables,
    ...registerConfig(context, { log, prompts, session, redactor }),
  );

  const sandboxImport = importSandboxState(connections, log);
  log.info(`activated (VS Code ${vscode.version})`);

  return context.extensionMode === vscode.ExtensionMode.Production
    ? undefined
    : {
        trees: { providers: trees.providers, strategies: trees.strategies, identity: trees.identity },
        views: trees.views,
        model,
        connections,
        prompts,
        logTail,
        accounts: host.accounts,
        contextKeys: () => ({ ...host.contextKeys(), ...walkthroughs.snapshot() }),
        globalState: context.globalState,
        globalStorageUri: context.globalStorageUri,
        logUri: context.logUri,
        sandboxImport,
        importSandboxState: (file?: string) => importSandboxState(connections, log, file),
        measureTreeLoad: () => measureTreeLoad(model, trees),
        tests,
        tools: tools.tools,
        portals: { model: portals.model, tree: portals.tree, view: portals.view },
      };
}

async function measureTreeLoad(model: KonnectModel, trees: Trees): Promise<TreeLoadMeasurement> {
  const mb = (): number => Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
  const heapUsedBeforeMB = mb();
  const t0 = performance.now();
  const loading = model.refresh(['catalog']);
  // what VS Code does when the refresh fires its change: ask both views for their roots, render them
  const [pRoots, sRoots] = await Promise.all([trees.providers.getChildren(), trees.strategies.getChildren()]);
  for (const n of [...pRoots, ...sRoots]) trees.providers.getTreeItem(n);
  const firstScreenMs = performance.now() - t0;
  await loading;
  let treeItems = 0;
  const walk = async (tree: ResourceTree, parent: TreeNode | undefined, depth: number): Promise<void> => {
    for (const child of await tree.getChildren(parent)) {
      tree.getTreeItem(child);
      treeItems++;
      if (depth > 0 && (child.kind === 'providerGroup' || child.kind === 'provider'))
        await walk(tree, child, depth - 1);
    }
  };
  await walk(trees.providers, undefined, 2);
  await walk(trees.strategies, undefined, 0);
  const ms = performance.now() - t0;
  const catalog = model.peekCatalog();
  if (!catalog?.complete) throw new Error('the catalog did not load (signed in?)');
  return {
    ms: Math.round(ms),
    loadMs: Math.round(catalog.ms),
    firstScreenMs: Math.round(firstScreenMs * 10) / 10,
    firstScreenNodes: sRoots.length,
    providers: catalog.providers.length,
    strategies: catalog.strategies.length,
    treeItems,
    heapUsedBeforeMB,
    heapUsedAfterMB: mb(),
  };
}

// Views is re-exported for the tests' convenience (view ids without string literals).
export { Views };
