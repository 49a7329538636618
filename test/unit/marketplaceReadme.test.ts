import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/fixtures';

interface ReadmeModule {
  marketplaceReadme(text: string): string;
  SHIPPED_SECTIONS: string[];
}
const load = async (): Promise<ReadmeModule> =>
  (await import(pathToFileURL(join(repoRoot(), 'scripts', 'marketplace-readme.mjs')).href)) as ReadmeModule;

describe('the VSIX README (scripts/marketplace-readme.mjs)', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');

  it('carries the opening (with its screenshots), the table of what works, real Konnect and the license; no chapter', async () => {
    const { marketplaceReadme, SHIPPED_SECTIONS } = await load();
    const out = marketplaceReadme(readme);
    assert.ok(out.startsWith('# Konnect DCR\n'));
    assert.match(out, /!\[[^\]]*\]\(docs\/images\/[\w-]+\.png\)/);
    for (const s of SHIPPED_SECTIONS) assert.ok(out.includes(`\n## ${s}\n`), s);
    for (const s of ['Config files (kongctl YAML)', 'Test it', 'Bundles', 'How to add a provider type', 'Run it'])
      assert.ok(!out.includes(`\n## ${s}\n`), s);
    assert.ok(!out.includes('\n### '), 'no subsection of a dropped chapter');
    assert.match(out, /Each part has its own chapter/);
  });

  it('a link to a dropped section keeps its words without the link; links to shipped ones stay', async () => {
    const { marketplaceReadme } = await load();
    const out = marketplaceReadme(
      '# X\nSee [the runner](#runner) and [real Konnect](#point-it-at-real-konnect).\n## What works today and what is planned\n## Runner\n### Syntax\n## Point it at real Konnect\n## License\n',
    );
    assert.match(out, /See the runner and \[real Konnect\]\(#point-it-at-real-konnect\)\./);
    assert.doesNotMatch(out, /## Runner|### Syntax/);
  });

  it('fails the build when a section it ships is no longer in README.md', async () => {
    const { marketplaceReadme } = await load();
    assert.throws(
      () => marketplaceReadme('# X\n## What works today and what is planned\n## License\n'),
      /README\.md has no section "## Point it at real Konnect"/,
    );
  });
});
