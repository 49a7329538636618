import * as z from 'zod';

/**
 * The file the local sandbox writes (sandbox) and names in $KONNECT_DCR_SANDBOX_STATE: where its Konnect
 * emulator listens and the bearer token it accepts. Other fields (IdPs, gateway, …) are ignored here.
 */
export const SandboxStateSchema = z.looseObject({
  konnectUrl: z.url({ protocol: /^https?$/ }),
  token: z.string().min(1),
});
export type SandboxState = z.infer<typeof SandboxStateSchema>;
