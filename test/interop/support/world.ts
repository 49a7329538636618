/**
 * The interop tier's third-party servers, started together: Glewlwyd (IdP, over TLS with a throw-away certificate)
 * and Apache httpd + mod_auth_openidc (gateway) guarding the route `/orders/anything` for Glewlwyd's tokens with
 * audience https://orders.interop.test and scope orders:read. Everything listens on 127.0.0.1.
 */
import { makeSelfSignedCert } from '../../support/tlsCert';
import { startApacheGateway, type StartedGateway } from '../servers/apache';
import { ORDERS_AUDIENCE, startGlewlwyd, type StartedGlewlwyd } from '../servers/glewlwyd';

export const ROUTE_SLUG = 'orders';
export const ROUTE_SCOPE = 'orders:read';

export interface World {
  readonly idp: StartedGlewlwyd;
  readonly gateway: StartedGateway;
  /** The gateway route that needs `orders:read` tokens for https://orders.interop.test. */
  readonly routeUrl: string;
  /** The CA (PEM) every client of the IdP must trust. */
  readonly ca: string;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const tls = makeSelfSignedCert('127.0.0.1');
  if (!tls) throw new Error('openssl is missing: run  bash test/interop/install.sh');
  const idp = await startGlewlwyd({ tls });
  let gateway: StartedGateway;
  try {
    gateway = await startApacheGateway({
      jwksUri: idp.jwksUri,
      ca: idp.ca,
      routes: [{ slug: ROUTE_SLUG, issuer: idp.issuer, audience: ORDERS_AUDIENCE, scope: ROUTE_SCOPE }],
    });
  } catch (err) {
    await idp.stop();
    throw err;
  }
  const g = gateway;
  let stopped: Promise<void> | undefined;
  return {
    idp,
    gateway: g,
    routeUrl: `${g.url}/${ROUTE_SLUG}/anything`,
    ca: idp.ca,
    stop: () => (stopped ??= Promise.allSettled([g.stop(), idp.stop()]).then(() => undefined)),
  };
}
