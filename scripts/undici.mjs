// The esbuild plugin that trims undici in dist/main.js (imported by esbuild.mjs and by test/unit/bundles.test.ts,
// which bundles the Konnect client with it and sends requests through the result).
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib } from 'node:zlib';

/**
 * Parts of undici that dist/main.js does not ship, each replaced by a module that throws a plain error when (if ever)
 * undici reaches it. They are matched by undici's file, not by an import string. Each is a path the extension never
 * takes:
 * - its HTTP parser (llhttp, WebAssembly) comes twice, a SIMD build and a portable one it falls back to when the SIMD
 *   module cannot be loaded (client-h1.js: `try { … require('../llhttp/llhttp_simd-wasm.js') … } catch {}`): we keep
 *   the portable one, whose parse speed our few-KB answers never notice (24 KB of the VSIX);
 * - HTTP/2 (client-h2.js): undici only speaks it when a dispatcher is made with `allowH2`, and ours never are;
 * - fetch's body encoder (web/fetch/body.js, with webidl and the multipart parser behind it): client-h1.js requires it
 *   only for a FormData request body, and the runner and the Konnect client send strings and buffers;
 * - SOCKS proxies (socks5-proxy-agent.js): ProxyAgent uses it for a `socks5:` / `socks:` proxy URL; VS Code's
 *   `http.proxy` is an HTTP(S) proxy, and a SOCKS URL gets this error instead of a silent direct connection.
 */
const fail = (message) => `throw new Error(${JSON.stringify(message)})`;
export const UNDICI_LEFT_OUT = {
  // required inside undici's own try/catch: throwing on load is what makes it take the portable build
  'llhttp/llhttp_simd-wasm.js': fail('not bundled: undici uses its portable llhttp build'),
  // the others are required when undici loads, so they load fine and throw only if used
  'dispatcher/client-h2.js': `module.exports = function connectH2() { ${fail('HTTP/2 is not bundled in Konnect DCR')} }`,
  'web/fetch/body.js': `exports.extractBody = function extractBody() { ${fail('FormData request bodies are not bundled in Konnect DCR')} }`,
  'dispatcher/socks5-proxy-agent.js': `module.exports = class Socks5ProxyAgent { constructor() { ${fail('SOCKS proxies are not supported by Konnect DCR: set an HTTP(S) proxy')} } }`,
};

/**
 * The portable llhttp ships as `llhttp-wasm-<hash>.br` next to the bundle: undici's WebAssembly (which undici holds as
 * base64 text in llhttp-wasm.js), brotli-compressed at build time. The VSIX zip deflates what it holds: 54 KB of
 * WebAssembly would be 18 KB there, its 72 KB of base64 24 KB, the brotli file is 15 KB. esbuild emits the file (its
 * `file` loader, so it is one of the build's outputs) and undici, which requires the module on its first connection
 * only, reads and decompresses it then (node:zlib, about a millisecond), never at activation.
 */
const WASM = 'konnect-dcr:llhttp.wasm.br';
const LLHTTP_LOADER = `module.exports = require('node:zlib').brotliDecompressSync(require('node:fs').readFileSync(require('node:path').join(__dirname, require(${JSON.stringify(WASM)}))))`;

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const undiciFile = (file) =>
  new RegExp(`[\\\\/]undici[\\\\/]lib[\\\\/]${file.split('/').map(escapeRe).join('[\\\\/]')}$`);

export const undiciLeftOut = {
  name: 'undici-left-out',
  setup(build) {
    for (const [file, contents] of Object.entries(UNDICI_LEFT_OUT))
      build.onLoad({ filter: undiciFile(file) }, () => ({ contents, loader: 'js' }));
    let wasmModule;
    build.onLoad({ filter: undiciFile('llhttp/llhttp-wasm.js') }, (args) => {
      wasmModule = args.path;
      return { contents: LLHTTP_LOADER, loader: 'js' };
    });
    build.onResolve({ filter: new RegExp(`^${escapeRe(WASM)}$`) }, () => ({
      path: 'llhttp-wasm.br',
      namespace: 'llhttp',
    }));
    build.onLoad({ filter: /.*/, namespace: 'llhttp' }, () => {
      // undici's module is `Buffer.from('<base64>', 'base64')` behind a getter: take the text, decode it once here
      const base64 = /wasmBase64\s*=\s*'([A-Za-z0-9+/=]+)'/.exec(readFileSync(wasmModule, 'utf8'))?.[1];
      if (!base64)
        throw new Error(`${wasmModule} no longer holds its WebAssembly as base64: update scripts/undici.mjs`);
      const wasm = Buffer.from(base64, 'base64');
      const br = brotliCompressSync(wasm, {
        params: {
          [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
          [zlib.BROTLI_PARAM_SIZE_HINT]: wasm.length,
          [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_GENERIC,
        },
      });
      return { contents: br, loader: 'file' };
    });
  },
};
