/**
 * The VSIX as a Marketplace or Open VSX publish would take it: `npm run package` packs it with no warning and no
 * question (no `--no-dependencies` or `--allow-missing-repository` needed: vsce reads them from the manifest's `vsce` key), with
 * the 128×128 PNG icon, the LICENSE Open VSX requires, gallery fields, and README images that exist in the
 * repository. Packs from dist/ as built (test/run-all.mjs builds first); vsce's prepublish build is not rerun here.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../support/fixtures';

const root = repoRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

/** The categories the Marketplace accepts (vsce's documented list; anything else is refused at publish time). */
const MARKETPLACE_CATEGORIES = [
  'AI',
  'Azure',
  'Chat',
  'Data Science',
  'Debuggers',
  'Education',
  'Extension Packs',
  'Formatters',
  'Keymaps',
  'Language Packs',
  'Linters',
  'Machine Learning',
  'Notebooks',
  'Other',
  'Programming Languages',
  'SCM Providers',
  'Snippets',
  'Testing',
  'Themes',
  'Visualization',
];

interface Vsce {
  pack(options: Record<string, unknown>): Promise<{ packagePath: string; files: { path: string }[] }>;
}

describe('VSIX package (vsce, Open VSX)', function () {
  this.timeout(60_000);
  let dir: string;
  let said: string[];
  let files: string[];
  let vsix: Map<string, Buffer>;

  before(async () => {
    assert.ok(
      existsSync(join(root, 'dist', 'extension.js')),
      'run `node esbuild.mjs --production` first (test/run-all.mjs does)',
    );
    dir = mkdtempSync(join(tmpdir(), 'kdcr-vsix-'));
    /* eslint-disable @typescript-eslint/no-require-imports */
    const vsce = require('@vscode/vsce/out/package') as Vsce;
    const util = require('@vscode/vsce/out/util') as { patchOptionsWithManifest(o: object, m: object): void };
    const zip = require('@vscode/vsce/out/zip') as {
      readZip(p: string, f: (n: string) => boolean): Promise<Map<string, Buffer>>;
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    // What `npm run package` (`vsce package --no-rewrite-relative-links --out …`) does after its prepublish step: the
    // command line's options, then the manifest's `vsce` key for those it left out, then pack. Without the flag vsce
    // would rewrite the README's image paths against a repository URL, and there is no public repository.
    const script = (pkg['scripts'] as Record<string, string>)['package']!;
    assert.match(script, /^vsce package /);
    const options: Record<string, unknown> = {
      cwd: root,
      packagePath: join(dir, 'konnect-dcr.vsix'),
      rewriteRelativeLinks: !script.includes('--no-rewrite-relative-links'),
    };
    util.patchOptionsWithManifest(options, pkg);
    said = [];
    const saved = { log: console.log, warn: console.warn, error: console.error };
    const keep = (...args: unknown[]): void => {
      said.push(args.map(String).join(' '));
    };
    console.log = keep;
    console.warn = keep;
    console.error = keep;
    try {
      const r = await vsce.pack(options);
      files = r.files.map((f) => f.path);
      vsix = await zip.readZip(r.packagePath, () => true);
    } finally {
      Object.assign(console, saved);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('packs with no warning and asks nothing', () => {
    assert.deepEqual(
      said.filter((l) => /WARNING|ERROR|continue\?/i.test(l)),
      [],
      said.join('\n'),
    );
    assert.ok(vsix.has('extension/package.json'));
  });

  it('ships package.nls.json, and the gallery manifest has the English texts, not their %keys%', () => {
    const shipped = JSON.parse(vsix.get('extension/package.json')!.toString('utf8')) as { displayName: string };
    assert.equal(shipped.displayName, '%displayName%', 'the installed manifest keeps its placeholders');
    const nls = JSON.parse(vsix.get('extension/package.nls.json')?.toString('utf8') ?? '{}') as Record<string, string>;
    assert.equal(nls['displayName'], 'Konnect DCR', 'package.nls.json is in the VSIX');
    const gallery = vsix.get('extension.vsixmanifest')!.toString('utf8');
    assert.match(gallery, /<DisplayName>Konnect DCR<\/DisplayName>/);
    assert.doesNotMatch(gallery, /%[\w.]+%/);
  });

  it('a 128×128 PNG icon, listed in the VSIX manifest', () => {
    assert.equal(pkg['icon'], 'media/icon.png');
    const png = vsix.get('extension/media/icon.png');
    assert.ok(png, 'the icon is in the VSIX');
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'width × height');
    assert.match(
      vsix.get('extension.vsixmanifest')!.toString('utf8'),
      /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default" Path="extension\/media\/icon\.png"/,
    );
  });

  it('Open VSX: a license file ships; categories are Marketplace categories; a gallery banner', () => {
    assert.equal(pkg['license'], 'MIT');
    assert.ok(
      [...vsix.keys()].some((k) => /^extension\/license(\.txt|\.md)?$/.test(k)),
      `LICENSE in the VSIX: ${files.join(', ')}`,
    );
    const categories = pkg['categories'] as string[];
    assert.ok(categories.includes('Testing'));
    for (const c of categories) assert.ok(MARKETPLACE_CATEGORIES.includes(c), `${c} is a Marketplace category`);
    assert.match((pkg['galleryBanner'] as { color: string }).color, /^#[0-9a-f]{6}$/i);
  });

  it('no placeholder addresses: repository, bugs and homepage are real or absent', () => {
    for (const key of ['repository', 'bugs', 'homepage']) {
      const text = JSON.stringify(pkg[key] ?? '');
      assert.doesNotMatch(text, /example\.(invalid|com|org)|localhost|placeholder/i, `${key}: ${text}`);
    }
  });

  it('README images are files of the repository, PNG (vsce refuses SVG there), and relative links stay as written', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    assert.ok(images.length >= 2, 'screenshots in the README');
    for (const img of images) {
      assert.doesNotMatch(img, /^[a-z]+:/i, `${img}: a path in the repository`);
      assert.match(img, /\.png$/);
      assert.ok(existsSync(join(root, img)), `${img} exists`);
    }
    const shipped = vsix.get('extension/readme.md')!.toString('utf8');
    for (const img of images) assert.ok(shipped.includes(`](${img})`), `${img} kept as written`);
  });

  it('the English runtime bundle is not shipped (VS Code never reads it), a translation next to it would be', () => {
    assert.equal(pkg['l10n'], './l10n');
    assert.ok(existsSync(join(root, 'l10n', 'bundle.l10n.json')), 'the bundle is in the repository');
    assert.deepEqual(
      [...vsix.keys()].filter((k) => k.startsWith('extension/l10n/')),
      [],
      'no l10n file in the VSIX (there is no translation yet)',
    );
    // .vscodeignore as vsce reads it: its globs, then the `!` ones (shipped even though `**` ignores them), matched
    // with the minimatch vsce itself uses
    const vsceDir = dirname(require.resolve('@vscode/vsce/package.json'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { minimatch } = require(require.resolve('minimatch', { paths: [vsceDir] })) as {
      minimatch(f: string, p: string, o: object): boolean;
    };
    const lines = readFileSync(join(root, '.vscodeignore'), 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() && !/^\s*#/.test(l));
    const shipped = (f: string): boolean =>
      !lines.filter((l) => !l.startsWith('!')).some((g) => minimatch(f, g, { dot: true })) ||
      lines.filter((l) => l.startsWith('!')).some((g) => minimatch(f, g.slice(1), { dot: true }));
    assert.equal(shipped('l10n/bundle.l10n.json'), false, 'the English bundle');
    assert.equal(shipped('l10n/bundle.l10n.de.json'), true, 'a German translation');
    assert.equal(shipped('l10n/bundle.l10n.pt-br.json'), true, 'a Brazilian Portuguese translation');
  });
});
