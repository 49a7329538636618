/**
 * The Testing view's ids, shared by the activation shell (which creates the controller and its run profile, so that
 * the Testing view lists Konnect DCR before main is loaded) and main (which backs them). No state here.
 */
export const TEST_CONTROLLER_ID = 'konnectDcr';
export const TEST_CONTROLLER_LABEL = 'Konnect DCR';
/** The group of Prove DCR items (one per DCR auth strategy of the active connection). */
export const PROVE_GROUP_ID = 'konnectDcr.prove';
/** Request files the Testing view looks for in the workspace. */
export const REQUEST_FILE_GLOB = '**/*.{http,rest}';
