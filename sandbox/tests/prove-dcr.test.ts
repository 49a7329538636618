// Prove DCR's core against the sandbox: the whole run for every provider type, and what its report says when the IdP
// keeps a client Konnect meant to delete, or refuses a registration. The report must match what happened at the IdP
// (the emulator records the clients it could not delete in `leftAtIdp`; the IdP's token endpoint is the judge).
import * as assert from 'node:assert/strict';
import { createPortalClient, type KonnectClient } from '../../src/core/api/index';
import { proveDcr } from '../../src/core/prove/runner';
import type { ProveReport, ProveTarget, StepId } from '../../src/core/prove/types';
import { createRequestExecutor } from '../../src/core/requests/executor';
import { systemClock } from '../../src/core/util/clock';
import { Redactor } from '../../src/core/util/redact';
import type { ProviderType } from '../contracts';
import { startSandbox, type Sandbox } from '../index';
import {
  PROVIDER_TYPES,
  USER_AGENT,
  konnectClientFor,
  publish,
  requestToken,
  setUpFlavour,
  type FlavourSetup,
} from '../scenarios';

const statuses = (r: ProveReport): string => r.steps.map((s) => `${s.id}:${s.status}`).join(' ');
const step = (r: ProveReport, id: StepId) => r.steps.find((s) => s.id === id)!;
const ALL_PASS = 'verify:pass publication:pass application:pass token:pass claims:pass gateway:pass cleanup:pass';

describe('Prove DCR against the sandbox: the cleanup is checked at the IdP', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let konnect: KonnectClient;
  const setups = new Map<ProviderType, { setup: FlavourSetup; target: ProveTarget }>();

  before(async () => {
    sb = await startSandbox();
    konnect = konnectClientFor(sb);
    for (const type of PROVIDER_TYPES) {
      const setup = await setUpFlavour(sb, konnect, type, 'prove');
      const pub = await publish(sb, konnect, setup.strategy.id, `prove-${type}`);
      setups.set(type, {
        setup,
        target: {
          strategy: setup.strategy,
          publication: {
            apiId: pub.apiId,
            apiName: `prove-${type}`,
            apiSlug: pub.slug,
            portalId: pub.portalId,
            portalName: `portal-prove-${type}`,
            portalUrl: pub.portalApiUrl,
          },
          gatewayUrl: `${sb.state.gatewayUrl}/${pub.slug}/anything`,
          developer: { username: sb.state.developer.email, password: sb.state.developer.password },
          appName: 'kdcr-prove',
          keepApp: false,
        },
      });
    }
  });
  after(async () => {
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(() => {
    sb.idp.faults.clear();
    sb.konnect.leftAtIdp.length = 0;
  });

  function prove(type: ProviderType, redactor = new Redactor()): Promise<ProveReport> {
    const { target } = setups.get(type)!;
    return proveDcr(
      { ...target, appName: `kdcr-prove-${type}-${Date.now()}` },
      {
        konnect,
        portal: (url) => createPortalClient({ portalUrl: url, userAgent: USER_AGENT, timeoutMs: 10_000 }),
        executor: createRequestExecutor({ timeoutMs: 10_000 }),
        clock: systemClock,
        redactor,
        deletionRetry: { totalMs: 1_500, intervalMs: 500 },
      },
      new AbortController().signal,
    );
  }

  for (const type of PROVIDER_TYPES) {
    it(`${type}: every step passes, and step 7 says what the IdP answered to the old credentials after the deletion`, async () => {
      const r = await prove(type);
      assert.equal(
        statuses(r),
        ALL_PASS,
        JSON.stringify(
          r.steps.filter((s) => s.status !== 'pass'),
          null,
          1,
        ),
      );
      assert.match(
        step(r, 'cleanup').detail,
        /in the portal; the identity provider \(.+\) now refuses the old credentials \(HTTP 40\d[^)]*\): Konnect deleted client \S+ there\.$/,
      );
      assert.deepEqual(sb.konnect.leftAtIdp, []);
    });
  }

  it('an IdP that refuses to delete the client (Curity, HTTP 500 on the RFC 7592 DELETE): the emulator records it, Prove reports it still works', async () => {
    sb.idp.faults.add({
      path: '^/curity/token-service/oauth-registration/[^/]+$',
      method: 'DELETE',
      kind: 'status',
      status: 500,
    });
    const r = await prove('curity');
    assert.equal(statuses(r), ALL_PASS.replace('cleanup:pass', 'cleanup:fail'));
    assert.equal(r.failedStep, 'cleanup');
    const app = r.application!;
    assert.equal(app.kept, false, 'the application is gone from the portal');
    const c = step(r, 'cleanup');
    assert.match(
      c.detail,
      new RegExp(
        `^Deleted "kdcr-prove-curity-\\d+" in the portal, but client ${app.clientId} still works at the identity provider \\(Curity\\)`,
      ),
    );
    assert.equal(
      c.explanation?.summary,
      'The client still works at the identity provider (Curity): Konnect did not delete it.',
    );
    assert.match(
      c.explanation!.findings[0]!.text,
      new RegExp(
        `Delete client ${app.clientId} at the identity provider \\(Curity\\) \\(.*/curity/oauth/v2/oauth-anonymous\\) by hand`,
      ),
    );
    // what the emulator knows agrees, and the client really does still work
    assert.deepEqual(
      sb.konnect.leftAtIdp.map((l) => [l.client_id, l.provider_type, l.during]),
      [[app.clientId, 'curity', 'delete_application']],
    );
    assert.match(
      sb.konnect.leftAtIdp[0]!.reason,
      /with its registration access token \(RFC 7592\) was refused: HTTP 500: server_error/,
    );
    const control = await fetch(`${sb.state.konnectUrl}/_sandbox/left-at-idp`, {
      headers: { authorization: `Bearer ${sb.state.token}` },
    });
    assert.deepEqual(
      ((await control.json()) as { data: unknown[] }).data,
      JSON.parse(JSON.stringify(sb.konnect.leftAtIdp)),
      'also at GET /_sandbox/left-at-idp',
    );
    const still = await requestToken(setups.get('curity')!.setup, {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    });
    assert.equal(still.status, 200);
    assert.ok(!JSON.stringify(r.steps).includes(app.clientSecret), 'no secret in the report');
  });

  it('an IdP that refuses the registration: step 3 points at the IdP and its words, not at the publication (step 2)', async () => {
    sb.idp.faults.add({
      path: '^/curity/token-service/oauth-registration$',
      method: 'POST',
      kind: 'status',
      status: 400,
      times: 1,
    });
    const r = await prove('curity');
    assert.equal(
      statuses(r),
      'verify:pass publication:pass application:fail token:skip claims:skip gateway:skip cleanup:skip',
    );
    const a = step(r, 'application');
    assert.deepEqual(
      a.explanation!.findings.map((f) => f.rule),
      ['app.idp', 'app.idp_fix'],
    );
    assert.match(
      a.explanation!.summary,
      /^The identity provider refused to register the application's client: .*Registering the client in Curity was refused: HTTP 400: invalid_request \(Injected fault: 400\)/,
    );
    assert.ok(!JSON.stringify(a).includes('step 2'));
  });
});
