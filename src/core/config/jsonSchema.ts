/**
 * The JSON Schema of the config file, generated from the one zod schema (schema.ts). Written to
 * media/schemas/konnect-dcr.schema.json by `npm run generate-schema` and contributed through `yamlValidation`; a unit
 * test fails when the committed file is out of date. Draft-07, which the YAML language server reads best.
 */
import * as z from 'zod';
import { ConfigFileSchema } from './schema';

export const SCHEMA_ID = 'https://konnect-dcr.invalid/schemas/konnect-dcr.schema.json';

export function buildJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigFileSchema, { target: 'draft-7', unrepresentable: 'throw' }) as Record<
    string,
    unknown
  >;
  return { $schema: schema['$schema'], $id: SCHEMA_ID, ...schema };
}

/** The file's exact content (2-space JSON, trailing newline). */
export function jsonSchemaText(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}
