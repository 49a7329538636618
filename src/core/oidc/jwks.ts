/**
 * Signature check of a JWT against the keys of an issuer, as the gateway does it: discovery
 * (`{issuer}/.well-known/openid-configuration`) → `jwks_uri` → the key with the token's `kid` → verify (node:crypto).
 * RS256/384/512, PS256/384/512 and ES256/384/512. Fetches go through the runner's executor (proxy, CA, timeout), and
 * an issuer's keys are reused for a minute.
 */
import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import type { RequestExecutor } from '../requests/executor';
import type { DecodedJwt, TokenCheck } from '../requests/jwt';
import { DiscoveryDocumentSchema, discoveryUrl } from './discovery';

const JwksSchema = z.object({
  keys: z.array(
    z.looseObject({
      kty: z.string(),
      kid: z.string().optional(),
      use: z.string().optional(),
      alg: z.string().optional(),
    }),
  ),
});
type Jwk = z.infer<typeof JwksSchema>['keys'][number];

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

export class SignatureVerifier {
  private readonly cache = new Map<string, { at: number; keys: Promise<{ uri: string; keys: Jwk[] }> }>();

  constructor(
    private readonly executor: RequestExecutor,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 60_000,
  ) {}

  private async keys(issuer: string, signal: AbortSignal): Promise<{ uri: string; keys: Jwk[] }> {
    const hit = this.cache.get(issuer);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.keys;
    const p = (async () => {
      const disc = await this.executor.execute(
        { method: 'GET', url: discoveryUrl(issuer), headers: [['accept', 'application/json']] },
        signal,
      );
      if (disc.status !== 200) throw new Error(`discovery answered HTTP ${disc.status}`);
      const doc = DiscoveryDocumentSchema.parse(JSON.parse(disc.body));
      if (!doc.jwks_uri) throw new Error('the discovery document has no jwks_uri');
      const res = await this.executor.execute(
        { method: 'GET', url: doc.jwks_uri, headers: [['accept', 'application/json']] },
        signal,
      );
      if (res.status !== 200) throw new Error(`${doc.jwks_uri} answered HTTP ${res.status}`);
      return { uri: doc.jwks_uri, keys: JwksSchema.parse(JSON.parse(res.body)).keys };
    })();
    this.cache.set(issuer, { at: this.now(), keys: p });
    p.catch(() => this.cache.delete(issuer));
    return p;
  }

  /** The `signature` check of `raw` (decoded as `jwt`) against the keys of `issuer`. Rejects only on abort. */
  async check(raw: string, jwt: DecodedJwt, issuer: string, signal: AbortSignal): Promise<TokenCheck> {
    const base = { id: 'signature', label: 'signature' } as const;
    const alg = typeof jwt.header['alg'] === 'string' ? jwt.header['alg'] : '';
    const kid = typeof jwt.header['kid'] === 'string' ? jwt.header['kid'] : undefined;
    const m = /^(RS|PS|ES)(256|384|512)$/.exec(alg);
    if (!m)
      return {
        ...base,
        status: 'fail',
        reason:
          alg === 'none'
            ? 'the token is not signed (alg "none")'
            : `the runner cannot check ${alg || 'an unknown'} signatures (only RS*, PS*, ES*)`,
      };
    let set: { uri: string; keys: Jwk[] };
    try {
      set = await this.keys(issuer, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      return {
        ...base,
        status: 'skip',
        reason: `the issuer's keys could not be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
      };
    }
    const family = m[1] === 'ES' ? 'EC' : 'RSA';
    const candidates = set.keys.filter(
      (k) => k.kty === family && (k.use === undefined || k.use === 'sig') && (kid === undefined || k.kid === kid),
    );
    if (!candidates.length)
      return {
        ...base,
        status: 'fail',
        reason: `no key of the issuer (${set.uri}) matches the token${kid ? `'s kid ${kid}` : ''}: the token comes from another IdP, tenant or auth server, or its keys were rotated`,
      };
    const [h, p, s] = raw.split('.') as [string, string, string];
    const data = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s, 'base64url');
    for (const jwk of candidates) {
      let key: KeyObject;
      try {
        key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      } catch {
        continue;
      }
      const ok =
        m[1] === 'RS'
          ? verify(HASH[m[2]!]!, data, key, sig)
          : m[1] === 'PS'
            ? verify(
                HASH[m[2]!]!,
                data,
                { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
                sig,
              )
            : verify(HASH[m[2]!]!, data, { key, dsaEncoding: 'ieee-p1363' }, sig);
      if (ok)
        return { ...base, status: 'pass', reason: `${alg}, verified with the issuer's key ${jwk.kid ?? '(no kid)'}` };
    }
    return {
      ...base,
      status: 'fail',
      reason: `the signature does not verify against the issuer's key${candidates.length > 1 ? 's' : ''} (${set.uri}): the token was changed after it was issued, or was signed by someone else`,
    };
  }
}
