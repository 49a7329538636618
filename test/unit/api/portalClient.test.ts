import * as assert from 'node:assert/strict';
import {
  KonnectApiError,
  KonnectNetworkError,
  createPortalClient,
  readCookie,
  type PortalClient,
} from '../../../src/core/api/index';
import { FakeClock } from '../../support/clock';
import { MemoryLogger } from '../../support/memoryLogger';
import { problemReply, startStubServer, type StubServer } from '../../support/stubServer';
import { rejectionOf } from '../../support/waitFor';

const T = '2026-01-01T00:00:00Z';
const APP_ID = '2b7f0b1e-0000-4000-8000-000000000001';
const API_ID = '2b7f0b1e-0000-4000-8000-0000000000a1';
const STRATEGY = {
  id: '2b7f0b1e-0000-4000-8000-0000000000b1',
  name: 'dcr',
  credential_type: 'client_credentials',
  auth_methods: ['client_credentials', 'bearer'],
};

describe('api: PortalClient (developer Portal API)', () => {
  let stub: StubServer;
  let portal: PortalClient;
  let log: MemoryLogger;

  beforeEach(async () => {
    stub = await startStubServer();
    log = new MemoryLogger();
    portal = createPortalClient({
      portalUrl: `${stub.url}/`,
      userAgent: 'konnect-dcr-vscode/0.1.0',
      clock: new FakeClock(),
      logger: log,
    });
  });
  afterEach(async () => {
    await portal.close();
    await stub.close();
  });

  it('signs in, keeps the portalaccesstoken cookie, and sends it (not a bearer token) afterwards', async () => {
    stub.on('POST', '/api/v3/developer/authenticate', {
      status: 204,
      headers: {
        'set-cookie': [
          'portalaccesstoken=access12345; Path=/; HttpOnly; Secure',
          'portalrefreshtoken=refresh12345; Path=/api/v2/refresh',
        ],
      },
    });
    stub.on('POST', '/api/v3/applications', {
      status: 201,
      json: {
        id: APP_ID,
        name: 'app',
        description: null,
        auth_strategy: STRATEGY,
        client_id: 'cid',
        client_secret: 'shown-once-secret',
        created_at: T,
        updated_at: T,
      },
    });
    assert.equal(portal.signedIn, false);
    await portal.authenticate({ username: 'dev@example.com', password: 'correct horse battery' });
    assert.equal(portal.signedIn, true);
    assert.deepEqual(stub.requests[0]?.json, { username: 'dev@example.com', password: 'correct horse battery' });
    const app = await portal.createApplication({ name: 'app', auth_strategy_id: STRATEGY.id });
    assert.equal(app.client_id, 'cid');
    assert.equal(app.client_secret, 'shown-once-secret');
    const sent = stub.requests[1]!;
    assert.equal(sent.headers.cookie, 'portalaccesstoken=access12345');
    assert.equal(sent.headers.authorization, undefined);
    assert.ok(!log.text().includes('correct horse battery'));
  });

  it('registrations, secret regeneration and deletion hit the documented paths', async () => {
    portal.useAccessToken('tok123456');
    stub.on('POST', `/api/v3/applications/${APP_ID}/registrations`, {
      status: 201,
      json: {
        id: 'r1',
        status: 'pending',
        application_id: APP_ID,
        api_id: API_ID,
        api_name: 'api',
        api_slug: 'api',
        created_at: T,
        updated_at: T,
      },
    });
    stub.on('POST', `/api/v3/applications/${APP_ID}/regenerate-secret`, {
      status: 201,
      json: { client_id: 'cid', client_secret: 'new-secret' },
    });
    stub.on('DELETE', `/api/v3/applications/${APP_ID}/registrations/r1`, { status: 204 });
    stub.on('DELETE', `/api/v3/applications/${APP_ID}`, { status: 204 });
    assert.equal((await portal.createRegistration(APP_ID, { api_id: API_ID })).status, 'pending');
    assert.deepEqual(await portal.regenerateSecret(APP_ID), { client_id: 'cid', client_secret: 'new-secret' });
    await portal.deleteRegistration(APP_ID, 'r1');
    await portal.deleteApplication(APP_ID);
    assert.deepEqual(
      stub.requests.map((r) => `${r.method} ${r.path}`),
      [
        `POST /api/v3/applications/${APP_ID}/registrations`,
        `POST /api/v3/applications/${APP_ID}/regenerate-secret`,
        `DELETE /api/v3/applications/${APP_ID}/registrations/r1`,
        `DELETE /api/v3/applications/${APP_ID}`,
      ],
    );
    assert.ok(stub.requests.every((r) => r.headers.cookie === 'portalaccesstoken=tok123456'));
  });

  it('a refused sign-in is a KonnectApiError; a sign-in without the cookie is a clear error', async () => {
    stub.on('POST', '/api/v3/developer/authenticate', [
      problemReply(401, 'Unauthorized', 'Invalid credentials'),
      { status: 204 },
    ]);
    const refused = await rejectionOf(portal.authenticate({ username: 'dev@example.com', password: 'wrong-password' }));
    assert.ok(refused instanceof KonnectApiError && refused.status === 401, String(refused));
    const noCookie = await rejectionOf(
      portal.authenticate({ username: 'dev@example.com', password: 'wrong-password' }),
    );
    assert.ok(noCookie instanceof KonnectNetworkError && noCookie.kind === 'malformed');
    assert.match(noCookie.message, /set no portalaccesstoken cookie/);
    assert.equal(portal.signedIn, false);
  });

  it('a 409 on regenerate-secret (several credentials) is not retried', async () => {
    portal.useAccessToken('tok123456');
    stub.on(
      'POST',
      `/api/v3/applications/${APP_ID}/regenerate-secret`,
      problemReply(409, 'Conflict', 'Application has more than one credential'),
    );
    const err = await rejectionOf(portal.regenerateSecret(APP_ID));
    assert.ok(err instanceof KonnectApiError && err.status === 409);
    assert.equal(stub.hits(), 1);
  });

  it('readCookie finds a cookie among several Set-Cookie headers', () => {
    assert.equal(readCookie(['a=1; Path=/', 'portalaccesstoken=x%3Dy; HttpOnly'], 'portalaccesstoken'), 'x=y');
    assert.equal(readCookie(['portalrefreshtoken=r, portalaccesstoken=t; Path=/'], 'portalaccesstoken'), 't');
    assert.equal(readCookie(['xportalaccesstoken=nope'], 'portalaccesstoken'), undefined);
    assert.equal(readCookie([], 'portalaccesstoken'), undefined);
  });
});
