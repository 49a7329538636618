type Lazy = typeof import('../lazy');
let lazy: Promise<Lazy> | undefined;

/** The lazily loaded part (see ../lazy.ts): required on first use, once. */
export function loadLazy(): Promise<Lazy> {
  return (lazy ??= Promise.resolve().then(() => {
    // A require (not import()): with esbuild it stays lazy inside the bundle, or becomes a sibling bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../lazy') as Lazy;
  }));
}
