/** Contract: /v2/control-planes/{id}/core-entities/{services,plugins} (Control Planes Configuration spec). */
import assert from 'node:assert/strict';
import { type TestKonnect, startTestKonnect } from './support/fakes';
import type { SpecClient } from './support/spec-client';
import { assertCovered } from './support/spec-client';

const CP = 'd32d905a-ed33-46a3-a093-d8f536af9a8a';
const OTHER_CP = '7b6f3c8e-0d0a-4d53-9a53-2b4c1b2f9e10';
const base = `/v2/control-planes/${CP}/core-entities`;

describe('contract: control plane config (services, plugins)', function () {
  let k: TestKonnect;
  let api: SpecClient;
  before(async () => {
    k = await startTestKonnect();
    api = k.api;
  });
  after(async () => {
    await k.stop();
    assert.deepEqual(k.emu.specViolations, [], 'the emulator answered outside the spec');
    assert.deepEqual(
      k.emu.errors.map((e) => e.message),
      [],
    );
  });

  it('401 without the token', async () => {
    await api.get(`${base}/plugins`, { auth: false, expect: 401 });
  });

  it('services: create 201 with an id, get 200, 404 for a missing one, listed per control plane, delete 204', async () => {
    const s = await api.post(`${base}/services`, { name: 'orders', host: 'orders.internal' }, { expect: 201 });
    assert.match(String(s.body.id), /^[0-9a-f-]{36}$/);
    assert.equal(typeof s.body.created_at, 'number');
    const got = await api.get(`${base}/services/${String(s.body.id)}`, { expect: 200 });
    assert.equal(got.body.host, 'orders.internal');
    await api.get(`/v2/control-planes/${OTHER_CP}/core-entities/services/${String(s.body.id)}`, { expect: 404 });
    const listed = await api.get(`${base}/services`, { expect: 200 });
    assert.deepEqual(
      listed.body.data.map((x: { id: string }) => x.id),
      [s.body.id],
    );
    assert.deepEqual(
      (await api.get(`/v2/control-planes/${OTHER_CP}/core-entities/services`, { expect: 200 })).body.data,
      [],
    );
    const up = await api.put(
      `${base}/services/${String(s.body.id)}`,
      { name: 'orders', host: 'orders2' },
      { expect: 200 },
    );
    assert.equal(up.body.host, 'orders2');
    await api.delete(`${base}/services/${String(s.body.id)}`, { expect: 204 });
    await api.get(`${base}/services/${String(s.body.id)}`, { expect: 404 });
  });

  it('plugins: global and service-scoped, paged with size/offset, filtered by name; a service takes its plugins with it', async () => {
    const svc = await api.post(`${base}/services`, { name: 'billing', host: 'billing.internal' }, { expect: 201 });
    const sid = String(svc.body.id);
    const ace = await api.post(`${base}/plugins`, { name: 'ace', config: {} }, { expect: 201 });
    const kaa = await api.post(
      `${base}/services/${sid}/plugins`,
      { name: 'konnect-application-auth', config: {} },
      { expect: 201 },
    );
    assert.deepEqual(kaa.body.service, { id: sid });
    await api.get(`${base}/plugins/${String(ace.body.id)}`, { expect: 200 });
    const all = await api.get(`${base}/plugins`, { expect: 200 });
    assert.deepEqual(
      all.body.data.map((p: { name: string }) => p.name),
      ['ace', 'konnect-application-auth'],
    );
    const first = await api.get(`${base}/plugins?size=1`, { expect: 200 });
    assert.equal(first.body.data.length, 1);
    assert.equal(first.body.offset, '1');
    const second = await api.get(`${base}/plugins?size=1&offset=${String(first.body.offset)}`, { expect: 200 });
    assert.equal(second.body.data[0].name, 'konnect-application-auth');
    assert.equal(second.body.offset, undefined);
    const named = await api.get(`${base}/plugins?filter[name][eq]=ace`, { expect: 200 });
    assert.equal(named.body.data.length, 1);
    const scoped = await api.get(`${base}/services/${sid}/plugins`, { expect: 200 });
    assert.deepEqual(
      scoped.body.data.map((p: { id: string }) => p.id),
      [kaa.body.id],
    );
    await api.delete(`${base}/services/${sid}`, { expect: 204 });
    await api.get(`${base}/plugins/${String(kaa.body.id)}`, { expect: 404 });
    await api.delete(`${base}/plugins/${String(ace.body.id)}`, { expect: 204 });
    assert.deepEqual((await api.get(`${base}/plugins`, { expect: 200 })).body.data, []);
  });

  it('covers the operations Konnect DCR uses', () => {
    assertCovered([
      'cpc:list-service 200',
      'cpc:create-service 201',
      'cpc:get-service 200',
      'cpc:get-service 404',
      'cpc:upsert-service 200',
      'cpc:delete-service 204',
      'cpc:list-plugin 200',
      'cpc:create-plugin 201',
      'cpc:create-plugin-with-service 201',
      'cpc:list-plugin-with-service 200',
      'cpc:get-plugin 200',
      'cpc:get-plugin 404',
      'cpc:delete-plugin 204',
    ]);
  });
});
