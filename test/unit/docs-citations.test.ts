/**
 * Comments may cite only documents a clone of the repository has. A citation of the Konnect digest or the house-style
 * notes kept outside the repository, of a path under the shared reference folder, or of an issue-tracker number
 * means nothing to a reader of the code; the facts belong in docs/ (or in the comment itself). And every
 * `docs/<file>.md §n` a comment cites must be a section heading of that file, so a renumbered or deleted section
 * cannot leave dangling references behind. Repository paths named in docs/*.md must exist, so that a moved folder
 * does not leave the docs pointing at nothing.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { textPieces } from '../support/sourceText';

const ROOT = [resolve(__dirname, '../../..'), resolve(__dirname, '../..')].find(
  (d) => existsSync(join(d, 'docs', 'konnect-api.md')) && existsSync(join(d, 'src')),
)!;

const CODE_EXT = /\.(?:ts|mts|cts|js|mjs|cjs)$/;
/** Not ours to police: the VS Code harness (it installs runtimes from a shared cache by design), builds, deps. */
const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', join('test', 'harness')]);

function walk(dir: string, keep: (p: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (SKIP_DIRS.has(name) || SKIP_DIRS.has(rel)) continue;
    if (statSync(join(ROOT, rel)).isDirectory()) walk(rel, keep, out);
    else if (keep(rel)) out.push(rel);
  }
  return out;
}

/** What a comment or string must not cite: documents and trackers a clone of the repository does not have. */
const FORBIDDEN: readonly { what: string; re: RegExp; inStrings: boolean }[] = [
  {
    what: 'the external contract digest (use docs/konnect-api.md §…)',
    re: /\bCONTRACT(?:\.md\b|\s*§)/,
    inStrings: true,
  },
  {
    what: 'the external house-style notes (state the rule, or cite docs/design.md §…)',
    re: /\bHOUSE[_ ]STYLE\b/i,
    inStrings: true,
  },
  {
    what: 'the shared reference folder outside the repository',
    re: /\/work\/shared\b|\.\.\/shared\/(?:konnect-api|HOUSE)/i,
    inStrings: true,
  },
  { what: 'an issue-tracker number (say what it meant)', re: /\bissue\s*#?\d+/i, inStrings: true },
];

/** A parent-relative path to a `shared` folder is fine in a comment only where it names a real path of this repository. */
function danglingSharedPaths(file: string, comment: string): string[] {
  const bad: string[] = [];
  for (const m of comment.matchAll(/((?:\.\.\/)+shared\b[\w./-]*)/g)) {
    const target = resolve(ROOT, dirname(file), m[1]!.replace(/[.,;:)]+$/, ''));
    const inside = !relative(ROOT, target).startsWith('..');
    const found = ['', '.ts', '/index.ts'].some((ext) => existsSync(target + ext));
    if (!inside || !found) bad.push(m[1]!);
  }
  return bad;
}

/**
 * `docs/konnect-api.md §1.3`, `docs/konnect-api.md §2.2/§2.3`, `docs/konnect-api.md §2–§4` → file and section numbers.
 * Only citations with a `§` count: a bare `docs/…` may name another project's docs (kongctl's, for instance).
 */
export function docCitations(text: string): { doc: string; sections: string[]; index: number }[] {
  const out: { doc: string; sections: string[]; index: number }[] = [];
  for (const m of text.matchAll(
    /(?<![\w/.-])docs\/([\w.-]+\.md)((?:\s*(?:,|\/|–|-|and|or|to)?\s*§\s*\d+(?:\.\d+)*)+)/g,
  )) {
    out.push({ doc: m[1]!, sections: [...m[2]!.matchAll(/§\s*(\d+(?:\.\d+)*)/g)].map((s) => s[1]!), index: m.index });
  }
  return out;
}

/** Section numbers of a markdown file's headings: `## 2. DCR providers` → 2, `### 8.13 Versions drift` → 8.13. */
export function headingNumbers(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)].map((m) => m[1]!));
}

/** Every problem in one source file, as `path:line: message`. */
export function citationProblems(
  file: string,
  source: string,
  docHeadings: (doc: string) => Set<string> | undefined,
): string[] {
  const problems: string[] = [];
  const lineAt = (offset: number): number => {
    let line = 1;
    for (let k = source.indexOf('\n'); k >= 0 && k < offset; k = source.indexOf('\n', k + 1)) line++;
    return line;
  };
  const excerpt = (text: string, at: number): string =>
    text
      .slice(Math.max(0, at - 40), at + 60)
      .replace(/\s+/g, ' ')
      .trim();
  for (const piece of textPieces(source)) {
    for (const f of FORBIDDEN) {
      if (piece.kind !== 'comment' && !f.inStrings) continue;
      for (const m of piece.text.matchAll(new RegExp(f.re.source, `${f.re.flags}g`))) {
        problems.push(`${file}:${lineAt(piece.start + m.index)}: cites ${f.what}: ${excerpt(piece.text, m.index)}`);
      }
    }
    if (piece.kind === 'comment') {
      for (const p of danglingSharedPaths(file, piece.text))
        problems.push(
          `${file}:${lineAt(piece.start + piece.text.indexOf(p))}: "${p}" is not a path of this repository`,
        );
    }
    for (const c of docCitations(piece.text)) {
      const at = `${file}:${lineAt(piece.start + c.index)}`;
      const headings = docHeadings(c.doc);
      if (!headings) {
        problems.push(`${at}: docs/${c.doc} does not exist`);
        continue;
      }
      for (const sec of c.sections) if (!headings.has(sec)) problems.push(`${at}: docs/${c.doc} has no section ${sec}`);
    }
  }
  return problems;
}

function docHeadingsFromRepo(): (doc: string) => Set<string> | undefined {
  const cache = new Map<string, Set<string> | undefined>();
  return (doc) => {
    if (!cache.has(doc)) {
      const p = join(ROOT, 'docs', doc);
      cache.set(doc, existsSync(p) ? headingNumbers(readFileSync(p, 'utf8')) : undefined);
    }
    return cache.get(doc);
  };
}

describe('docs citations: code cites only what the repository has', function () {
  this.timeout(60_000);

  it('no comment or string in src/ and test/ cites an outside document or an issue number; every docs/*.md § exists', () => {
    const files = [
      ...walk('src', (p) => CODE_EXT.test(p)),
      ...walk('test', (p) => CODE_EXT.test(p)),
      ...readdirSync(ROOT).filter((n) => CODE_EXT.test(n)),
    ];
    assert.ok(files.length > 100, `found only ${files.length} source files under ${ROOT}`);
    const headings = docHeadingsFromRepo();
    const problems = files.flatMap((f) =>
      citationProblems(f.split(sep).join('/'), readFileSync(join(ROOT, f), 'utf8'), headings),
    );
    assert.deepEqual(problems, []);
  });

  it('the markdown in the repository cites no outside document, and docs/*.md name only repository paths that exist', () => {
    const docs = walk('docs', (p) => p.endsWith('.md'));
    const markdown = [
      'README.md',
      ...docs,
      ...walk('src', (p) => p.endsWith('.md')),
      ...walk('test', (p) => p.endsWith('.md')),
    ];
    const problems: string[] = [];
    for (const f of markdown) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      for (const fx of FORBIDDEN.slice(0, 3)) if (fx.re.test(text)) problems.push(`${f}: cites ${fx.what}`);
    }
    for (const f of docs) {
      for (const m of readFileSync(join(ROOT, f), 'utf8').matchAll(/`((?:src|test|media|docs)\/[\w./-]*)`/g)) {
        if (!existsSync(join(ROOT, m[1]!))) problems.push(`${f}: names \`${m[1]}\`, which does not exist`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the scanner finds citations in comments, not in code, and checks § numbers against the headings', () => {
    // Built from parts so that this file does not cite anything itself.
    const C = 'CONT' + 'RACT';
    const H = 'HOUSE' + '_STYLE';
    const I = 'iss' + 'ue';
    const D = 'docs' + '/';
    const headings = (doc: string): Set<string> | undefined =>
      doc === 'konnect-api.md' ? new Set(['1', '1.3', '2', '2.2', '2.3', '4', '8.5']) : undefined;
    const check = (src: string): string[] => citationProblems('src/core/x.ts', src, headings);

    assert.equal(check(`/** Pagination (${C} §1.3). */\nexport const a = 1;`).length, 1);
    assert.equal(check(`// injected (${H} #2)\n`).length, 1);
    assert.equal(check(`/* see house ${'style'} #15 */`).length, 1);
    assert.equal(check(`// each form adds its own module (${I} 6)`).length, 1);
    assert.equal(check(`// copied from /work/${'shared'}/konnect-api/x.yaml`).length, 1);
    assert.equal(
      check(`// see ../../shared/${'konnect'}-api/${C}.md`).length,
      3,
      'outside folder, not a repository path, the digest',
    );
    assert.deepEqual(check('// see ../shared/forms/protocol.ts and ../shared/protocol'), [], 'src/shared is ours');
    assert.equal(check('// see ../../shared/protocol').length, 1, 'there is no shared/ at the top of the repository');
    assert.deepEqual(check("// kongctl's docs/declarative.md"), [], 'a docs/ path without § may be another project');
    assert.equal(check(`it('Curity issuer (${C} §2.3)', () => {});`).length, 1, 'a test title is read too');

    assert.deepEqual(
      check(`// Pagination (docs/konnect-api.md §1.3), shapes §2.2/§2.3, §2–§4 and §8.5\n`),
      [],
      'cited sections that exist',
    );
    assert.deepEqual(check(`// ${D}konnect-api.md §2.2/§2.9`), [
      'src/core/x.ts:1: docs/konnect-api.md has no section 2.9',
    ]);
    assert.deepEqual(check(`// ${D}konnect-api.md §2–§7`), ['src/core/x.ts:1: docs/konnect-api.md has no section 7']);
    assert.deepEqual(check(`// ${D}nowhere.md §1`), ['src/core/x.ts:1: docs/nowhere.md does not exist']);

    // Code that merely looks like a citation is not one; a regular expression with quotes does not derail the scan.
    assert.deepEqual(
      check(
        `import { a } from '../../shared/forms/fields';\nconst re = /['"]\\/\\/ ${C} §1/;\nconst u = 'http://x//y';\n`,
      ),
      [],
    );
    assert.equal(
      check(`const re = /['"]/g; // ${C} §1.3\n`).length,
      1,
      'the comment after a quote-holding regex is still seen',
    );
    assert.equal(check('const t = `a ${1} b`; /* ' + `${H} #5 */`).length, 1);
    assert.deepEqual(check(`// RFC 6750 §3.1: no error code\n// see github.com/Kong/kongctl/issues/12\n`), []);
  });

  it('headingNumbers reads chapter and section headings', () => {
    assert.deepEqual(
      [...headingNumbers('# Title\n## 1. Transport\n### 1.3 Pagination\n### 8.13 Versions drift\ntext 9.9 here\n')],
      ['1', '1.3', '8.13'],
    );
  });
});
