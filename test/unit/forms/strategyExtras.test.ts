// The auth strategy form's settings beyond the core fields: a key-auth TTL, application principals, and the other
// openid-connect settings the spec allows (`additionalProperties: true`, e.g. cache_tokens, hide_credentials). Shown,
// edited and sent; an edit sends only what changed (PATCH merges the config) and unsets what was removed (null).
// The round trip runs against the Konnect emulator, which validates every request against Kong's spec.
import * as assert from 'node:assert/strict';
import { createKonnectClient, type KonnectClient } from '../../../src/core/api/index';
import { formatKeyTtl, parseKeyTtl } from '../../../src/core/forms/fields';
import {
  buildStrategyCreate,
  buildStrategyUpdate,
  emptyStrategyValues,
  strategyValuesFrom,
  type Built,
} from '../../../src/core/forms/payload';
import { checkEntry, plainView, strategyEntryFrom, strategyValuesFromEntry } from '../../../src/core/forms/yaml';
import { ConfigDocument } from '../../../src/core/config/document';
import {
  CreateAppAuthStrategyRequestSchema,
  UpdateAppAuthStrategyRequestSchema,
} from '../../../src/core/model/authStrategy';
import type { StrategyFormValues } from '../../../src/shared/forms/protocol';
import { TOKEN, startTestKonnect, type TestKonnect } from '../../../sandbox/tests/support/fakes';
import { anOidcStrategy } from '../../support/konnectBuilders';

const ISSUER = 'https://idp.example.com/oauth2/default';
const oidc = (over: Partial<StrategyFormValues> = {}): StrategyFormValues => ({
  ...emptyStrategyValues(),
  name: 's1',
  issuer: ISSUER,
  ...over,
});
const keyAuth = (over: Partial<StrategyFormValues> = {}): StrategyFormValues =>
  oidc({ strategyType: 'key_auth', keyNames: 'apikey', ...over });
function body<T>(b: Built<T>): T {
  assert.ok(b.ok, `expected a body, got errors ${JSON.stringify(b.ok ? {} : b.errors)}`);
  return b.body;
}
function fieldErrors<T>(b: Built<T>): Record<string, string | undefined> {
  assert.ok(!b.ok, `expected errors, got the body ${JSON.stringify(b.ok ? b.body : {})}`);
  return b.errors.fields;
}

describe('forms: strategy TTL, principals and other OIDC settings', () => {
  it('a TTL is a number and days, weeks or years', () => {
    assert.deepEqual(parseKeyTtl('30 days'), { value: 30, unit: 'days' });
    assert.deepEqual(parseKeyTtl(' 1 Week '), { value: 1, unit: 'weeks' });
    assert.deepEqual(parseKeyTtl('2years'), { value: 2, unit: 'years' });
    for (const bad of ['', 'soon', '0 days', '3 months', '-1 days', '1.5 weeks'])
      assert.equal(parseKeyTtl(bad), undefined);
    assert.equal(formatKeyTtl({ value: 2, unit: 'weeks' }), '2 weeks');
  });

  it('create: the TTL, principals and other settings go into the body the spec takes', () => {
    const k = body(buildStrategyCreate(keyAuth({ keyTtl: '2 weeks', principals: true })));
    assert.deepEqual(k, {
      name: 's1',
      display_name: 's1',
      strategy_type: 'key_auth',
      configs: { 'key-auth': { key_names: ['apikey'], ttl: { value: 2, unit: 'weeks' } } },
      principals: { enabled: true },
    });
    const o = body(buildStrategyCreate(oidc({ otherSettings: '{"cache_tokens": true, "hide_credentials": false}' })));
    assert.ok(CreateAppAuthStrategyRequestSchema.safeParse(o).success);
    const cfg = (o as { configs: { 'openid-connect': Record<string, unknown> } }).configs['openid-connect'];
    assert.equal(cfg['cache_tokens'], true);
    assert.equal(cfg['hide_credentials'], false);
    assert.equal(cfg['issuer'], ISSUER);
    assert.equal('principals' in o, false, 'principals off: left out');
  });

  it('bad TTL or other settings: a message on that field, no body', () => {
    assert.match(fieldErrors(buildStrategyCreate(keyAuth({ keyTtl: 'soon' })))['keyTtl'] ?? '', /30 days/);
    assert.match(
      fieldErrors(buildStrategyCreate(oidc({ otherSettings: '{cache: 1' })))['otherSettings'] ?? '',
      /Not JSON/,
    );
    assert.match(
      fieldErrors(buildStrategyCreate(oidc({ otherSettings: '[1]' })))['otherSettings'] ?? '',
      /JSON object/,
    );
    assert.match(
      fieldErrors(buildStrategyCreate(oidc({ otherSettings: '{"issuer": "https://x"}' })))['otherSettings'] ?? '',
      /issuer: set this in the form's own fields/,
    );
    // a key-auth form does not read the OIDC text, an OIDC form not the TTL
    assert.ok(buildStrategyCreate(keyAuth({ otherSettings: 'junk' })).ok);
    assert.ok(buildStrategyCreate(oidc({ keyTtl: 'junk' })).ok);
  });

  it('edit: shows what the strategy has; sends only what changed, null for what was taken out', () => {
    const s = anOidcStrategy({
      principals: { enabled: true },
      configs: {
        'openid-connect': {
          issuer: ISSUER,
          credential_claim: ['azp'],
          scopes: [],
          auth_methods: ['bearer'],
          token_post_args_names: ['audience', 'resource'],
          token_post_args_values: ['aud1', 'r1'],
          cache_tokens: false,
          hide_credentials: true,
        },
      },
    });
    const v = strategyValuesFrom(s);
    assert.equal(v.principals, true);
    assert.deepEqual(JSON.parse(v.otherSettings), { cache_tokens: false, hide_credentials: true });
    const same = body(buildStrategyUpdate(v, s)) as Record<string, unknown>;
    const sameCfg = (same['configs'] as Record<string, Record<string, unknown>>)['openid-connect']!;
    assert.equal('cache_tokens' in sameCfg || 'hide_credentials' in sameCfg || 'principals' in same, false);
    const changed = body(
      buildStrategyUpdate({ ...v, principals: false, otherSettings: '{"cache_tokens": true, "timeout": 5000}' }, s),
    ) as Record<string, unknown>;
    assert.ok(UpdateAppAuthStrategyRequestSchema.safeParse(changed).success);
    const cfg = (changed['configs'] as Record<string, Record<string, unknown>>)['openid-connect']!;
    assert.deepEqual(
      [cfg['cache_tokens'], cfg['timeout'], cfg['hide_credentials'], changed['principals']],
      [true, 5000, null, { enabled: false }],
    );
    // the other post args (resource) survive next to the audience field
    assert.deepEqual(cfg['token_post_args_names'], ['resource', 'audience']);
  });

  it('edit of a key-auth strategy: the TTL is shown, changed, and unset with null when emptied', () => {
    const s = {
      ...anOidcStrategy(),
      strategy_type: 'key_auth' as const,
      dcr_provider: null,
      configs: { 'key-auth': { key_names: ['apikey'], ttl: { value: 30, unit: 'days' as const } } },
    };
    const v = strategyValuesFrom(s);
    assert.equal(v.keyTtl, '30 days');
    const cleared = body(buildStrategyUpdate({ ...v, keyTtl: '' }, s)) as { configs: Record<string, unknown> };
    assert.deepEqual(cleared.configs['key-auth'], { key_names: ['apikey'], ttl: null });
    const changed = body(buildStrategyUpdate({ ...v, keyTtl: '1 year' }, s)) as { configs: Record<string, unknown> };
    assert.deepEqual(changed.configs['key-auth'], { key_names: ['apikey'], ttl: { value: 1, unit: 'years' } });
  });

  it('YAML entries: TTL, principals and other settings read and written; untouched settings keep their tags', () => {
    const FILE = `application_auth_strategies:
  - ref: okta-cc
    name: okta-cc
    display_name: Okta
    strategy_type: openid_connect
    configs:
      openid_connect:
        issuer: ${ISSUER}
        credential_claim: [client_id]
        scopes: []
        auth_methods: [client_credentials]
        cache_tokens: false
        client_secret_hint: !env HINT
  - ref: keys
    name: keys
    display_name: Keys
    strategy_type: key_auth
    principals: {enabled: true}
    configs:
      key_auth:
        key_names: [apikey]
        ttl: {value: 3, unit: weeks}
`;
    const doc = ConfigDocument.parse(FILE);
    const o = doc.entryAt(2)!;
    const ov = strategyValuesFromEntry(o.value);
    assert.deepEqual(JSON.parse(ov.otherSettings), { cache_tokens: false, client_secret_hint: 'HINT' });
    const untouched = strategyEntryFrom(o.value, ov);
    const inner = (untouched.entry as { configs: { openid_connect: Record<string, unknown> } }).configs.openid_connect;
    assert.ok(
      JSON.stringify(inner['client_secret_hint']).includes('!env'),
      'the !env tag survives an edit that leaves the settings alone',
    );
    const edited = strategyEntryFrom(o.value, { ...ov, otherSettings: '{"cache_tokens": true}' });
    const ei = (plainView(edited.entry) as { configs: { openid_connect: Record<string, unknown> } }).configs
      .openid_connect;
    assert.deepEqual([ei['cache_tokens'], 'client_secret_hint' in ei], [true, false]);
    assert.equal(checkEntry('strategy', edited.entry, ov), undefined);
    const bad = checkEntry('strategy', edited.entry, { ...ov, otherSettings: 'nope' });
    assert.match(bad?.fields['otherSettings'] ?? '', /Not JSON/);

    const k = doc.entryAt(14)!;
    const kv = strategyValuesFromEntry(k.value);
    assert.deepEqual([kv.keyTtl, kv.principals], ['3 weeks', true]);
    const kOut = plainView(strategyEntryFrom(k.value, { ...kv, keyTtl: '', principals: false }).entry) as Record<
      string,
      unknown
    >;
    assert.deepEqual(kOut['principals'], { enabled: false });
    assert.deepEqual(kOut['configs'], { key_auth: { key_names: ['apikey'] } });
  });
});

describe('forms: other OIDC settings round trip (Konnect emulator)', function () {
  this.timeout(30_000);
  let k: TestKonnect;
  let client: KonnectClient;
  beforeEach(async () => {
    k = await startTestKonnect();
    client = createKonnectClient({ baseUrl: k.emu.url, token: TOKEN, userAgent: 'konnect-dcr-tests/1' });
  });
  afterEach(async () => {
    await client.close();
    await k.stop();
  });

  it('create with settings, edit with no change leaves them, edit changes one and unsets another', async () => {
    const created = await client.authStrategies.create(
      body(
        buildStrategyCreate(
          oidc({ name: 'extras', otherSettings: '{"cache_tokens": true, "hide_credentials": true}', principals: true }),
        ),
      ),
    );
    const v = strategyValuesFrom(created);
    await client.authStrategies.update(created.id, body(buildStrategyUpdate(v, created)));
    const again = await client.authStrategies.get(created.id);
    assert.deepEqual(again.configs, created.configs, 'an edit with no change changes nothing');
    assert.deepEqual(again.principals, { enabled: true });
    await client.authStrategies.update(
      created.id,
      body(buildStrategyUpdate({ ...v, otherSettings: '{"cache_tokens": false}' }, again)),
    );
    const after = await client.authStrategies.get(created.id);
    const cfg = (after.configs as Record<string, Record<string, unknown>>)['openid-connect']!;
    assert.deepEqual([cfg['cache_tokens'], 'hide_credentials' in cfg, cfg['issuer']], [false, false, ISSUER]);
  });
});
