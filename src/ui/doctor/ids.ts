/** "DCR Doctor": command ids (the manifest and the tests use the same constants). */
export const DoctorCommands = {
  /**
   * On a strategy tree node, a strategy id or name, or `{strategy | apiId [, portalId], show?}`; without one a quick
   * pick of strategies, APIs and publications. Returns the report.
   */
  diagnose: 'konnectDcr.diagnose',
  /** Runs a fix of the last report: `(linkId, fixIndex)`; returns what the fix returned. Tests and the page. */
  fix: 'konnectDcr.diagnose.fix',
} as const;
export type DoctorCommandId = (typeof DoctorCommands)[keyof typeof DoctorCommands];
