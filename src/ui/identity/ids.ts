/** Kong Identity from the editor: command ids (the manifest and the tests use the same constants). */
export const IdentityCommands = {
  newAuthServer: 'konnectDcr.identity.newAuthServer',
  editAuthServer: 'konnectDcr.identity.editAuthServer',
  newScope: 'konnectDcr.identity.newScope',
  editScope: 'konnectDcr.identity.editScope',
  newClaim: 'konnectDcr.identity.newClaim',
  editClaim: 'konnectDcr.identity.editClaim',
  newClient: 'konnectDcr.identity.newClient',
  editClient: 'konnectDcr.identity.editClient',
  /** A claim rendered by Konnect's test-claim for a client, as a token would carry it (no token is issued). */
  previewClaim: 'konnectDcr.identity.previewClaim',
  /** Scope, claim, client or auth server (with everything in it, after a confirmation). */
  delete: 'konnectDcr.identity.delete',
  /** A `kongIdentity` DCR provider for an auth server: its issuer filled in (the provider form when there is one). */
  newProvider: 'konnectDcr.identity.newProvider',
  /** The whole Kong Identity seed, then Prove DCR. */
  guidedSetup: 'konnectDcr.identity.guidedSetup',
  /** A client's secrets (at most two active: docs/konnect-api.md §4.1) and issued tokens (§4.2). */
  addSecret: 'konnectDcr.identity.addSecret',
  enableSecret: 'konnectDcr.identity.enableSecret',
  disableSecret: 'konnectDcr.identity.disableSecret',
  deleteSecret: 'konnectDcr.identity.deleteSecret',
  /** Add a secret, then (the apps moved) disable the old one, then optionally delete it. */
  rotateSecret: 'konnectDcr.identity.rotateSecret',
  revokeToken: 'konnectDcr.identity.revokeToken',
  revokeAllTokens: 'konnectDcr.identity.revokeAllTokens',
} as const;
export type IdentityCommandId = (typeof IdentityCommands)[keyof typeof IdentityCommands];
