// `!file` secrets: read relative to the config file, inside the boundary only (no absolute path, no `..` out, no
// symlink out, of the file or a folder on the way), a regular file of at most 64 KiB, one trailing newline dropped,
// `#a.b` extracts from YAML/JSON; a problem names the path, never the content. An apply sends the content, and neither
// the plan nor the apply report shows it. Against the Konnect emulator (in-process) for the apply.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createKonnectClient } from '../../../src/core/api/index';
import {
  SecretFileError,
  analyzeConfig,
  applyConfig,
  computePlan,
  fileSecrets,
  locateSecretFile,
  readSecretFile,
  renderApplyResult,
  renderPlan,
  savePlan,
} from '../../../src/core/config/index';
import { TOKEN, startTestKonnect } from '../../../sandbox/tests/support/fakes';

const CONTENT = 'okta-ssws-from-a-file-0001';
const OUTSIDE = 'outside-secret-must-not-be-read-0002';

describe('config !file secrets', function () {
  this.timeout(30_000);
  let base: string;
  let root: string;
  let config: string;
  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-file-secret-')));
    root = path.join(base, 'workspace');
    config = path.join(root, 'team');
    fs.mkdirSync(path.join(config, 'secrets'), { recursive: true });
    fs.writeFileSync(path.join(config, 'secrets', 'okta.token'), `${CONTENT}\n`);
    fs.writeFileSync(path.join(root, 'creds.yaml'), `okta:\n  token: ${CONTENT}\n`);
    fs.writeFileSync(path.join(base, 'outside.token'), OUTSIDE);
    fs.mkdirSync(path.join(base, 'outside-dir'));
    fs.writeFileSync(path.join(base, 'outside-dir', 'x.token'), OUTSIDE);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const refused = async (spec: string, why: RegExp): Promise<void> => {
    await assert.rejects(readSecretFile(spec, config, root), (e: unknown) => {
      assert.ok(e instanceof SecretFileError, String(e));
      assert.match(e.message, why);
      assert.ok(!e.message.includes(OUTSIDE) && !e.message.includes(CONTENT), 'the message never has the content');
      return true;
    });
  };

  it('reads relative to the config file, drops one trailing newline, extracts #a.b from YAML', async () => {
    assert.equal(await readSecretFile('secrets/okta.token', config, root), CONTENT);
    assert.equal(await readSecretFile('./secrets/../secrets/okta.token', config, root), CONTENT);
    assert.equal(await readSecretFile('../creds.yaml#okta.token', config, root), CONTENT, 'up, but still inside');
    await refused('../creds.yaml#okta.missing', /no text value at okta\.missing/);
    // a symlink that stays inside is fine
    fs.symlinkSync(path.join(config, 'secrets', 'okta.token'), path.join(config, 'link.token'));
    assert.equal(await readSecretFile('link.token', config, root), CONTENT);
  });

  it('refuses an absolute path, a way out, a symlink out (file or folder), a folder, a big file, a missing one', async () => {
    await refused(path.join(config, 'secrets', 'okta.token'), /must be relative to the config file, not absolute/);
    await refused('../../outside.token', /is outside the workspace folder/);
    fs.symlinkSync(path.join(base, 'outside.token'), path.join(config, 'escape.token'));
    await refused('escape.token', /symbolic link \(or inside one\) that leads outside the workspace folder/);
    fs.symlinkSync(path.join(base, 'outside-dir'), path.join(config, 'escape-dir'));
    await refused('escape-dir/x.token', /symbolic link \(or inside one\) that leads outside/);
    await refused('secrets', /is not a file/);
    fs.writeFileSync(path.join(config, 'big.token'), 'x'.repeat(64 * 1024 + 1));
    await refused('big.token', /larger than 64 KiB/);
    await refused('nope.token', /no such file/);
    await refused('', /needs a path/);
    await assert.rejects(locateSecretFile('../../outside.token', config, root), SecretFileError);
  });

  it('an apply sends the content; the plan, the report and a saved plan only name the path', async () => {
    const text =
      'dcr_providers:\n  - ref: filed\n    name: Filed Okta\n    provider_type: okta\n    issuer: https://example.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: !file secrets/okta.token\n';
    const a = analyzeConfig(text, { fileName: 'konnect-dcr.yaml' });
    assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics));
    const refs = fileSecrets(a.model!);
    assert.deepEqual(
      refs.map((r) => [r.provider, r.field, r.spec]),
      [['Filed Okta', 'dcr_config.dcr_token', 'secrets/okta.token']],
    );
    assert.equal(a.doc.valueRange(refs[0]!.at).start.line, 6, 'the value of dcr_token, for the diagnostic');

    const k = await startTestKonnect();
    const client = createKonnectClient({ baseUrl: k.emu.url, token: TOKEN, userAgent: 'konnect-dcr-tests/1' });
    try {
      const plan = await computePlan(client, a.model!);
      assert.match(renderPlan(plan), /dcr_config\.dcr_token: will be sent \(from the file secrets\/okta\.token\)/);
      const saved = savePlan(plan, a.model!, { file: 'team/konnect-dcr.yaml', text, target: { name: 'e', host: 'h' } });
      const r = await applyConfig(client, a.model!, {
        resolveSecret: () => Promise.resolve(undefined),
        readSecretFile: (spec) => readSecretFile(spec, config, root),
      });
      assert.ok(r.ok, renderApplyResult(r));
      const stored = [...k.emu.store.providers.values()].find((p) => p.name === 'Filed Okta');
      assert.equal(stored?.secrets['dcr_token'], CONTENT);
      for (const shown of [renderPlan(plan), renderApplyResult(r), saved]) assert.ok(!shown.includes(CONTENT));

      // a bad path stops the apply before anything is sent
      const bad = analyzeConfig(
        text.replace('Filed Okta', 'Escaping Okta').replace('secrets/okta.token', '../../outside.token'),
        {
          fileName: 'konnect-dcr.yaml',
        },
      );
      const from = k.emu.requests.length;
      await assert.rejects(
        applyConfig(client, bad.model!, {
          resolveSecret: () => Promise.resolve(undefined),
          readSecretFile: (spec) => readSecretFile(spec, config, root),
        }),
        (e: unknown) =>
          e instanceof Error &&
          /Escaping Okta: dcr_config\.dcr_token: !file \.\.\/\.\.\/outside\.token is outside the workspace folder/.test(
            e.message,
          ) &&
          !e.message.includes(OUTSIDE),
      );
      assert.deepEqual(
        k.emu.requests.slice(from).filter((q) => q.method !== 'GET'),
        [],
      );
    } finally {
      await client.close();
      await k.stop();
    }
  });
});
