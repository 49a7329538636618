// Parsing with positions: the JSON view, node ranges, tags, syntax errors, and the entryAt / writeEntry pair forms use.
import * as assert from 'node:assert/strict';
import { ConfigDocument, writeEntry, type FormValue } from '../../../src/core/config/index';
import { at } from './support';

/** A value deep inside a view or form value. */
const dig = (v: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], v);

const TEXT = `# DCR for the payments team
_defaults:
  kongctl:
    namespace: payments
dcr_providers:
  - ref: okta-dcr   # the Okta one
    name: Okta DCR
    provider_type: okta
    issuer: https://example.okta.com/oauth2/default
    dcr_config:
      dcr_token: !secret {source: !env OKTA_DCR_TOKEN}
application_auth_strategies:
  - ref: okta-oidc
    name: Okta OIDC
    display_name: Okta
    strategy_type: openid_connect
    dcr_provider_id: !ref okta-dcr
    configs:
      openid_connect:
        issuer: !file ./issuer.txt
        credential_claim: [cid]
        scopes: [payments:read]
        auth_methods: [client_credentials]
portals:
  - ref: dev-portal
    name: dev
`;

describe('config document: parse with positions', () => {
  const doc = ConfigDocument.parse(TEXT);

  it('builds the tag-free JSON view a YAML language server sees', () => {
    const v = doc.view;
    assert.equal(dig(v, 'dcr_providers', 0, 'dcr_config', 'dcr_token', 'source'), 'OKTA_DCR_TOKEN');
    assert.equal(dig(v, 'application_auth_strategies', 0, 'dcr_provider_id'), 'okta-dcr');
    assert.equal(dig(v, 'application_auth_strategies', 0, 'configs', 'openid_connect', 'issuer'), './issuer.txt');
    assert.deepEqual(dig(v, 'portals'), [{ ref: 'dev-portal', name: 'dev' }]);
  });

  it('folds !env / !file maps to their string form', () => {
    const d = ConfigDocument.parse('a: !env {var: X, extract: a.b}\nb: !file {path: ./x.yaml}\n');
    assert.deepEqual(d.view, { a: 'X#a.b', b: './x.yaml' });
  });

  it('keeps the tags on the AST', () => {
    assert.equal(doc.tagAt(['dcr_providers', 0, 'dcr_config', 'dcr_token']), '!secret');
    assert.equal(doc.tagAt(['application_auth_strategies', 0, 'dcr_provider_id']), '!ref');
    assert.equal(doc.tagAt(['dcr_providers', 0, 'name']), undefined);
  });

  it('gives the exact range of a value and of a key (0-based, UTF-16)', () => {
    assert.deepEqual(doc.valueRange(['dcr_providers', 0, 'issuer']), {
      start: at(TEXT, 'https://example.okta.com'),
      end: at(TEXT, 'https://example.okta.com/oauth2/default', 0, 39),
    });
    assert.deepEqual(doc.keyRange(['dcr_providers', 0, 'provider_type']).start, at(TEXT, 'provider_type'));
    assert.deepEqual(
      doc.valueRange(['application_auth_strategies', 0, 'configs', 'openid_connect', 'scopes', 0]).start,
      at(TEXT, 'payments:read'),
    );
    // the value of a tagged scalar: the ref, after the tag
    assert.deepEqual(
      doc.valueRange(['application_auth_strategies', 0, 'dcr_provider_id']).start,
      at(TEXT, 'okta-dcr', 1),
    );
  });

  it('points a missing key at the key that owns the mapping, or the first key of a list item', () => {
    assert.deepEqual(doc.ownerRange(['dcr_providers', 0, 'dcr_config']).start, at(TEXT, 'dcr_config'));
    assert.deepEqual(doc.ownerRange(['dcr_providers', 0]).start, at(TEXT, 'ref: okta-dcr'));
  });

  it('counts positions after non-ASCII text in UTF-16 code units', () => {
    const t = 'dcr_providers:\n  - ref: é😀x\n    name: ok\n';
    const d = ConfigDocument.parse(t);
    assert.deepEqual(d.valueRange(['dcr_providers', 0, 'ref']), { start: at(t, 'é'), end: at(t, 'é😀x', 0, 4) });
  });

  it('maps offsets to lines from the text itself, also after an error token that spans a line break', () => {
    const t = 'x:\n  "k": "v",\n    y: 1\nbad: : :\n';
    const d = ConfigDocument.parse(t);
    const late = d.doc.errors.filter((e) => e.pos[0] >= t.indexOf('bad'));
    assert.ok(late.length);
    for (const e of late) assert.equal(d.position(e.pos[0]).line, 3);
    assert.deepEqual(ConfigDocument.parse('a: 1\r\nb: [\r\n').position(8), { line: 1, character: 2 });
  });

  it('a recursive alias is a located error, and an alias bomb is refused quickly (no stack overflow, no hang)', () => {
    for (const t of ['a: &a [*a]\n', 'dcr_providers: &p\n  - *p\n', '_defaults: &d\n  kongctl: *d\n']) {
      const d = ConfigDocument.parse(t);
      const p = d.syntaxProblems().find((x) => x.code === 'yaml-alias');
      assert.ok(p, t);
      assert.match(p.message, /recursive alias/);
      assert.deepEqual(p.range.start, at(t, '*'));
      assert.equal(d.entryAt(1), undefined);
    }
    const bomb = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 7; i++)
      bomb.push(
        `x${i}: &x${i} [${Array(9)
          .fill(`*x${i - 1}`)
          .join(', ')}]`,
      );
    const t0 = performance.now();
    const d = ConfigDocument.parse(`${bomb.join('\n')}\n`);
    assert.ok(performance.now() - t0 < 1000, `${performance.now() - t0} ms`);
    assert.match(d.syntaxProblems().find((x) => x.code === 'yaml-alias')!.message, /more than 100000 values/);
    // plain aliases still work
    assert.deepEqual(ConfigDocument.parse('a: &a {x: 1}\nb: *a\n').view, { a: { x: 1 }, b: { x: 1 } });
  });

  it('reports YAML syntax errors at their position, and unknown tags (kongctl rejects them) as warnings', () => {
    const t = 'dcr_providers:\n  - ref: a\n    name: [unclosed\nb: !bogus 1\n';
    const problems = ConfigDocument.parse(t).syntaxProblems();
    assert.ok(problems.some((p) => p.severity === 'error' && p.code === 'yaml-syntax'));
    const dup = ConfigDocument.parse('a: 1\na: 2\n').syntaxProblems();
    assert.equal(dup[0]!.code, 'yaml-syntax');
    assert.match(dup[0]!.message, /only once/);
    assert.deepEqual(dup[0]!.range.start, { line: 1, character: 0 });
    const tag = ConfigDocument.parse('x: !bogus 1\ny: !ref a\n').syntaxProblems();
    assert.deepEqual(
      tag.map((p) => [p.code, p.severity, p.range.start]),
      [['unknown-tag', 'warning', { line: 0, character: 3 }]],
    );
  });
});

describe('config document: entryAt / writeEntry (for forms)', () => {
  const doc = ConfigDocument.parse(TEXT);

  it('finds the entry under a line, with its tags kept as {$tag, value}', () => {
    const e = doc.entryAt(at(TEXT, 'dcr_token').line)!;
    assert.equal(e.section, 'dcr_providers');
    assert.equal(e.index, 0);
    assert.equal(e.ref, 'okta-dcr');
    assert.equal(e.name, 'Okta DCR');
    assert.deepEqual(dig(e.value, 'dcr_config', 'dcr_token'), {
      $tag: '!secret',
      value: { source: { $tag: '!env', value: 'OKTA_DCR_TOKEN' } },
    });
    const s = doc.entryAt(at(TEXT, 'auth_methods').line)!;
    assert.equal(s.section, 'application_auth_strategies');
    assert.deepEqual(dig(s.value, 'dcr_provider_id'), { $tag: '!ref', value: 'okta-dcr' });
    assert.equal(doc.entryAt(at(TEXT, 'dev-portal').line), undefined, 'other kongctl resources are not entries');
    assert.equal(doc.entryAt(0), undefined);
  });

  it('writes an entry back in place: untouched keys keep their comments, tags are restored', () => {
    const e = doc.entryAt(at(TEXT, 'issuer').line)!;
    const value = {
      ...(e.value as Record<string, FormValue>),
      issuer: 'https://example.okta.com/oauth2/payments',
      display_name: 'Okta',
    };
    const r = writeEntry(TEXT, { section: 'dcr_providers', index: 0 }, value);
    assert.match(r.text, /- ref: okta-dcr # the Okta one/);
    assert.match(r.text, /issuer: https:\/\/example\.okta\.com\/oauth2\/payments/);
    assert.match(r.text, /dcr_token: !secret \{source: !env OKTA_DCR_TOKEN\}/);
    assert.match(r.text, /display_name: Okta\n/);
    assert.match(r.text, /^# DCR for the payments team/);
    // the single edit turns the old text into the new one
    const applied = TEXT.slice(0, r.edit.start) + r.edit.newText + TEXT.slice(r.edit.end);
    assert.equal(applied, r.text);
    // and reading it again gives the same entry
    const again = ConfigDocument.parse(r.text).entryAt(at(r.text, 'payments').line + 6)!;
    assert.equal((again.value as Record<string, FormValue>)['issuer'], 'https://example.okta.com/oauth2/payments');
  });

  it('appends a new entry, creating the section when needed', () => {
    const r = writeEntry(
      '# empty\n',
      { section: 'kong_identity_auth_servers' },
      { ref: 'ki', name: 'KI', audience: 'https://a' },
    );
    assert.equal(
      r.text,
      '# empty\n\nkong_identity_auth_servers:\n  - ref: ki\n    name: KI\n    audience: https://a\n',
    );
    const r2 = writeEntry(
      TEXT,
      { section: 'application_auth_strategies' },
      {
        ref: 'k',
        name: 'k',
        display_name: '',
        strategy_type: 'key_auth',
        configs: { key_auth: { key_names: ['apikey'] } },
        dcr_provider_id: { $tag: '!ref', value: 'x' },
      },
    );
    const d = ConfigDocument.parse(r2.text);
    assert.equal(d.tagAt(['application_auth_strategies', 1, 'dcr_provider_id']), '!ref');
    assert.equal(dig(d.view, 'application_auth_strategies', 1, 'configs', 'key_auth', 'key_names', 0), 'apikey');
  });

  it("changes only the entry's own text: other entries and sections stay byte for byte, in the file's indentation", () => {
    const t =
      'portals: [{ref: p, name: p}]   # flow, untouched\ndcr_providers:\n- ref: a\n  name: A\n  provider_type: kongIdentity\n  issuer: https://a\n- ref: b   # keep me\n  name: B\n  provider_type: kongIdentity\n  issuer: https://b\napplication_auth_strategies: []\n';
    const r = writeEntry(
      t,
      { section: 'dcr_providers', index: 0 },
      { ref: 'a', name: 'A2', provider_type: 'kongIdentity', issuer: 'https://a' },
    );
    assert.equal(r.text, t.replace('name: A\n', 'name: A2\n'));
    assert.deepEqual(r.edit, { start: t.indexOf('name: A') + 7, end: t.indexOf('name: A') + 7, newText: '2' });
    const added = writeEntry(
      t,
      { section: 'dcr_providers' },
      { ref: 'c', name: 'C', provider_type: 'kongIdentity', issuer: 'https://c' },
    );
    assert.equal(
      added.text,
      t.replace(
        'application_auth_strategies',
        '- ref: c\n  name: C\n  provider_type: kongIdentity\n  issuer: https://c\napplication_auth_strategies',
      ),
    );
    assert.equal(added.edit.start, t.indexOf('application_auth_strategies'));
  });

  it('refuses to write into a file with YAML errors, or past the end of a section', () => {
    assert.throws(() => writeEntry('a: [\n', { section: 'dcr_providers' }, {}), /YAML errors/);
    assert.throws(() => writeEntry(TEXT, { section: 'dcr_providers', index: 5 }, {}), /no entry #6/);
  });
});
