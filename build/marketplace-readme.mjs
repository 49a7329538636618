// The README the VSIX carries (what the Extensions view and a gallery page show): README.md without the sections
// written for the people who build and test the extension. `npm run package` passes it to vsce with --readme-path;
// esbuild.mjs --production writes it. One source, so the two cannot drift; a heading renamed here or there fails the
// build instead of silently shipping developer notes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Level-2 sections of README.md left out of the VSIX (each with its subsections). */
export const DEVELOPER_SECTIONS = [
  'Run it',
  'Test it',
  'Layout',
  'Bundles',
  'How to add a provider type',
  'Benchmark',
  'Why `engines.vscode` is `^1.100.0`',
];
export const MARKETPLACE_README = 'out/README.marketplace.md';

const slug = (heading) =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

/** README.md's text as the VSIX shows it. */
export function marketplaceReadme(text) {
  const lines = text.split('\n');
  const out = [];
  const dropped = new Set();
  let skipping = false;
  let fence = false;
  for (const line of lines) {
    if (/^```/.test(line)) fence = !fence;
    const h2 = !fence && /^## (.+)$/.exec(line);
    if (h2) {
      skipping = DEVELOPER_SECTIONS.includes(h2[1]);
      if (skipping) dropped.add(h2[1]);
    }
    // a level-3 heading inside a dropped section goes with it (its anchor too)
    const h3 = !fence && /^### (.+)$/.exec(line);
    if (h3 && skipping) dropped.add(h3[1]);
    if (!skipping) out.push(line);
  }
  const missing = DEVELOPER_SECTIONS.filter((s) => !dropped.has(s));
  if (missing.length) throw new Error(`README.md has no section ${missing.map((m) => `"## ${m}"`).join(', ')}`);
  // a link to a section that is not shipped keeps its words and loses the link
  const gone = new Set([...dropped].map(slug));
  return out.join('\n').replace(/\[([^\]]+)\]\(#([\w-]+)\)/g, (all, words, anchor) => (gone.has(anchor) ? words : all));
}

export function writeMarketplaceReadme(from = 'README.md', to = MARKETPLACE_README) {
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, marketplaceReadme(readFileSync(from, 'utf8')));
}
