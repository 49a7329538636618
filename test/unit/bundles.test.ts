/**
 * The shape of what ships (README "Bundles"), read from the esbuild metafiles that esbuild.mjs writes to out/meta/
 * next to each build of dist/:
 *
 * - host bundles (dist/*.js, Node in the extension host): no library (node_modules package) and no src module is in
 *   two of them. The one exception is what the activation shell (dist/extension.js) must know before main is
 *   loaded (command and context-key ids, which documents are request or config files): a src module the shell shares
 *   with dist/main.js must hold no state (no `let`, no class, no object built by a call), because each bundle gets
 *   its own copy. Anything with state the shell hands over through ShellHost, as it does for the connection store.
 * - webview bundles (dist/webview/*.js) run in the browser, each page in a document of its own, so they count apart
 *   from the host: src/shared (the typed protocol) is in the host and in a page by design. Among the pages no library
 *   may be in two (it would ship, and load, twice) and no src module either, except src/webview/shared: the pages'
 *   own small helpers (DOM building), which every page needs in its own document anyway.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import * as ts from 'typescript';
import { repoRoot } from '../support/fixtures';

interface Metafile {
  readonly outputs: Record<
    string,
    { readonly bytes: number; readonly inputs: Record<string, { readonly bytesInOutput: number }> }
  >;
}

const root = repoRoot();
const BUILD_FIRST = 'run `node esbuild.mjs --production` first (test/run-all.mjs does)';

/** Every bundle esbuild wrote, by output path (dist/main.js, dist/webview/forms.js, …), with its inputs. */
function bundles(): Map<string, string[]> {
  const dir = join(root, 'out', 'meta');
  assert.ok(existsSync(dir), `out/meta is missing: ${BUILD_FIRST}`);
  const out = new Map<string, string[]>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const meta = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Metafile;
    for (const [file, o] of Object.entries(meta.outputs)) {
      if (!file.endsWith('.js')) continue;
      // the metafile must describe the dist/ that ships, not an older build
      assert.ok(existsSync(join(root, file)), `${file} is in out/meta/${name} but not on disk: ${BUILD_FIRST}`);
      assert.equal(statSync(join(root, file)).size, o.bytes, `out/meta/${name} is stale for ${file}: ${BUILD_FIRST}`);
      out.set(
        file,
        Object.entries(o.inputs)
          .filter(([, i]) => i.bytesInOutput > 0)
          .map(([input]) => input),
      );
    }
  }
  return out;
}

/** What an input counts as: its npm package (the innermost node_modules/<name>) or the src file itself. */
function unitOf(input: string): { kind: 'library' | 'src' | 'other'; name: string } {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(input);
  if (m) return { kind: 'library', name: m[1]! };
  if (input.startsWith('src/')) return { kind: 'src', name: input };
  return { kind: 'other', name: input };
}

/** unit name → the bundles of `group` it is in, for the units in more than one. */
function duplicates(all: Map<string, string[]>, group: string[]): Map<string, { kind: string; files: string[] }> {
  const where = new Map<string, { kind: string; files: Set<string> }>();
  for (const file of group) {
    for (const input of all.get(file) ?? []) {
      const u = unitOf(input);
      const e = where.get(u.name) ?? { kind: u.kind, files: new Set<string>() };
      e.files.add(file);
      where.set(u.name, e);
    }
  }
  return new Map(
    [...where].filter(([, e]) => e.files.size > 1).map(([n, e]) => [n, { kind: e.kind, files: [...e.files] }]),
  );
}

/**
 * Why a src module cannot be copied into two bundles, or undefined if it can: module-level state (a `let`/`var`, a
 * class, a value made by `new` or a call, a statement run at load) would exist once per bundle.
 */
function stateIn(file: string): string | undefined {
  const text = readFileSync(join(root, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const at = (n: ts.Node): string =>
    `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText().split('\n')[0]!.slice(0, 80)}`;
  const madeByCode = (n: ts.Node): ts.Node | undefined => {
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return undefined; // code, run later, not state
    if (ts.isNewExpression(n) || ts.isCallExpression(n) || ts.isClassExpression(n) || ts.isTaggedTemplateExpression(n))
      return n;
    return ts.forEachChild(n, madeByCode);
  };
  for (const st of sf.statements) {
    if (
      ts.isImportDeclaration(st) ||
      ts.isExportDeclaration(st) ||
      ts.isTypeAliasDeclaration(st) ||
      ts.isInterfaceDeclaration(st) ||
      ts.isFunctionDeclaration(st) ||
      ts.isEnumDeclaration(st)
    )
      continue;
    if (ts.isVariableStatement(st)) {
      if (!(st.declarationList.flags & ts.NodeFlags.Const)) return `a module-level let/var (${at(st)})`;
      for (const d of st.declarationList.declarations) {
        const made = d.initializer && madeByCode(d.initializer);
        if (made) return `a value made at load (${at(made)})`;
      }
      continue;
    }
    if (ts.isClassDeclaration(st)) return `a class, which would be two classes (${at(st)})`;
    return `a statement run at load (${at(st)})`;
  }
  return undefined;
}

describe('bundles: each library and src module ships once (out/meta, README "Bundles")', () => {
  let all: Map<string, string[]>, host: string[], pages: string[];
  before(() => {
    all = bundles();
    host = [...all.keys()].filter((f) => /^dist\/[^/]+\.js$/.test(f));
    pages = [...all.keys()].filter((f) => f.startsWith('dist/webview/'));
  });

  it('every .js file in dist/ has its metafile', () => {
    const onDisk = [
      ...readdirSync(join(root, 'dist'))
        .filter((n) => n.endsWith('.js'))
        .map((n) => `dist/${n}`),
      ...readdirSync(join(root, 'dist', 'webview'))
        .filter((n) => n.endsWith('.js'))
        .map((n) => `dist/webview/${n}`),
    ];
    assert.deepEqual(
      onDisk.filter((f) => !all.has(f)),
      [],
      `bundles without a metafile in out/meta: ${BUILD_FIRST}`,
    );
    assert.ok(host.includes('dist/extension.js') && host.includes('dist/main.js'), `host bundles: ${host.join(', ')}`);
  });

  it('the activation shell (dist/extension.js) bundles no library: zod, yaml and undici are in dist/main.js only', () => {
    const libs = (file: string): string[] => [
      ...new Set(
        (all.get(file) ?? [])
          .map(unitOf)
          .filter((u) => u.kind === 'library')
          .map((u) => u.name),
      ),
    ];
    assert.deepEqual(libs('dist/extension.js'), []);
    for (const lib of ['zod', 'yaml', 'undici'])
      assert.ok(libs('dist/main.js').includes(lib), `${lib} is in dist/main.js`);
  });

  it("dist/main.js carries one of undici's two llhttp builds, the portable one, as brotli-compressed WebAssembly beside it (scripts/undici.mjs)", async () => {
    const meta = JSON.parse(readFileSync(join(root, 'out', 'meta', 'main.json'), 'utf8')) as Metafile;
    const inputs = Object.entries(meta.outputs['dist/main.js']?.inputs ?? {});
    // by suffix: a worktree whose node_modules is a link names them ../<elsewhere>/node_modules/…
    const bytes = (f: string): number =>
      inputs.find(([k]) => k.endsWith(`node_modules/undici/lib/llhttp/${f}`))?.[1].bytesInOutput ?? -1;
    assert.ok(
      bytes('llhttp-wasm.js') >= 0 && bytes('llhttp-wasm.js') < 400,
      `llhttp-wasm.js: ${bytes('llhttp-wasm.js')} bytes`,
    );
    assert.ok(
      bytes('llhttp_simd-wasm.js') >= 0 && bytes('llhttp_simd-wasm.js') < 400,
      `SIMD llhttp: ${bytes('llhttp_simd-wasm.js')} bytes`,
    );
    const files = Object.keys(meta.outputs).filter((f) => /^dist\/llhttp-wasm-\w+\.br$/.test(f));
    assert.equal(files.length, 1, `one llhttp output: ${files.join(', ')}`);
    const packed = readFileSync(join(root, files[0]!));
    assert.ok(packed.length < 16_000, `${files[0]}: ${packed.length} bytes`);
    const code = brotliDecompressSync(packed);
    const wa = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<object> } }).WebAssembly;
    await wa.compile(code); // throws if it is not WebAssembly
    // and it is undici's own portable build, byte for byte
    assert.ok(code.equals(createRequire(__filename)('undici/lib/llhttp/llhttp-wasm.js') as Buffer));
  });

  it('no library and no stateful src module is in two host bundles (dist/*.js)', () => {
    const problems: string[] = [];
    for (const [name, { kind, files }] of duplicates(all, host)) {
      const where = files.join(' and ');
      if (kind !== 'src') {
        problems.push(`${name} (${kind}) is in ${where}`);
        continue;
      }
      const state = stateIn(name);
      if (state)
        problems.push(
          `${name} is in ${where} and holds state: ${state}; keep it in one bundle (the shell hands main what it holds through ShellHost)`,
        );
    }
    assert.deepEqual(problems, []);
  });

  it("no library and no src module is in two webview pages (dist/webview/*.js), but the pages' shared helpers", () => {
    assert.ok(pages.length > 0, 'webview bundles');
    const problems = [...duplicates(all, pages)]
      .filter(([name]) => !name.startsWith('src/webview/shared/'))
      .map(([name, { kind, files }]) => `${name} (${kind}) is in ${files.join(' and ')}`);
    assert.deepEqual(problems, []);
  });
});

/** Bundles `entry` for Node as dist/main.js is bundled, with one of scripts/'s esbuild plugins, into `outfile`. */
async function bundleWith(
  script: string,
  pluginName: string,
  entry: string,
  outfile: string,
): Promise<import('esbuild').BuildResult<{ metafile: true }>> {
  const esbuild = await import('esbuild');
  const mod = (await import(pathToFileURL(join(root, 'scripts', script)).href)) as Record<
    string,
    import('esbuild').Plugin
  >;
  return esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
    metafile: true,
    plugins: [mod[pluginName]!],
  });
}

describe('bundles: zod without its JSON Schema generator, as dist/main.js has it (scripts/zod.mjs)', () => {
  it('parses exactly as zod unbundled does (valid and invalid, issues and messages); only toJSONSchema throws, clearly', async function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'kdcr-zod-'));
    try {
      // the same script, once with zod as installed and once bundled with the plugin; an ES module, as src imports
      // zod (its ESM files are what dist/main.js bundles), next to the repo's node_modules so that it resolves
      const entry = join(root, 'out', `zod-entry-${process.pid}.mjs`);
      writeFileSync(
        entry,
        `import { z } from 'zod';
        const S = z.object({
          name: z.string().min(3).max(20),
          url: z.url(),
          kind: z.enum(['okta', 'auth0']),
          port: z.number().int().positive().optional(),
          tags: z.array(z.string().regex(/^[a-z]+$/)).default([]),
          ttl: z.union([z.literal('never'), z.number()]).nullable(),
        }).strict();
        const inputs = [
          { name: 'okta-1', url: 'https://idp.example', kind: 'okta', ttl: null },
          { name: 'x', url: 'nope', kind: 'curity', port: -1.5, tags: ['A'], ttl: 'sometimes', extra: 1 },
          'not an object',
        ];
        const out = inputs.map((i) => { const r = S.safeParse(i); return r.success ? { ok: r.data } : { issues: r.error.issues, pretty: z.prettifyError(r.error) }; });
        out.push(S['~standard'].validate(inputs[0]));
        out.push(typeof S['~standard'].jsonSchema.input);
        let js; try { js = Object.keys(z.toJSONSchema(S)); } catch (e) { js = 'threw: ' + e.message; }
        console.log(JSON.stringify({ out, js }));`,
      );
      const bundle = join(dir, 'bundle.js');
      const result = await bundleWith('zod.mjs', 'zodJsonSchemaLeftOut', entry, bundle);
      const run = (file: string): { out: unknown[]; js: unknown } =>
        JSON.parse(execFileSync(process.execPath, [file], { cwd: root, encoding: 'utf8' }).trim()) as {
          out: unknown[];
          js: unknown;
        };
      const plain = run(entry);
      const bundled = run(bundle);
      assert.deepEqual(bundled.out, plain.out);
      assert.ok(Array.isArray(plain.js), 'unbundled zod generates JSON Schema');
      assert.match(String(bundled.js), /^threw: JSON Schema generation is not bundled in Konnect DCR/);
      const stubbed = Object.entries(result.metafile.inputs).filter(([k]) =>
        /json-schema-processors|to-json-schema/.test(k),
      );
      assert.equal(stubbed.length, 2);
      for (const [k, v] of stubbed) assert.ok(v.bytes < 4000, `${k}: ${v.bytes} bytes`);
      // and dist/main.js has them as stubs too
      const meta = JSON.parse(readFileSync(join(root, 'out', 'meta', 'main.json'), 'utf8')) as Metafile;
      const inMain = Object.entries(meta.outputs['dist/main.js']!.inputs).filter(([k]) =>
        /zod\/v4\/core\/(json-schema-processors|to-json-schema)\.c?js$/.test(k),
      );
      assert.equal(inMain.length, 2, inMain.map(([k]) => k).join(', '));
      for (const [k, v] of inMain) assert.ok(v.bytesInOutput < 2500, `${k}: ${v.bytesInOutput} bytes in dist/main.js`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(root, 'out', `zod-entry-${process.pid}.mjs`), { force: true });
    }
  });
});

describe("bundles: yaml's ES module build, as dist/main.js has it (scripts/yaml.mjs)", () => {
  it('parses, reports and renders every config fixture exactly as the installed (Node) build does', async function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'kdcr-yaml-'));
    const entry = join(root, 'out', `yaml-entry-${process.pid}.mjs`);
    try {
      const files: string[] = [];
      const walk = (d: string): void => {
        for (const n of readdirSync(d)) {
          const p = join(d, n);
          if (statSync(p).isDirectory()) walk(p);
          else if (/\.ya?ml$/.test(n)) files.push(p);
        }
      };
      walk(join(root, 'test', 'fixtures', 'config'));
      assert.ok(files.length >= 10, `${files.length} fixtures`);
      // and YAML that does not parse: an unclosed flow sequence, a duplicate key, a tab indent, a bad alias
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, 'a: [1, 2\nb: 1\nb: 2\nc:\n\t- x\nd: *nowhere\n');
      files.push(broken);
      // what src does with yaml: parse with positions, read errors and warnings, walk nodes, edit, render
      writeFileSync(
        entry,
        `import { readFileSync } from 'node:fs';
        import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument, stringify, visit } from 'yaml';
        const out = JSON.parse(process.argv[2]).map((f) => {
          const text = readFileSync(f, 'utf8');
          const lc = new LineCounter();
          const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: true, prettyErrors: false });
          const nodes = [];
          visit(doc, { Node: (_k, n) => { nodes.push([isMap(n) ? 'map' : isSeq(n) ? 'seq' : isScalar(n) ? 'scalar' : 'other', n.range, n.tag ?? null]); } });
          const at = (p) => p && lc.linePos(p);
          const safe = (f) => { try { return f(); } catch (e) { return 'threw: ' + e.message; } };
          const edited = doc.clone();
          if (isMap(edited.contents)) edited.set('added', { list: [1, 'two', null] });
          return {
            js: safe(() => doc.toJS({ maxAliasCount: 100 })),
            errors: doc.errors.map((e) => [e.code, e.message, at(e.pos[0])]),
            warnings: doc.warnings.map((e) => [e.code, e.message, at(e.pos[0])]),
            nodes,
            text: safe(() => doc.toString({ lineWidth: 0 })),
            edited: safe(() => edited.toString()),
            fresh: new Document({ a: [1, { b: 'c: d' }] }).toString() + stringify({ x: 'multi\\nline', y: true }),
          };
        });
        console.log(JSON.stringify(out));`,
      );
      const bundle = join(dir, 'bundle.js');
      const esbuild = await import('esbuild');
      const { yamlAsEsm } = (await import(pathToFileURL(join(root, 'scripts', 'yaml.mjs')).href)) as {
        yamlAsEsm: import('esbuild').Plugin;
      };
      const result = await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: bundle,
        logLevel: 'silent',
        metafile: true,
        plugins: [yamlAsEsm],
      });
      const run = (file: string): unknown =>
        JSON.parse(
          execFileSync(process.execPath, [file, JSON.stringify(files)], { cwd: root, encoding: 'utf8' }).trim(),
        ) as unknown;
      const plain = run(entry) as { errors: unknown[] }[];
      assert.ok(
        plain.some((r) => r.errors.length),
        'the fixtures include broken YAML',
      );
      assert.deepEqual(run(bundle), plain);
      const inputs = Object.keys(result.metafile.inputs);
      assert.ok(
        inputs.some((k) => /yaml[\\/]browser[\\/]dist[\\/]/.test(k)),
        'the ES module build was bundled',
      );
      assert.ok(!inputs.some((k) => /yaml[\\/]dist[\\/]/.test(k)), 'and not the CommonJS one');
      // and dist/main.js has the ES module build too
      const meta = JSON.parse(readFileSync(join(root, 'out', 'meta', 'main.json'), 'utf8')) as Metafile;
      const inMain = Object.keys(meta.outputs['dist/main.js']!.inputs).filter((k) => k.includes('node_modules/yaml/'));
      assert.ok(inMain.length > 0 && inMain.every((k) => k.includes('node_modules/yaml/browser/')), inMain.join(', '));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(entry, { force: true });
    }
  });
});

describe('bundles: undici with the parts dist/main.js leaves out (scripts/undici.mjs)', () => {
  it('dist/main.js has each left-out undici file as a stub of a few bytes only', () => {
    const meta = JSON.parse(readFileSync(join(root, 'out', 'meta', 'main.json'), 'utf8')) as Metafile;
    const inputs = Object.entries(meta.outputs['dist/main.js']!.inputs);
    for (const file of [
      'llhttp/llhttp_simd-wasm.js',
      'dispatcher/client-h2.js',
      'web/fetch/body.js',
      'dispatcher/socks5-proxy-agent.js',
    ]) {
      const hit = inputs.find(([k]) => k.endsWith(`undici/lib/${file}`));
      assert.ok(hit, `${file} is reached from dist/main.js`);
      assert.ok(hit[1].bytesInOutput < 400, `${file}: ${hit[1].bytesInOutput} bytes in dist/main.js`);
    }
    // what the stubs hid stays out: webidl and the multipart parser came only with fetch's body encoder
    assert.deepEqual(
      inputs.map(([k]) => k).filter((k) => /undici\/lib\/(web\/(?!fetch\/body\.js)|core\/socks5)/.test(k)),
      [],
    );
  });

  it('the Konnect client bundled with the plugin sends requests directly and through an HTTP proxy, with the portable parser; a SOCKS proxy is a clear error', async function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'kdcr-undici-'));
    const bundle = join(dir, 'api.js');
    await bundleWith('undici.mjs', 'undiciLeftOut', join(root, 'out', 'src', 'core', 'api', 'index.js'), bundle);
    const script = `
      const api = require(${JSON.stringify(bundle)});
      const { startCountingProxy } = require(${JSON.stringify(join(root, 'out', 'test', 'support', 'proxy.js'))});
      const http = require('node:http');
      const srv = http.createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"status":"success","errors":[]}'); });
      srv.listen(0, '127.0.0.1', async () => {
        const baseUrl = 'http://127.0.0.1:' + srv.address().port;
        const opts = { baseUrl, token: 't', userAgent: 'ua/1', retry: { maxAttempts: 1 } };
        const direct = api.createKonnectClient(opts);
        const proxy = await startCountingProxy();
        const viaProxy = api.createKonnectClient({ ...opts, proxy: proxy.url });
        const socks = api.createKonnectClient({ ...opts, proxy: 'socks5://127.0.0.1:1' });
        const out = {
          direct: (await direct.dcrProviders.verify('x')).status,
          proxied: (await viaProxy.dcrProviders.verify('x')).status,
          proxySaw: proxy.connects.length,
          socks: await socks.dcrProviders.verify('x').then(() => 'sent', (e) => String(e && (e.cause && e.cause.message || e.message))),
        };
        console.log(JSON.stringify(out));
        await Promise.all([direct.close(), viaProxy.close(), socks.close().catch(() => undefined)]);
        await proxy.close(); srv.close();
      });`;
    try {
      const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
      const got = JSON.parse(out.trim()) as { direct: string; proxied: string; proxySaw: number; socks: string };
      assert.equal(got.direct, 'success');
      assert.equal(got.proxied, 'success');
      assert.ok(got.proxySaw >= 1, 'the proxy carried the request');
      assert.match(got.socks, /SOCKS proxies are not supported by Konnect DCR/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bundles: dist/main.js keeps its lazy parts lazy', () => {
  it('loading dist/main.js runs none of undici (its code runs on the first request)', function () {
    this.timeout(10_000);
    const main = join(root, 'dist', 'main.js');
    assert.ok(existsSync(main), `dist/main.js is missing: ${BUILD_FIRST}`);
    // `vscode` is a stand-in that answers anything (main's modules only reach it at load for enum values and base
    // classes); undici announces itself at load by creating its diagnostics channels ("undici:request:create", …).
    const script = `
      const Module = require('node:module');
      const any = new Proxy(function () {}, { get: (t, k) => (k === 'prototype' ? {} : k === Symbol.toPrimitive ? () => '' : any), apply: () => any, construct: () => any });
      const vscode = Object.create(new Proxy({}, { get: (t, k) => (typeof k === 'symbol' ? undefined : any) }));
      const load = Module._load;
      Module._load = function (req, ...rest) { return req === 'vscode' ? vscode : load.call(this, req, ...rest); };
      const dc = require('node:diagnostics_channel');
      const channels = [];
      const channel = dc.channel;
      dc.channel = (name) => { channels.push(String(name)); return channel.call(dc, name); };
      const m = require(${JSON.stringify(main)});
      const atLoad = channels.filter((n) => n.startsWith('undici:'));
      require('undici/lib/dispatcher/agent');   // the check itself: the real undici does announce itself
      console.log(JSON.stringify({ start: typeof m.start, atLoad, realUndici: channels.filter((n) => n.startsWith('undici:')).length > 0 }));`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out.trim()), { start: 'function', atLoad: [], realUndici: true });
  });
});
