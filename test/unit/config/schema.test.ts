// The one zod schema and the JSON Schema generated from it: the committed file is up to date, and both validators
// agree — they accept every kongctl example and every snippet, and reject every config of the bad corpus.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ConfigDocument, ConfigFileSchema, analyzeConfig, jsonSchemaText } from '../../../src/core/config/index';
import { BAD_CORPUS, KONGCTL_EXAMPLES, SCHEMA_FILE, expandSnippet, loadSnippets, snippetFile } from './support';

function ajvValidator(): (data: unknown) => { ok: boolean; errors: string } {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as object);
  return (data) => ({ ok: validate(data) as boolean, errors: ajv.errorsText(validate.errors) });
}

const yamlFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

describe('config schema (zod) and JSON Schema', () => {
  const ajv = ajvValidator();

  it('media/schemas/konnect-dcr.schema.json is generated from the zod schema and up to date (npm run generate-schema)', () => {
    assert.equal(
      fs.readFileSync(SCHEMA_FILE, 'utf8'),
      jsonSchemaText(),
      'run `npm run generate-schema` and commit the result',
    );
  });

  it('declares draft-07 and describes the fields (hovers in the YAML editor)', () => {
    const s = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as {
      $schema: string;
      properties: Record<string, { description?: string }>;
    };
    assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#');
    for (const k of ['dcr_providers', 'application_auth_strategies', 'kong_identity_auth_servers', '_defaults'])
      assert.ok(s.properties[k]?.description, k);
  });

  describe('accepts every kongctl example (test/fixtures/config/kongctl)', () => {
    const files = yamlFiles(KONGCTL_EXAMPLES);
    it('has the 13 examples', () => assert.equal(files.length, 13));
    for (const f of files) {
      it(f, () => {
        const text = fs.readFileSync(path.join(KONGCTL_EXAMPLES, f), 'utf8');
        const view = ConfigDocument.parse(text).view;
        const z = ConfigFileSchema.safeParse(view);
        assert.ok(z.success, z.success ? '' : JSON.stringify(z.error.issues));
        const a = ajv(view);
        assert.ok(a.ok, a.errors);
        const errors = analyzeConfig(text, { fileName: f }).diagnostics.filter((d) => d.severity === 'error');
        assert.deepEqual(errors, []);
      });
    }
  });

  describe('accepts every snippet, expanded to its defaults', () => {
    for (const [name, s] of Object.entries(loadSnippets())) {
      it(`${s.prefix} (${name})`, () => {
        const { text } = snippetFile(s.prefix, expandSnippet(s.body));
        const view = ConfigDocument.parse(text).view;
        assert.ok(ConfigFileSchema.safeParse(view).success, text);
        const a = ajv(view);
        assert.ok(a.ok, `${a.errors}\n${text}`);
      });
    }
  });

  describe('rejects every config of the bad corpus, in both validators, with the error on the right line', () => {
    const files = yamlFiles(BAD_CORPUS);
    it('has a corpus', () => assert.ok(files.length >= 20, String(files.length)));
    for (const f of files) {
      it(f, () => {
        const text = fs.readFileSync(path.join(BAD_CORPUS, f), 'utf8');
        const code = /^# expect-code: (\S+)$/m.exec(text)?.[1];
        const line = Number(/^# expect-line: (\d+)$/m.exec(text)?.[1]);
        assert.ok(code && line, 'the file says what to expect');
        const view = ConfigDocument.parse(text).view;
        assert.equal(ConfigFileSchema.safeParse(view).success, false, 'zod rejects it');
        assert.equal(ajv(view).ok, false, 'the JSON Schema rejects it');
        const errors = analyzeConfig(text, { fileName: f }).diagnostics.filter((d) => d.severity === 'error');
        assert.ok(
          errors.some((d) => d.code === code && d.range.start.line === line - 1),
          `expected ${code} on line ${line}, got ${errors.map((d) => `${d.code}@${d.range.start.line + 1}: ${d.message}`).join(' | ')}`,
        );
      });
    }
  });
});
