import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/fixtures';

interface ReadmeModule {
  marketplaceReadme(text: string): string;
  DEVELOPER_SECTIONS: string[];
}
const load = async (): Promise<ReadmeModule> =>
  (await import(pathToFileURL(join(repoRoot(), 'build', 'marketplace-readme.mjs')).href)) as ReadmeModule;

describe('the VSIX README (build/marketplace-readme.mjs)', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');

  it("keeps the users' sections and drops the developers' ones with their subsections", async () => {
    const { marketplaceReadme, DEVELOPER_SECTIONS } = await load();
    const out = marketplaceReadme(readme);
    for (const s of ['Config files (kongctl YAML)', 'Runner (`.http` files)', 'Prove DCR', 'Point it at real Konnect'])
      assert.ok(out.includes(`\n## ${s}\n`), s);
    for (const s of DEVELOPER_SECTIONS) assert.ok(!out.includes(`\n## ${s}\n`), s);
    assert.ok(!out.includes('\n### Formatting\n'), 'a subsection of "Test it" goes with it');
    assert.ok(out.length < readme.length * 0.75, `${out.length} of ${readme.length} characters`);
  });

  it('a link to a dropped section keeps its words without the link; other links stay', async () => {
    const { marketplaceReadme } = await load();
    const out = marketplaceReadme(
      '# X\nSee [the bundles](#bundles) and [Prove DCR](#prove-dcr).\n## Prove DCR\np\n## Run it\n## Test it\n### Formatting\n## Layout\n## Bundles\n## How to add a provider type\n## Benchmark\n## Why `engines.vscode` is `^1.100.0`\n## License\n',
    );
    assert.match(out, /See the bundles and \[Prove DCR\]\(#prove-dcr\)\./);
    assert.match(out, /## License/);
  });

  it('fails the build when a section it drops is no longer in README.md', async () => {
    const { marketplaceReadme } = await load();
    assert.throws(() => marketplaceReadme('# X\n## Run it\n'), /README\.md has no section "## Test it"/);
  });
});
