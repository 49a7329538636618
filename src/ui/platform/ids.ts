/** Every id the manifest and the code share. test/unit/manifest.test.ts checks package.json against these. */
export const EXTENSION_ID = 'konnect-dcr.konnect-dcr';

export const Commands = {
  showLog: 'konnectDcr.showLog',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'konnectDcr',
  providers: 'konnectDcr.providers',
  strategies: 'konnectDcr.strategies',
  identity: 'konnectDcr.identity',
} as const;

export const ContextKeys = {
  signedIn: 'konnectDcr.signedIn',
} as const;
