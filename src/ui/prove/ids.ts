/** "Prove DCR": command ids, settings and storage keys (the manifest and the tests use the same constants). */
export const ProveCommands = {
  /** On a strategy (tree node, strategy object, id or name) or a `ProveOptions` object; returns the report (no secrets). */
  prove: 'konnectDcr.prove',
  /** Shows the last report again; returns its view model. */
  showLast: 'konnectDcr.prove.showLast',
  /** Forgets the stored test developer of the active connection (asked again next time). */
  forgetDeveloper: 'konnectDcr.prove.forgetDeveloper',
} as const;
export type ProveCommandId = (typeof ProveCommands)[keyof typeof ProveCommands];

/** Settings under `konnectDcr.prove.*`. */
export const ProveSettings = {
  section: 'konnectDcr.prove',
  /** Base URL of the gateway's proxy; empty: asked once per API. */
  gatewayUrl: 'gatewayUrl',
  /** The route path under it; `{slug}` is the API's slug. */
  routePath: 'routePath',
  /** Portal id → the portal's URL (a custom domain, or a portal Konnect DCR cannot guess). */
  portalUrls: 'portalUrls',
  keepTestApplication: 'keepTestApplication',
} as const;

/** SecretStorage: the test developer (`{username, password}` JSON) per connection. */
export const DEVELOPER_SECRET_PREFIX = 'konnectDcr.prove.developer/';
/** globalState: the route URL the user gave per connection and API (`<connection>/<apiId>` → URL). */
export const ROUTES_KEY = 'konnectDcr.prove.routes';
