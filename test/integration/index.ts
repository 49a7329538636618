// Entry the harness (and @vscode/test-electron) loads inside the extension host: runs every *.test.js beside it.
import * as path from 'node:path';
import * as fs from 'node:fs';
import Mocha from 'mocha';

/**
 * The suites that must run after all the others, in this order: the secret scan looks for every secret the earlier
 * suites handed out, then the audit adds the ones no test sees and the places the scan does not look. The rest run
 * in name order.
 */
export const LAST = ['secret-scan.test.js', 'secrets-audit.test.js'];

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  const grep = process.env['KDCR_GREP'];
  if (grep) mocha.grep(grep);
  const dir = __dirname;
  // An untrusted run (KDCR_UNTRUSTED=1, see test/harness/vscr-runtime.js) runs the Restricted Mode suite alone; the
  // others need a trusted workspace.
  const untrusted = process.env['KDCR_UNTRUSTED'] === '1';
  const files = fs.readdirSync(dir).filter((n) => n.endsWith('.test.js'));
  for (const f of LAST)
    if (!files.includes(f)) throw new Error(`test/integration/index.ts: LAST names ${f}, which is not there`);
  const ordered = [...files.filter((f) => !LAST.includes(f)).sort(), ...LAST];
  for (const f of ordered) {
    if ((f === 'restricted-mode.test.js') === untrusted) mocha.addFile(path.join(dir, f));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
