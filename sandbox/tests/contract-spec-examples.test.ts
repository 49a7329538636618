/**
 * The validator itself: every example the specs attach to a request or response must pass the converted schemas
 * (nullable, discriminator+mapping, readOnly/writeOnly handled right), and broken copies of them must not.
 */
import assert from 'node:assert/strict';
import { type SpecName, specs } from '../konnect/openapi';
import { validateAgainstSpec, validateRequestAgainstSpec } from './support/spec-validate';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface ExampleCase {
  spec: SpecName;
  method: string;
  template: string;
  role: 'request' | 'response';
  status?: number;
  media: string;
  name: string;
  value: unknown;
}

function collect(): ExampleCase[] {
  const out: ExampleCase[] = [];
  const set = specs();
  for (const op of set.operations) {
    const doc = set.specs.get(op.spec)?.original as Obj;
    const resolve = (v: unknown): unknown => {
      let cur = v;
      for (let i = 0; i < 10 && isObj(cur) && typeof cur['$ref'] === 'string'; i++) {
        cur = cur['$ref']
          .slice(2)
          .split('/')
          .reduce<unknown>((a, k) => (isObj(a) ? a[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), doc);
      }
      return cur;
    };
    const fromContent = (content: unknown, role: 'request' | 'response', status?: number): void => {
      if (!isObj(content)) return;
      for (const [media, m] of Object.entries(content)) {
        if (!isObj(m) || !/json/.test(media) || m['schema'] === undefined) continue;
        const examples = isObj(m['examples']) ? m['examples'] : {};
        for (const [name, ex] of Object.entries(examples)) {
          const e = resolve(ex);
          if (isObj(e) && 'value' in e)
            out.push({
              spec: op.spec,
              method: op.method,
              template: op.template,
              role,
              media,
              name,
              value: e['value'],
              ...(status === undefined ? {} : { status }),
            });
        }
      }
    };
    const o = set.operationObject(op);
    const rb = resolve(o['requestBody']);
    if (isObj(rb)) fromContent(rb['content'], 'request');
    const responses = isObj(o['responses']) ? o['responses'] : {};
    for (const [status, r] of Object.entries(responses)) {
      const rr = resolve(r);
      if (isObj(rr) && /^\d+$/.test(status)) fromContent(rr['content'], 'response', Number(status));
    }
  }
  return out;
}

describe("contract: the spec validator agrees with the specs' own examples", function () {
  const cases = collect();

  it('collects a few hundred examples from the five served specs', () => {
    assert.ok(cases.length > 250, `only ${cases.length} examples found`);
    for (const s of ['aas', 'ki', 'cat', 'pm3', 'papi'] as SpecName[])
      assert.ok(
        cases.some((c) => c.spec === s),
        `no example from ${s}`,
      );
  });

  it('every example validates (requests in request mode, responses in response mode for their status)', () => {
    const failures: string[] = [];
    for (const c of cases) {
      const r =
        c.role === 'request'
          ? validateRequestAgainstSpec(c.method, c.template, c.value, { spec: c.spec })
          : validateAgainstSpec(c.method, c.template, c.status ?? 0, c.value, { spec: c.spec, contentType: c.media });
      if (!r.ok)
        failures.push(`${c.spec} ${c.method} ${c.template} ${c.role} ${c.status ?? ''} ${c.name}: ${r.message}`);
    }
    assert.deepEqual(failures, []);
  });

  it('and broken copies of them fail: a required field dropped, a wrong type, an unknown tag value', () => {
    const provider = cases.find(
      (c) =>
        c.role === 'response' && c.template === '/v2/dcr-providers/{dcrProviderId}' && c.name === 'DcrProviderAuth0',
    );
    assert.ok(provider);
    const noIssuer = structuredClone(provider.value) as Obj;
    delete noIssuer['issuer'];
    assert.equal(validateAgainstSpec('GET', provider.template, 200, noIssuer).ok, false);
    const leak = structuredClone(provider.value) as Obj;
    (leak['dcr_config'] as Obj)['initial_client_secret'] = 'x';
    assert.equal(
      validateAgainstSpec('GET', provider.template, 200, leak).ok,
      false,
      'a secret in the answer breaks additionalProperties: false',
    );
    const wrongShape = structuredClone(provider.value) as Obj;
    wrongShape['provider_type'] = 'okta';
    assert.equal(
      validateAgainstSpec('GET', provider.template, 200, wrongShape).ok,
      false,
      'the okta branch has an empty dcr_config',
    );
    const nullable = structuredClone(provider.value) as Obj;
    (nullable['dcr_config'] as Obj)['initial_client_audience'] = null;
    assert.equal(validateAgainstSpec('GET', provider.template, 200, nullable).ok, true, 'nullable: true admits null');
    (nullable['dcr_config'] as Obj)['use_developer_managed_scopes'] = null;
    assert.equal(
      validateAgainstSpec('GET', provider.template, 200, nullable).ok,
      false,
      'and only where the spec says so',
    );

    const strategy = cases.find((c) => c.role === 'request' && c.name === 'CreateAppAuthStrategyKeyAuthRequest');
    assert.ok(strategy);
    const badTag = { ...(strategy.value as Obj), strategy_type: 'oauth' };
    const r = validateRequestAgainstSpec('POST', '/v2/application-auth-strategies', badTag);
    assert.deepEqual(
      r.invalidParameters.map((p) => `${p.field}:${String(p.rule)}`),
      ['strategy_type:enum'],
    );
  });

  it('validateAgainstSpec takes concrete paths, knows undeclared statuses, and covers the HTTP DCR bridge contract', () => {
    const concrete = validateAgainstSpec('GET', '/v2/dcr-providers/93f8380e-7798-4566-99e3-2edf2b57d289', 404, {
      status: 404,
      title: 'Not Found',
      instance: 'kong:trace:1',
      detail: 'x',
    });
    assert.equal(concrete.ok, true);
    assert.equal(concrete.operation.template, '/v2/dcr-providers/{dcrProviderId}');
    const undeclared = validateAgainstSpec('GET', '/v2/dcr-providers', 418, {
      status: 418,
      title: 'x',
      instance: 'kong:trace:1',
      detail: 'x',
    });
    assert.equal(undeclared.declared, false);
    assert.throws(() => validateAgainstSpec('GET', '/v9/nothing', 200, {}), /no operation/);
    const bridge = validateAgainstSpec(
      'POST',
      '/',
      201,
      { client_id: 'id', client_secret: 'secret' },
      { spec: 'bridge' },
    );
    assert.equal(bridge.ok, true);
    const bridgeReq = validateRequestAgainstSpec('POST', '/', { client_name: 'x' }, { spec: 'bridge' });
    assert.equal(bridgeReq.ok, false, 'the bridge create body requires redirect_uris, grant_types, ...');
  });
});
