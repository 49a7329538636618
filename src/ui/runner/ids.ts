/** The runner's command ids, context keys and storage keys (the manifest and the tests use the same constants). */
export const RunnerCommands = {
  send: 'konnectDcr.runner.send',
  sendAll: 'konnectDcr.runner.sendAll',
  cancel: 'konnectDcr.runner.cancel',
  explain: 'konnectDcr.runner.explain',
  copyAsCurl: 'konnectDcr.runner.copyAsCurl',
  copyAsCurlWithSecrets: 'konnectDcr.runner.copyAsCurlWithSecrets',
  copyAccessToken: 'konnectDcr.runner.copyAccessToken',
  showHistory: 'konnectDcr.runner.showHistory',
  /** Reopens the response view of the last run; returns `{ model, lineStatus }`. */
  showLastResponse: 'konnectDcr.runner.showLastResponse',
  clearHistory: 'konnectDcr.runner.clearHistory',
  selectEnvironment: 'konnectDcr.runner.selectEnvironment',
  forgetSecrets: 'konnectDcr.runner.forgetSecrets',
  /** On a strategy (tree node, strategy object, or id/name): writes a .http file with the token and gateway requests. */
  createValidationRequests: 'konnectDcr.runner.createValidationRequests',
} as const;
export type RunnerCommandId = (typeof RunnerCommands)[keyof typeof RunnerCommands];

export const RunnerContextKeys = {
  /** A request is being sent (the Cancel keybinding and lens). */
  running: 'konnectDcr.runner.running',
} as const;

/** Files the runner works on (`http` is also REST Client's and httpYac's language id: shared, not clashing). */
export const REQUEST_SELECTOR = [{ language: 'http' }, { pattern: '**/*.{http,rest}' }] as const;

export const SECRET_PREFIX = 'konnectDcr.runner.secret:';
export const SECRET_INDEX_KEY = 'konnectDcr.runner.secretKeys';
export const ENVIRONMENT_KEY = 'konnectDcr.runner.environment';
