/** zod schemas and their `z.infer` types for the Konnect resources the extension reads and writes. */
export * from './common';
export * from './dcrProvider';
export * from './authStrategy';
export * from './kongIdentity';
export * from './catalog';
export * from './portalApi';
export * from './portalAdmin';
