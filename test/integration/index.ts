// Entry the harness (and @vscode/test-electron) loads inside the extension host: runs every *.test.js beside it.
import * as path from 'node:path';
import * as fs from 'node:fs';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  const grep = process.env['KDCR_GREP'];
  if (grep) mocha.grep(grep);
  const dir = __dirname;
  // An untrusted run (KDCR_UNTRUSTED=1, see test/harness/vscr-runtime.js) runs the Restricted Mode suite alone; the
  // others need a trusted workspace.
  const untrusted = process.env['KDCR_UNTRUSTED'] === '1';
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.test.js'))
    .sort()) {
    if ((f === 'restricted-mode.test.js') === untrusted) mocha.addFile(path.join(dir, f));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
