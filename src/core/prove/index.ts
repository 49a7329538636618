/** "Prove DCR": one run of the seven validation steps over the core clients (see runner.ts). */
export {
  ProveRun,
  proveDcr,
  verifyFindings,
  type ProveDeps,
  type ProveKonnect,
  type ProvePortal,
  type RetryPolicy,
} from './runner';
export {
  DEFAULT_ROUTE_PATH,
  SANDBOX_PORTAL_URL_HEADER,
  gatewayRouteUrl,
  portalUrlOf,
  publicationsOf,
  resolvePortal,
  testAppName,
  type PublicationChoice,
  type ResolvedPortal,
} from './targets';
export * from './types';
