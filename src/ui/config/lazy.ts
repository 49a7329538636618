/**
 * The config feature's heavy half, loaded on the first config file or command: the core (analyzer, plan, apply,
 * pull) and the controller. The extension bundle requires it as the sibling dist/config.js (esbuild.mjs), so
 * activation does not carry it; the test build loads it as out/src/ui/config/lazy.js.
 */
export * as core from '../../core/config/index';
export { ConfigController } from './controller';
