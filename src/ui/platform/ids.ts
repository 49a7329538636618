/** Every id the manifest and the code share. test/integration/manifest.test.ts checks package.json against these. */
export const EXTENSION_ID = 'konnect-dcr.konnect-dcr';
/** The authentication provider (`contributes.authentication`) whose sessions are the signed-in connections. */
export const AUTH_PROVIDER_ID = 'konnectDcr';

export const Commands = {
  showLog: 'konnectDcr.showLog',
  signIn: 'konnectDcr.signIn',
  signOut: 'konnectDcr.signOut',
  switchConnection: 'konnectDcr.switchConnection',
  refresh: 'konnectDcr.refresh',
  cancelRefresh: 'konnectDcr.cancelRefresh',
  find: 'konnectDcr.find',
  openDetails: 'konnectDcr.openDetails',
  copyId: 'konnectDcr.copyId',
  copyYaml: 'konnectDcr.copyYaml',
  verifyProvider: 'konnectDcr.verifyProvider',
  delete: 'konnectDcr.delete',
  revealProvider: 'konnectDcr.revealProvider',
  loadMore: 'konnectDcr.loadMore',
  newProvider: 'konnectDcr.newProvider',
  editProvider: 'konnectDcr.editProvider',
  newStrategy: 'konnectDcr.newStrategy',
  editStrategy: 'konnectDcr.editStrategy',
  openFormFromYaml: 'konnectDcr.openFormFromYaml',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Commands that only make sense on a tree item: hidden from the palette (`"when": "never"`). */
export const TREE_ONLY_COMMANDS: readonly CommandId[] = [
  Commands.copyId,
  Commands.copyYaml,
  Commands.delete,
  Commands.revealProvider,
  Commands.loadMore,
];

export const Views = {
  container: 'konnectDcr',
  providers: 'konnectDcr.providers',
  strategies: 'konnectDcr.strategies',
  identity: 'konnectDcr.identity',
} as const;
export type ViewId = (typeof Views)[Exclude<keyof typeof Views, 'container'>];

export const ContextKeys = {
  /** An active connection with a stored token exists. Gates the welcome views. */
  signedIn: 'konnectDcr.signedIn',
  /** A refresh is running (shows "Cancel Refresh" in the view titles). */
  loading: 'konnectDcr.loading',
  /** More than one connection is stored. */
  multipleConnections: 'konnectDcr.multipleConnections',
} as const;

/** The scheme of the read-only details documents (kongctl YAML). */
export const DETAILS_SCHEME = 'konnect-dcr';

/** Where the sandbox (sandbox) writes `{ konnectUrl, token, … }` for the extension to pick up. */
export const SANDBOX_STATE_ENV = 'KONNECT_DCR_SANDBOX_STATE';
export const SANDBOX_CONNECTION = 'sandbox';
