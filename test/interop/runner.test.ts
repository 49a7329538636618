/**
 * The request runner (src/core/requests) against servers nobody here wrote: .http files parsed and sent by the
 * runner's own executor, tokens from Glewlwyd, the calls judged by Apache httpd + mod_auth_openidc. For every
 * token the gateway is shown, the runner's checks must agree with what the gateway decided, and Explain must name
 * the cause the gateway's own log gives.
 */
import * as assert from 'node:assert/strict';
import { findTokenEndpoint } from '../../src/core/oidc/discovery';
import { SignatureVerifier } from '../../src/core/oidc/jwks';
import { createRequestExecutor, type RequestExecutor } from '../../src/core/requests/executor';
import { generateValidationRequests } from '../../src/core/requests/generate';
import { parseRequestFile } from '../../src/core/requests/parser';
import { RequestRunner, RunSession, type RunResult } from '../../src/core/requests/runner';
import { nullLogger } from '../../src/core/util/logger';
import { Redactor } from '../../src/core/util/redact';
import type { RegisteredClient } from '../../sandbox/contracts';
import { curityDriver } from '../../sandbox/idp/drivers/drivers';
import { BILLING_AUDIENCE, ORDERS_AUDIENCE } from './servers/glewlwyd';
import { registrationRequest, storedProvider, strategyViewFor } from './support/fixtures';
import { trustInFetch } from './support/http';
import { startWorld, type World } from './support/world';

const never = new AbortController().signal;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('interop: the .http runner against Glewlwyd (IdP) and Apache httpd + mod_auth_openidc (gateway)', function () {
  this.timeout(60_000);
  let world: World;
  let untrust: (() => Promise<void>) | undefined;
  let app: RegisteredClient;
  let executor: RequestExecutor;
  let redactor: Redactor;
  let runner: RequestRunner;

  before(async () => {
    world = await startWorld();
    untrust = trustInFetch(world.ca);
    // the app's client registered at Glewlwyd as the Konnect emulator does it (RFC 7591, the initial client's token)
    app = await curityDriver.register(storedProvider(world), registrationRequest('kdcr-interop-runner'));
    // TLS verified as always: the IdP's throw-away certificate is what konnectDcr.caFile would add
    executor = createRequestExecutor({ ca: world.ca, timeoutMs: 10_000 });
    redactor = new Redactor();
    const verifier = new SignatureVerifier(executor);
    const view = strategyViewFor(world);
    runner = new RequestRunner({
      executor,
      now: () => Date.now(),
      redactor,
      logger: nullLogger,
      resolveStrategy: async (ref) => (ref === view.id ? view : undefined),
      verifySignature: (raw, jwt, issuer, signal) => verifier.check(raw, jwt, issuer, signal),
    });
  });
  after(async () => {
    if (app)
      await curityDriver
        .deleteClient(storedProvider(world), app.client_id, undefined, app.management)
        .catch(() => undefined);
    await untrust?.();
    await world?.stop();
  });

  function session(text: string, environment: Record<string, string> = {}): RunSession {
    const file = parseRequestFile(text);
    const blocking = file.requests.flatMap((r) => r.blocking);
    assert.deepEqual(blocking, [], 'the file has no problem that stops a request');
    return new RunSession(file, {
      environment,
      dotenv: {},
      processEnv: () => undefined,
      now: Date.now,
      secret: async (k) =>
        k === 'app.clientId' ? app.client_id : k === 'app.clientSecret' ? app.client_secret : undefined,
    });
  }

  const indexOf = (s: RunSession, name: string): number => {
    const r = s.file.requests.find((x) => x.name === name);
    assert.ok(r, `request ${name}`);
    return r.index;
  };
  const sentChecks = (r: RunResult) => r.tokens.find((t) => t.source === 'request.bearer')?.checks ?? [];
  const failing = (r: RunResult): string[] =>
    sentChecks(r)
      .filter((c) => c.status === 'fail')
      .map((c) => c.id);

  it('"Create Validation Requests" output, sent as is: the token endpoint comes from Glewlwyd\'s discovery, the gateway answers 200, every token check passes (signature against Glewlwyd\'s JWKS)', async () => {
    const view = strategyViewFor(world);
    const tokenEndpoint = await findTokenEndpoint(executor, view.issuer, view.providerType, never);
    assert.equal(tokenEndpoint.source, 'discovery');
    assert.equal(tokenEndpoint.url, world.idp.tokenEndpoint);
    const text = generateValidationRequests({
      strategy: view,
      tokenEndpoint,
      gatewayUrl: world.routeUrl,
      secretKey: 'app',
      now: Date.now(),
    });
    const s = session(text);
    const logged = world.gateway.accessLog().length;
    const r = await runner.run(s, indexOf(s, 'gateway'), never);
    assert.equal(r.error, undefined, r.error?.message);
    const token = s.responses.get('token');
    assert.equal(
      token?.status,
      200,
      `the token request (run first, for the chain) answered ${token?.status}: ${token?.body.slice(0, 200)}`,
    );
    assert.equal(
      r.response?.status,
      200,
      `gateway: ${r.response?.status} ${String(r.response?.headers['www-authenticate'] ?? '')}\n${world.gateway.errorLog().slice(-1500)}`,
    );
    const checks = sentChecks(r);
    assert.deepEqual(
      checks.filter((c) => c.status === 'fail'),
      [],
    );
    const ran = checks
      .filter((c) => c.status === 'pass')
      .map((c) => c.id)
      .sort();
    assert.deepEqual(
      ran,
      ['aud', 'credential_claim', 'exp', 'iss', 'scopes', 'signature', 'strategy_scopes'],
      JSON.stringify(checks),
    );
    assert.match(
      checks.find((c) => c.id === 'signature')!.reason,
      /RS256, verified with the issuer's key kdcr-interop-1/,
    );
    // the gateway authenticated this very application (its own claim, REMOTE_USER = client_id)
    assert.deepEqual(await world.gateway.accessLogAfter(logged), [
      { status: 200, user: app.client_id, path: '/orders/anything' },
    ]);
    assert.equal(redactor.redact(JSON.stringify(r.sent)).includes(app.client_secret), false);
  });

  it("every token the gateway refuses, the runner's checks fail for the same reason and Explain says it (expired, tampered, other audience, missing scope, other issuer, no token)", async () => {
    const form = (extra: string) => [
      'Content-Type: application/x-www-form-urlencoded',
      '',
      `grant_type=client_credentials&${extra}&client_id={{$secret app.clientId}}&client_secret={{$secret app.clientSecret}}`,
      '',
    ];
    const call = (name: string, auth?: string) => [
      '###',
      `# @name ${name}`,
      'GET {{gateway}}',
      ...(auth ? [`Authorization: Bearer ${auth}`] : []),
      'Accept: application/json',
      '',
    ];
    const text = [
      '# @strategy interop-orders',
      `@tokenUrl = ${world.idp.tokenEndpoint}`,
      `@shortTokenUrl = ${world.idp.shortTokenEndpoint}`,
      `@otherTokenUrl = ${world.idp.other.tokenEndpoint}`,
      `@gateway = ${world.routeUrl}`,
      '',
      '### good',
      '# @name good',
      'POST {{tokenUrl}}',
      ...form(`scope=orders:read&resource=${ORDERS_AUDIENCE}`),
      '### lives 1 s',
      '# @name short',
      'POST {{shortTokenUrl}}',
      ...form(`scope=orders:read&resource=${ORDERS_AUDIENCE}`),
      '### another audience',
      '# @name billing',
      'POST {{tokenUrl}}',
      ...form(`scope=orders:read&resource=${BILLING_AUDIENCE}`),
      '### another scope',
      '# @name inventory',
      'POST {{tokenUrl}}',
      ...form(`scope=inventory:read&resource=${ORDERS_AUDIENCE}`),
      '### another issuer',
      '# @name other',
      'POST {{otherTokenUrl}}',
      ...form(`scope=orders:read&resource=${ORDERS_AUDIENCE}`),
      ...call('callGood', '{{good.response.body.access_token}}'),
      ...call('callExpired', '{{short.response.body.access_token}}'),
      ...call('callTampered', '{{tampered}}'),
      ...call('callBilling', '{{billing.response.body.access_token}}'),
      ...call('callInventory', '{{inventory.response.body.access_token}}'),
      ...call('callOther', '{{other.response.body.access_token}}'),
      ...call('callNone'),
    ].join('\n');
    const s = session(text);
    for (const name of ['good', 'short', 'billing', 'inventory', 'other']) {
      const r = await runner.run(s, indexOf(s, name), never);
      assert.equal(
        r.response?.status,
        200,
        `token request ${name}: ${r.response?.status} ${r.response?.body.slice(0, 200)}`,
      );
    }
    // a real Glewlwyd token, one claim changed after signing
    const [h, p, sig] = String(JSON.parse(s.responses.get('good')!.body)['access_token']).split('.') as [
      string,
      string,
      string,
    ];
    const payload = { ...JSON.parse(Buffer.from(p, 'base64url').toString('utf8')), client_id: 'someone-else' };
    s.sources = {
      ...s.sources,
      environment: { tampered: `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}` },
    };
    // the 1 s token must be past its exp (whole seconds) before it is shown to the gateway
    const exp = Number(
      JSON.parse(
        Buffer.from(
          String(JSON.parse(s.responses.get('short')!.body)['access_token']).split('.')[1]!,
          'base64url',
        ).toString('utf8'),
      )['exp'],
    );
    await sleep(Math.max(0, exp * 1000 + 1100 - Date.now()));

    const cases: { call: string; status: number; failing: string[]; rule?: string; because: RegExp }[] = [
      { call: 'callGood', status: 200, failing: [], because: /^$/ },
      {
        call: 'callExpired',
        status: 401,
        failing: ['exp'],
        rule: 'gw.expired',
        because: /"exp" validation failure .*JWT expired/,
      },
      {
        call: 'callTampered',
        status: 401,
        failing: ['signature'],
        rule: 'gw.signature',
        because: /JWT signature verification failed/,
      },
      {
        call: 'callBilling',
        status: 403,
        failing: ['aud'],
        rule: 'gw.audience',
        because: /could not match require claim expression 'aud:/,
      },
      {
        call: 'callInventory',
        status: 403,
        failing: ['strategy_scopes'],
        rule: 'gw.scope',
        because: /could not match require claim expression 'scope~/,
      },
      {
        call: 'callOther',
        status: 403,
        failing: ['iss'],
        rule: 'gw.issuer',
        because: /could not match require claim expression 'iss:/,
      },
      { call: 'callNone', status: 401, failing: [], rule: 'gw.no_token', because: /^$/ },
    ];
    for (const c of cases) {
      const before = world.gateway.errorLog().length;
      const r = await runner.run(s, indexOf(s, c.call), never);
      const said = world.gateway.errorLog().slice(before);
      const www = String(r.response?.headers['www-authenticate'] ?? '');
      assert.equal(
        r.response?.status,
        c.status,
        `${c.call}: the gateway answered ${r.response?.status} ${www}\n${said}`,
      );
      assert.deepEqual(failing(r), c.failing, `${c.call}: failing checks ${JSON.stringify(sentChecks(r))}`);
      // agreement: the gateway let the token in exactly when the runner found nothing wrong with it
      const sentToken = r.tokens.some((t) => t.source === 'request.bearer');
      assert.equal(c.status === 200, sentToken && failing(r).length === 0, `${c.call}: runner and gateway disagree`);
      if (c.rule) {
        const rules = r.explanation?.findings.map((f) => f.rule) ?? [];
        assert.equal(rules[0], c.rule, `${c.call}: Explain's first finding is ${rules[0]} (${r.explanation?.summary})`);
        assert.match(
          r.explanation!.summary,
          new RegExp(`^${c.status} ${c.status === 401 ? 'Unauthorized' : 'Forbidden'}: `),
        );
      } else {
        assert.equal(r.explanation, undefined);
      }
      if (c.status === 401)
        assert.match(www, /^Bearer error="invalid_(token|request)"/, `${c.call}: mod_auth_openidc's own challenge`);
      if (c.because.source !== '^$') assert.match(said, c.because, `${c.call}: what the gateway logged`);
    }
  });

  it("Glewlwyd's bare 403s at the token endpoint (wrong secret, no scope, a client deleted through RFC 7592) are explained as the IdP refusing the client, never as a gateway problem", async () => {
    const gone = await curityDriver.register(storedProvider(world), registrationRequest('kdcr-interop-deleted'));
    await curityDriver.deleteClient(storedProvider(world), gone.client_id, undefined, gone.management);
    const secrets: Record<string, string> = {
      good: app.client_secret,
      gone: gone.client_secret,
      wrong: 'not-the-secret-0123456789',
    };
    const request = (clientId: string, secret: string, scope: string | undefined) =>
      [
        '# @strategy interop-orders',
        `POST ${world.idp.tokenEndpoint}`,
        'Content-Type: application/x-www-form-urlencoded',
        '',
        `grant_type=client_credentials${scope ? `&scope=${scope}` : ''}&client_id=${clientId}&client_secret={{$secret ${secret}}}`,
        '',
      ].join('\n');
    const cases = [
      {
        what: 'wrong secret',
        text: request(app.client_id, 'wrong', 'orders:read'),
        rules: ['token.refused', 'token.client_auth'],
      },
      {
        what: 'no scope',
        text: request(app.client_id, 'good', undefined),
        rules: ['token.refused', 'token.client_auth', 'token.no_scope'],
      },
      {
        what: 'deleted client',
        text: request(gone.client_id, 'gone', 'orders:read'),
        rules: ['token.refused', 'token.client_auth'],
      },
    ];
    for (const c of cases) {
      const s = new RunSession(parseRequestFile(c.text), {
        environment: {},
        dotenv: {},
        processEnv: () => undefined,
        now: Date.now,
        secret: async (k) => secrets[k],
      });
      const r = await runner.run(s, 0, never);
      assert.equal(r.response?.status, 403, `${c.what}: ${r.response?.status} ${r.response?.body}`);
      assert.equal(r.response?.body, '', `${c.what}: Glewlwyd refuses with an empty body`);
      assert.equal(r.tokens.length, 0);
      const rules = r.explanation?.findings.map((f) => f.rule) ?? [];
      for (const rule of c.rules) assert.ok(rules.includes(rule), `${c.what}: ${rule} in ${rules.join(', ')}`);
      assert.deepEqual(
        rules.filter((x) => x.startsWith('gw.')),
        [],
        `${c.what}: nothing about a gateway (${r.explanation?.summary})`,
      );
      assert.match(r.explanation!.summary, /token endpoint refused the token request with 403/);
    }
  });
});
