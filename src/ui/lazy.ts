/**
 * Everything the trees, sign-in and details documents need on first use and never at activation: the Konnect client
 * (with zod and its schemas), the kongctl YAML renderer (with `yaml`) and the sandbox-state schema. One module behind
 * one loader (platform/lazyModule.ts), so that esbuild can make it its own lazily required bundle, as it does for
 * dist/runner.js; inside the activation bundle it is initialised on first use all the same.
 */
export { createKonnectClient, isKonnectRegion } from '../core/api/index';
export { authServerYaml, identityItemYaml, toKongctlYaml } from './details/kongctl';
export { SandboxStateSchema } from './auth/sandboxStateSchema';
