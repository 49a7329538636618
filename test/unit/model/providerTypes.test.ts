// The provider-type table: one row per provider_type of Kong's Application Auth Strategies spec (the copy in
// sandbox/spec), and every per-type map, schema and form derived from it covering every one of those types.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type * as z from 'zod';
import { DcrProviderEntrySchema } from '../../../src/core/config/schema';
import {
  DEFAULT_CREDENTIAL_CLAIM,
  PROVIDER_FIELD_INFO,
  PROVIDER_REQUIRED,
  PROVIDER_TYPE_FIELDS,
  PROVIDER_TYPE_OPTIONS,
} from '../../../src/core/forms/fields';
import { buildProviderCreate, emptyProviderValues } from '../../../src/core/forms/payload';
import { checkEntry, providerEntryFrom } from '../../../src/core/forms/yaml';
import {
  DCR_PROVIDER_SCHEMAS,
  DCR_SECRET_FIELDS,
  DcrProviderSchema,
  ProviderTypeSchema,
} from '../../../src/core/model/dcrProvider';
import {
  DCR_FIELDS,
  PROVIDER_TYPES,
  PROVIDER_TYPE_TABLE,
  dcrFieldsOf,
  providerType,
  providerTypesInTreeOrder,
  type ProviderType,
} from '../../../src/core/model/providerTypes';
import { conventionalTokenEndpoint } from '../../../src/core/oidc/discovery';
import { PROVIDER_LABELS } from '../../../src/core/prove/types';
import { CLIENT_ID_CLAIMS } from '../../../src/core/requests/jwt';
import { repoRoot } from '../../support/fixtures';

/** Every value of every `provider_type` enum in the spec (each DcrProvider variant names one; strategies list all). */
function specProviderTypes(): string[] {
  const spec: unknown = parse(
    readFileSync(join(repoRoot(), 'sandbox', 'spec', 'application-auth-strategies.v2.openapi.yaml'), 'utf8'),
  );
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      const e = (x as { enum?: unknown } | null)?.enum;
      if (k === 'provider_type' && Array.isArray(e)) e.forEach((t) => found.add(String(t)));
      walk(x);
    }
  };
  walk(spec);
  return [...found].sort();
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
type Obj = z.ZodObject<Record<string, z.ZodType>>;
const unwrap = (s: z.ZodType): z.ZodType =>
  'unwrap' in s && typeof s.unwrap === 'function' ? unwrap(s.unwrap() as z.ZodType) : s;
const keysOf = (s: z.ZodType | undefined): string[] => (s ? sorted(Object.keys((unwrap(s) as Obj).shape)) : []);
const optionFor = (union: { options: readonly z.ZodType[] }, type: ProviderType): Obj =>
  union.options
    .map((o) => o as Obj)
    .find((o) => (o.shape['provider_type'] as unknown as { value: string }).value === type)!;

/** A value Konnect takes for a field of this kind. */
function sample(kind: string, format?: { pattern: RegExp }): string | boolean {
  if (kind === 'boolean') return true;
  if (kind === 'url') return 'https://bridge.example.com';
  const v = 'sample_value_123';
  assert.ok(!format || format.pattern.test(v));
  return v;
}

describe('the provider-type table', () => {
  const spec = specProviderTypes();

  it('has one row per provider_type of the Application Auth Strategies spec', () => {
    assert.ok(spec.length >= 6, `the spec names ${spec.join(', ')}`);
    assert.deepEqual(sorted(PROVIDER_TYPES), spec);
    assert.deepEqual(sorted(ProviderTypeSchema.options), spec);
  });

  it('every map derived from it covers every provider type', () => {
    const maps: Record<string, readonly string[]> = {
      'forms PROVIDER_TYPE_OPTIONS': PROVIDER_TYPE_OPTIONS.map((o) => o.value),
      'forms PROVIDER_TYPE_FIELDS': Object.keys(PROVIDER_TYPE_FIELDS),
      'forms PROVIDER_REQUIRED': Object.keys(PROVIDER_REQUIRED),
      'forms DEFAULT_CREDENTIAL_CLAIM': Object.keys(DEFAULT_CREDENTIAL_CLAIM),
      'model DCR_SECRET_FIELDS': Object.keys(DCR_SECRET_FIELDS),
      'model DCR_PROVIDER_SCHEMAS': Object.keys(DCR_PROVIDER_SCHEMAS),
      'model DcrProviderSchema': DcrProviderSchema.options.map((o) => o.shape.provider_type.value),
      'config DcrProviderEntrySchema': DcrProviderEntrySchema.options.map((o) => o.shape.provider_type.value),
      'tree order': providerTypesInTreeOrder(),
      'token checks CLIENT_ID_CLAIMS': Object.keys(CLIENT_ID_CLAIMS),
      'Prove DCR PROVIDER_LABELS': Object.keys(PROVIDER_LABELS),
    };
    for (const [name, keys] of Object.entries(maps)) assert.deepEqual(sorted(keys), spec, name);
    for (const t of PROVIDER_TYPES) {
      assert.ok(DEFAULT_CREDENTIAL_CLAIM[t], `${t}: a default credential claim`);
      assert.ok(PROVIDER_REQUIRED[t].includes('issuer'), `${t}: the issuer is required`);
      for (const f of PROVIDER_TYPE_FIELDS[t]) assert.ok(PROVIDER_FIELD_INFO[f].label, `${t}: ${f} has a label`);
    }
  });

  it('rows are told apart: labels, slugs, icons and tree positions are unique; every row says what to check and where the client id is', () => {
    for (const column of ['label', 'slug', 'icon', 'treeOrder'] as const) {
      const values = PROVIDER_TYPES.map((t) => String(providerType(t)[column]));
      assert.equal(new Set(values).size, values.length, `${column}: ${values.join(', ')}`);
    }
    for (const t of PROVIDER_TYPES) {
      const row = providerType(t);
      assert.ok(row.verifyHint.startsWith('check '), `${t}: verify hint`);
      assert.match(row.clientIdClaim, /^[a-z_]+$/, `${t}: client-id claim`);
      for (const f of row.dcrConfig) assert.ok(f in DCR_FIELDS, `${t}: ${f} is a known dcr_config field`);
    }
  });

  it('the wire and file schemas of each type hold exactly its dcr_config fields; answers never hold its secrets', () => {
    for (const t of PROVIDER_TYPES) {
      const keys = sorted(dcrFieldsOf(t).map((f) => f.key));
      const readable = sorted(
        dcrFieldsOf(t)
          .filter((f) => f.kind !== 'secret')
          .map((f) => f.key),
      );
      const schemas = DCR_PROVIDER_SCHEMAS[t];
      assert.deepEqual(keysOf((schemas.create as Obj).shape['dcr_config']), keys, `${t}: create request`);
      assert.deepEqual(keysOf(schemas.updateConfig), keys, `${t}: update request`);
      assert.equal(
        schemas.updateConfig === undefined,
        keys.length === 0,
        `${t}: an update dcr_config exactly when the type has fields`,
      );
      assert.deepEqual(keysOf(optionFor(DcrProviderSchema, t).shape['dcr_config']), readable, `${t}: response`);
      assert.deepEqual(
        keysOf(optionFor(DcrProviderEntrySchema, t).shape['dcr_config']),
        keys,
        `${t}: config file entry`,
      );
      assert.deepEqual(
        DCR_SECRET_FIELDS[t],
        dcrFieldsOf(t)
          .filter((f) => f.kind === 'secret')
          .map((f) => f.key),
        `${t}: secrets`,
      );
    }
  });

  it('a form filled in for any type builds a create body Konnect takes, and an entry the config file takes', () => {
    for (const t of PROVIDER_TYPES) {
      const values: Record<string, unknown> = {
        ...emptyProviderValues(),
        name: `p-${t}`,
        providerType: t,
        issuer: 'https://idp.example.com/oauth2/default',
      };
      for (const f of dcrFieldsOf(t)) values[f.id] = sample(f.kind, f.format);
      const v = values as ReturnType<typeof emptyProviderValues>;
      const built = buildProviderCreate(v);
      assert.ok(built.ok, `${t}: ${JSON.stringify(built.ok ? {} : built.errors)}`);
      const entry = providerEntryFrom({ ref: `p-${t}` }, v);
      assert.equal(checkEntry('provider', entry.entry, v), undefined, `${t}: the file entry passes the file schema`);
      assert.equal(
        Object.keys(entry.secrets).length,
        DCR_SECRET_FIELDS[t].length,
        `${t}: every secret goes to SecretStorage`,
      );
    }
  });

  it('snippets: one kdcr-provider-<slug> per type, of that type', () => {
    const snippets = JSON.parse(readFileSync(join(repoRoot(), 'snippets', 'konnect-dcr.json'), 'utf8')) as Record<
      string,
      { prefix: string; body: string[] }
    >;
    for (const t of PROVIDER_TYPES) {
      const s = Object.values(snippets).find((x) => x.prefix === `kdcr-provider-${providerType(t).slug}`);
      assert.ok(s, `a kdcr-provider-${providerType(t).slug} snippet`);
      assert.ok(
        s.body.some((l) => l.includes(`provider_type: ${t}`)),
        `${s.prefix} is a ${t} provider`,
      );
    }
  });

  it("the conventional token endpoint is the row's", () => {
    for (const t of PROVIDER_TYPES) {
      const row = PROVIDER_TYPE_TABLE[t] as { tokenEndpoint?: (base: string) => string | undefined };
      assert.equal(
        conventionalTokenEndpoint('https://sts.windows.net/tid/', t),
        row.tokenEndpoint?.('https://sts.windows.net/tid'),
        t,
      );
    }
  });
});
