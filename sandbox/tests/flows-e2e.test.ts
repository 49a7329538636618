// The seeds' whole DCR flow for each of the six provider types, over plain HTTP against the composed sandbox:
// provider → strategy → API published with it → developer app (client registered at the IdP by Konnect) →
// client_credentials token from the IdP → gateway 200; and the ways it goes wrong (401, 401, 403, 401 at the IdP).
import * as assert from 'node:assert/strict';
import type { KonnectClient } from '../../src/core/api/index';
import { startSandbox, type Sandbox } from '../index';
import {
  callGateway,
  createApp,
  konnectClientFor,
  PROVIDER_TYPES,
  publish,
  requestToken,
  setUpFlavour,
} from '../scenarios';

function tamper(jwt: string): string {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims['sub'] = 'someone-else';
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
}

describe('sandbox end to end: DCR for every provider type', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let konnect: KonnectClient;

  before(async () => {
    sb = await startSandbox();
    konnect = konnectClientFor(sb);
  });
  after(async () => {
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(function () {
    // The emulator checks its own answers against the OpenAPI files; a flow that passed through a non-conforming
    // answer is a failure of the sandbox even if the flow worked.
    assert.deepEqual(sb.konnect.specViolations, [], 'every emulator answer conforms to the published spec');
    assert.deepEqual(
      sb.konnect.errors.map((e) => e.message),
      [],
      'no unexpected emulator errors',
    );
  });

  for (const type of PROVIDER_TYPES) {
    it(`${type}: provider → strategy → publish → app → token → gateway 200, and the failure cases`, async () => {
      const setup = await setUpFlavour(sb, konnect, type);
      assert.equal(setup.provider.provider_type, type);
      assert.equal(setup.strategy.dcr_provider?.id, setup.provider.id);

      // the provider really reaches its IdP
      const verified = await konnect.dcrProviders.verify(setup.provider.id);
      assert.deepEqual(verified, { status: 'success', errors: [] });

      const pub = await publish(sb, konnect, setup.strategy.id, `orders-${type}`);
      const other = await publish(sb, konnect, setup.strategy.id, `billing-${type}`, pub.portalId);
      const app = await createApp(sb, pub.portalApiUrl, setup.strategy.id, `app-${type}`, pub.apiId);
      assert.ok(app.clientId && app.clientSecret, 'client credentials are returned once');

      const tok = await requestToken(setup, app);
      assert.equal(tok.status, 200, `token endpoint: ${JSON.stringify(tok.body)}`);
      const accessToken = String(tok.body['access_token']);
      assert.equal(accessToken.split('.').length, 3, 'a JWT');

      const ok = await callGateway(sb, pub.slug, accessToken);
      assert.equal(ok.status, 200, `gateway: ${JSON.stringify(ok.body)}`);

      const none = await callGateway(sb, pub.slug);
      assert.equal(none.status, 401);
      assert.match(none.wwwAuthenticate ?? '', /^Bearer /);

      const tampered = await callGateway(sb, pub.slug, tamper(accessToken));
      assert.equal(tampered.status, 401);
      assert.match(tampered.wwwAuthenticate ?? '', /invalid_token/);

      // the same app is not registered for the other API → 403
      const forbidden = await callGateway(sb, other.slug, accessToken);
      assert.equal(forbidden.status, 403, JSON.stringify(forbidden.body));

      // an app of the same strategy that has no registration for this API → 403
      const stranger = await createApp(sb, pub.portalApiUrl, setup.strategy.id, `stranger-${type}`);
      const strangerTok = await requestToken(setup, stranger);
      assert.equal(strangerTok.status, 200, JSON.stringify(strangerTok.body));
      assert.equal((await callGateway(sb, pub.slug, String(strangerTok.body['access_token']))).status, 403);

      const wrong = await requestToken(setup, { clientId: app.clientId, clientSecret: `${app.clientSecret}x` });
      assert.equal(wrong.status, 401, JSON.stringify(wrong.body));
      assert.equal(wrong.body['error'], 'invalid_client');
    });
  }
});
