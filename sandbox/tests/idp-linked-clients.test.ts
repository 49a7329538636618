// dcr_client_id against the real drivers and IdP flavours: Okta, Auth0 and Azure AD read the client at the IdP, so
// an admin's application linked to a client the IdP has is created (and deleting it leaves the client), and one
// linked to an id the IdP does not know is refused on `dcr_client_id` (for AzureAD, Portal Management says the client
// must resolve or creation fails).
import * as assert from 'node:assert/strict';
import type { KonnectClient } from '../../src/core/api/index';
import { KonnectApiError } from '../../src/core/api/errors';
import { registrationRequest } from '../idp/testing';
import { startSandbox, type Sandbox } from '../index';
import { konnectClientFor, publish, setUpFlavour } from '../scenarios';

describe('dcr_client_id at the IdP: the Okta, Auth0 and Azure AD drivers look the client up', function () {
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

  for (const type of ['okta', 'auth0', 'azureAd'] as const)
    it(`${type}: a client the IdP has is linked and left there; an unknown id is refused on dcr_client_id`, async () => {
      const setup = await setUpFlavour(sb, konnect, type, `linked-${type}`);
      const pub = await publish(sb, konnect, setup.strategy.id, `linked-${type}-api`);
      const stored = sb.konnect.store.providers.get(setup.provider.id)!;
      const driver = sb.idp.drivers[type]!;
      // a client the admin owns at the IdP, registered there directly
      const owned = await driver.register(stored, registrationRequest());
      assert.equal(await driver.clientExists!(stored, owned.client_id), true);
      assert.equal(await driver.clientExists!(stored, 'no-such-client'), false);
      const developer = await konnect.portalAdmin.createDeveloper(pub.portalId, {
        email: `linked-${type}@example.com`,
        full_name: 'Linked',
        status: 'approved',
      });
      const app = await konnect.portalAdmin.createApplication(pub.portalId, {
        name: `linked ${type} app`,
        owner: { type: 'developer', id: developer.id },
        auth_strategy_id: setup.strategy.id,
        dcr_client_id: owned.client_id,
      });
      assert.equal(app.client_id, owned.client_id);
      await konnect.portalAdmin.deleteApplication(pub.portalId, app.id);
      assert.equal(await driver.clientExists!(stored, owned.client_id), true, 'deleting the app left the client');
      await assert.rejects(
        konnect.portalAdmin.createApplication(pub.portalId, {
          name: `unknown ${type} client`,
          owner: { type: 'developer', id: developer.id },
          auth_strategy_id: setup.strategy.id,
          dcr_client_id: 'no-such-client',
        }),
        (e: unknown) => {
          assert.ok(e instanceof KonnectApiError, String(e));
          assert.equal(e.status, 400, e.message);
          assert.ok(
            e.invalidParameters.some((x) => x.field === 'dcr_client_id'),
            JSON.stringify(e.invalidParameters),
          );
          return true;
        },
      );
      await driver.deleteClient(stored, owned.client_id);
    });
});
