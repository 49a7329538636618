/**
 * `npm run sandbox`: starts the local Konnect sandbox (Konnect emulator + IdPs + gateway) on loopback, prints every
 * endpoint, and writes everything (with the sandbox token and the IdPs' admin credentials) as one JSON object to
 * `SANDBOX_STATE=<file>` (default `.sandbox-state.json` here, gitignored, mode 0600) so other programs can drive it;
 * the token itself is not printed. `--sample` adds one DCR provider + strategy + published API per provider type.
 * Ctrl-C stops it. Ports: KONNECT_PORT / IDP_PORT / GATEWAY_PORT (default random).
 */
import { writeFileSync, rmSync } from 'node:fs';
import { startSandbox, type Sandbox } from './index';
import { konnectClientFor, PROVIDER_TYPES, publish, setUpFlavour } from './scenarios';

function port(name: string): number | undefined {
  const v = process.env[name];
  return v ? Number(v) : undefined;
}

export async function seedSample(sb: Sandbox): Promise<void> {
  const konnect = konnectClientFor(sb);
  try {
    let portalId: string | undefined;
    for (const type of PROVIDER_TYPES) {
      const setup = await setUpFlavour(sb, konnect, type, 'sample');
      const pub = await publish(sb, konnect, setup.strategy.id, `orders-${type}`, portalId);
      portalId = pub.portalId;
    }
    await konnect.authStrategies.create({
      name: 'key-auth-sample',
      display_name: 'API key',
      strategy_type: 'key_auth',
      configs: { 'key-auth': { key_names: ['apikey'] } },
    });
  } finally {
    await konnect.close();
  }
}

async function main(): Promise<void> {
  const opts: Parameters<typeof startSandbox>[0] = {};
  const kp = port('KONNECT_PORT'),
    ip = port('IDP_PORT'),
    gp = port('GATEWAY_PORT');
  if (kp !== undefined) opts.konnectPort = kp;
  if (ip !== undefined) opts.idpPort = ip;
  if (gp !== undefined) opts.gatewayPort = gp;
  const sb = await startSandbox(opts);
  if (process.argv.includes('--sample')) await seedSample(sb);
  const stateFile = process.env['SANDBOX_STATE'] || '.sandbox-state.json';
  writeFileSync(stateFile, JSON.stringify(sb.state, null, 2) + '\n', { mode: 0o600 });
  const s = sb.state;
  console.log(
    [
      'Konnect sandbox running (loopback only; throw-away credentials):',
      `  Konnect API   ${s.konnectUrl}    (Authorization: Bearer <token from the state file>)`,
      `  Gateway       ${s.gatewayUrl}/<api slug>/anything`,
      `  IdPs          ${s.idpUrl}`,
      `    Kong Identity  ${s.flavours.kongIdentity.note}`,
      `    Curity         ${s.flavours.curity.discoveryUrl}   initial client ${s.flavours.curity.initialClientId}`,
      `    Okta           ${s.flavours.okta.issuer}   (SSWS DCR token in the state file)`,
      `    Auth0          ${s.flavours.auth0.issuer}   initial client ${s.flavours.auth0.initialClientId}, API audience ${s.flavours.auth0.apiAudience}`,
      `    Azure AD       ${s.flavours.azureAd.issuer}   initial client ${s.flavours.azureAd.initialClientId}`,
      `    HTTP bridge    ${s.flavours.http.dcrBaseUrl}   (X-API-KEY in the state file)`,
      `  Portal developer  ${s.developer.email}`,
      `  State (token and admin credentials included) written to ${stateFile}; removed on exit.`,
      'Ctrl-C to stop.',
    ].join('\n'),
  );
  const stop = async (): Promise<void> => {
    await sb.stop();
    rmSync(stateFile, { force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error('sandbox failed to start:', e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
