/** Portals (applications and registrations, admin side): the view and command ids the manifest and tests share. */
export const PORTALS_VIEW = 'konnectDcr.portals';

export const PortalCommands = {
  refresh: 'konnectDcr.portals.refresh',
  approveRegistration: 'konnectDcr.portals.approveRegistration',
  rejectRegistration: 'konnectDcr.portals.rejectRegistration',
  revokeRegistration: 'konnectDcr.portals.revokeRegistration',
  approveDeveloper: 'konnectDcr.portals.approveDeveloper',
  deleteApplication: 'konnectDcr.portals.deleteApplication',
  linkConsumer: 'konnectDcr.portals.linkConsumer',
  unlinkConsumer: 'konnectDcr.portals.unlinkConsumer',
  /** Flip `auto_approve_developers` or `auto_approve_applications` of a portal. */
  toggleSetting: 'konnectDcr.portals.toggleSetting',
  /** Pick the portal's `default_application_auth_strategy_id` (or none). */
  setDefaultStrategy: 'konnectDcr.portals.setDefaultStrategy',
} as const;
export type PortalCommandId = (typeof PortalCommands)[keyof typeof PortalCommands];

/** Commands that act on a tree item only: hidden from the palette. */
export const PORTAL_TREE_ONLY: readonly PortalCommandId[] = [
  PortalCommands.approveRegistration,
  PortalCommands.rejectRegistration,
  PortalCommands.revokeRegistration,
  PortalCommands.approveDeveloper,
  PortalCommands.deleteApplication,
  PortalCommands.linkConsumer,
  PortalCommands.unlinkConsumer,
  PortalCommands.toggleSetting,
  PortalCommands.setDefaultStrategy,
];

/** contextValue tokens of the portal nodes, matched with `viewItem =~ /(^|;)token(;|$)/`. */
export const PortalCtx = {
  approvable: 'approvable',
  rejectable: 'rejectable',
  revocable: 'revocable',
  developerApprovable: 'developerApprovable',
  appDeletable: 'appDeletable',
  consumerLinkable: 'consumerLinkable',
  consumerLinked: 'consumerLinked',
  toggle: 'toggle',
  strategyPick: 'strategyPick',
} as const;
