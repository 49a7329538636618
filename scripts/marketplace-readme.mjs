// The README the VSIX carries (what the Extensions view and a gallery page show): the overview of README.md (its
// opening, the table of what works, how to point it at real Konnect, the license). The chapters (config files, the
// runner, Prove DCR, the Doctor, …) and everything for the people who build the extension stay in the repository:
// in VS Code the walkthroughs, hovers and the config schema carry that. `npm run package` passes the result to vsce
// with --readme-path; esbuild.mjs --production writes it. One source, so the two cannot drift; a heading renamed in
// README.md fails the build instead of silently shipping less.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Level-2 sections of README.md the VSIX carries (each with its subsections), besides the opening. */
export const SHIPPED_SECTIONS = ['What works today and what is planned', 'Point it at real Konnect', 'License'];
export const MARKETPLACE_README = 'out/README.marketplace.md';
const MORE =
  "Each part has its own chapter (config files, the runner, Prove DCR, the DCR Doctor, portals, the Testing view, the language-model tools) in the README of the extension's source repository.";

const slug = (heading) =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

/** README.md's text as the VSIX shows it. */
export function marketplaceReadme(text) {
  const out = [];
  const kept = new Set();
  const dropped = new Set();
  let keeping = true; // the opening, up to the first level-2 heading
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^```/.test(line)) fence = !fence;
    const h2 = !fence && /^## (.+)$/.exec(line);
    if (h2) {
      keeping = SHIPPED_SECTIONS.includes(h2[1]);
      (keeping ? kept : dropped).add(h2[1]);
      if (keeping && h2[1] === SHIPPED_SECTIONS[1]) out.push(MORE, '');
    }
    const h3 = !fence && /^### (.+)$/.exec(line);
    if (h3 && !keeping) dropped.add(h3[1]);
    if (keeping) out.push(line);
  }
  const missing = SHIPPED_SECTIONS.filter((s) => !kept.has(s));
  if (missing.length) throw new Error(`README.md has no section ${missing.map((m) => `"## ${m}"`).join(', ')}`);
  // a link to a section that is not shipped keeps its words and loses the link
  const gone = new Set([...dropped].map(slug));
  return out.join('\n').replace(/\[([^\]]+)\]\(#([\w-]+)\)/g, (all, words, anchor) => (gone.has(anchor) ? words : all));
}

export function writeMarketplaceReadme(from = 'README.md', to = MARKETPLACE_README) {
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, marketplaceReadme(readFileSync(from, 'utf8')));
}
