// oidc-provider 9 and jose 6 are ESM-only while this code is transpiled to CommonJS: load them with a dynamic
// import() (esbuild keeps it as is), once.
import type * as OidcModule from 'oidc-provider';
import type * as JoseModule from 'jose';

let oidc: Promise<typeof OidcModule> | undefined;
let jose: Promise<typeof JoseModule> | undefined;

/**
 * oidc-provider prints "Unsupported runtime. Use Node.js v22.x LTS" when imported on Node 20 (it runs fine there:
 * everything it needs, URL.parse and crypto.hash included, exists in 20.20). That one line is dropped; any other
 * warning printed during the import goes through.
 */
export function loadOidc(): Promise<typeof OidcModule> {
  oidc ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
      warn(...args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return oidc;
}

export function loadJose(): Promise<typeof JoseModule> {
  jose ??= import('jose');
  return jose;
}
