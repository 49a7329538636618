/** Loads the spec examples copied under test/fixtures/konnect (see its README). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export interface SpecExample {
  example: string;
  summary: string | null;
  used_by: { operation: string; role: 'request' | 'response'; status: string | null; content_type: string }[];
  value: unknown;
}

/** The repository root, found upwards from this file (works from src and from out/). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'test', 'fixtures'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

export function fixturePath(...parts: string[]): string {
  return join(repoRoot(), 'test', 'fixtures', ...parts);
}

/** `application-auth-strategies-v2.examples.yaml` → examples by name. */
export function loadSpecExamples(file: string): Map<string, SpecExample> {
  const doc = parse(readFileSync(fixturePath('konnect', file), 'utf8')) as { cases: SpecExample[] };
  return new Map(doc.cases.map((c) => [c.example, c]));
}

export function specExample(examples: Map<string, SpecExample>, name: string): unknown {
  const ex = examples.get(name);
  if (!ex) throw new Error(`no spec example named ${name}`);
  return structuredClone(ex.value);
}
