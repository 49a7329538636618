/**
 * Seeded mutators for the fuzz suites: YAML config files (keys, values, types, indentation, tags, anchors,
 * truncation, duplication, splicing) and `.http` request files (separators, variables, headers, bodies, chaining,
 * metadata). Every mutation is a pure function of the text and an `Rng`, so a case is reproduced from its seed.
 */
import type { Rng } from './random';

export type Mutation = (text: string, rng: Rng, corpus: readonly string[]) => string;

const lines = (t: string): string[] => t.split('\n');
const join = (ls: readonly string[]): string => ls.join('\n');

// ---------------------------------------------------------------------------------------------------------------
// generic, line and character level

const deleteLine: Mutation = (t, r) => {
  const ls = lines(t);
  ls.splice(r.int(ls.length), 1);
  return join(ls);
};
const duplicateLine: Mutation = (t, r) => {
  const ls = lines(t);
  const i = r.int(ls.length);
  ls.splice(i, 0, ls[i]!);
  return join(ls);
};
const swapLines: Mutation = (t, r) => {
  const ls = lines(t);
  const i = r.int(ls.length),
    j = r.int(ls.length);
  [ls[i], ls[j]] = [ls[j]!, ls[i]!];
  return join(ls);
};
const truncate: Mutation = (t, r) => t.slice(0, r.int(t.length + 1));
const duplicateBlock: Mutation = (t, r) => {
  const ls = lines(t);
  const i = r.int(ls.length);
  const n = r.range(1, 12);
  const block = ls.slice(i, i + n);
  ls.splice(r.int(ls.length + 1), 0, ...block);
  return join(ls);
};
const spliceOther: Mutation = (t, r, corpus) => {
  const other = lines(r.pick(corpus));
  const i = r.int(other.length);
  const chunk = other.slice(i, i + r.range(1, 10));
  const ls = lines(t);
  ls.splice(r.int(ls.length + 1), 0, ...chunk);
  return join(ls);
};
const SPECIAL = [
  ':',
  ': ',
  '-',
  '- ',
  '#',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '\t',
  '|',
  '>',
  '&',
  '*',
  '!',
  '%',
  '@',
  '`',
  '?',
  '\\',
  '\r',
  '\0',
  '\u00a0',
  '\uFEFF',
  '\u202e',
  '😀',
  '{{',
  '}}',
  '###',
  '\n',
  '\n\n',
  ' ',
];
const insertChars: Mutation = (t, r) => {
  const at = r.int(t.length + 1);
  let s = '';
  for (let n = r.range(1, 3); n > 0; n--) s += r.pick(SPECIAL);
  return t.slice(0, at) + s + t.slice(at);
};
const deleteChars: Mutation = (t, r) => {
  const at = r.int(t.length + 1);
  return t.slice(0, at) + t.slice(at + r.range(1, 8));
};
const crlf: Mutation = (t) => t.replace(/\n/g, '\r\n');
const bom: Mutation = (t) => `\uFEFF${t}`;

// ---------------------------------------------------------------------------------------------------------------
// YAML

const YAML_VALUES = [
  '',
  '~',
  'null',
  'true',
  'false',
  'yes',
  'no',
  'on',
  '0',
  '-1',
  '3.14',
  '1e309',
  '0x1F',
  '0o17',
  '.nan',
  '.inf',
  '-.inf',
  '[]',
  '{}',
  '[a, b]',
  '{a: 1}',
  '[[[]]]',
  '"str"',
  "'s'",
  '""',
  "''",
  '"esc\\u0000aped"',
  '!!binary aGVsbG8=',
  '!!int x',
  '!!str 1',
  '!!map {}',
  '!!seq []',
  '!!null',
  '!ref',
  '!ref a#b#c',
  '!ref ../x',
  '!ref has space',
  '!ref payments-auth#issuer',
  '!ref okta-dcr',
  '!env',
  '!env 1BAD',
  '!env GOOD_NAME',
  '!env A#b',
  '!secret',
  '!secret {}',
  '!secret x',
  '!secret {source: x}',
  '!secret {source: !env A, parts: []}',
  '!secret {parts: [a, !env B]}',
  '!secret {parts: []}',
  '!file x',
  '!file {path: x}',
  '!unknown x',
  '! x',
  '!<tag:yaml.org,2002:str> x',
  '&x 1',
  '*x',
  '*undefined_alias',
  '|',
  '|-\n  text',
  '>-\n  text',
  '"unterminated',
  "'unterminated",
  'https://',
  'http://[::1',
  'ftp://x',
  'https://idp.example.com',
  'https://idp.example.com/.well-known/openid-configuration',
  'a'.repeat(4000),
  '😀',
  '\u202e',
  'key: value: other',
  '- item',
  '? complex',
  '@reserved',
  '`tick`',
  '2026-01-01',
  '12:30:00',
  'NaN',
  '['.repeat(40),
  '{a: '.repeat(30),
  'okta',
  'auth0',
  'azureAd',
  'curity',
  'http',
  'kongIdentity',
  'openid_connect',
  'key_auth',
  '[client_credentials, bearer]',
  '[sub]',
  '[apikey]',
  '{value: 30, unit: days}',
  '<<: *x',
];
const YAML_KEYS = [
  'ref',
  'name',
  'display_name',
  'provider_type',
  'issuer',
  'dcr_config',
  'dcr_token',
  'api_key',
  'dcr_base_url',
  'initial_client_id',
  'initial_client_secret',
  'initial_client_audience',
  'labels',
  'kongctl',
  'namespace',
  'protected',
  'strategy_type',
  'configs',
  'openid_connect',
  'openid-connect',
  'key_auth',
  'key-auth',
  'key_names',
  'ttl',
  'credential_claim',
  'scopes',
  'auth_methods',
  'dcr_provider_id',
  'dcr_providers',
  'application_auth_strategies',
  'kong_identity_auth_servers',
  '_defaults',
  'audience',
  'claims',
  'include_in_scopes',
  'value',
  'enabled',
  '<<',
  '? ',
  '"quoted key"',
  '',
  'unknown_key',
  'Name',
  'REF',
];

const KEY_LINE = /^(\s*(?:-\s+)?)([^\s:#][^:#]*?)(\s*:)(\s.*|)$/;

function randomKeyLine(ls: string[], r: Rng): number | undefined {
  const idx = ls.map((l, i) => (KEY_LINE.test(l) ? i : -1)).filter((i) => i >= 0);
  return idx.length ? r.pick(idx) : undefined;
}

const replaceValue: Mutation = (t, r) => {
  const ls = lines(t);
  const i = randomKeyLine(ls, r);
  if (i === undefined) return t;
  ls[i] = ls[i]!.replace(
    KEY_LINE,
    (_m, pre: string, key: string, colon: string) => `${pre}${key}${colon} ${r.pick(YAML_VALUES)}`,
  );
  return join(ls);
};
const mutateKey: Mutation = (t, r) => {
  const ls = lines(t);
  const i = randomKeyLine(ls, r);
  if (i === undefined) return t;
  ls[i] = ls[i]!.replace(KEY_LINE, (_m, pre: string, key: string, colon: string, rest: string) => {
    const k = key;
    const typo = [
      () => k.slice(0, -1),
      () => k + k.slice(-1),
      () => k.toUpperCase(),
      () => r.pick(YAML_KEYS),
      () => `${k}_x`,
      () => k.replace(/_/g, '-'),
      () => `"${k}"`,
      () => `${k} ${k}`,
      () => '',
    ];
    return `${pre}${r.pick(typo)()}${colon}${rest}`;
  });
  return join(ls);
};
const insertTag: Mutation = (t, r) => {
  const ls = lines(t);
  const i = randomKeyLine(ls, r);
  if (i === undefined) return t;
  const tag = r.pick([
    '!ref',
    '!env',
    '!secret',
    '!file',
    '!unknown',
    '!!str',
    '!!int',
    '!!map',
    '!!seq',
    '!',
    '!!binary',
  ]);
  ls[i] = ls[i]!.replace(
    KEY_LINE,
    (_m, pre: string, key: string, colon: string, rest: string) => `${pre}${key}${colon} ${tag}${rest}`,
  );
  return join(ls);
};
const reindent: Mutation = (t, r) => {
  const ls = lines(t);
  const i = r.int(ls.length);
  const l = ls[i]!;
  const lead = /^\s*/.exec(l)![0];
  const body = l.slice(lead.length);
  const choice = r.int(4);
  ls[i] =
    choice === 0
      ? ' '.repeat(Math.max(0, lead.length + r.range(-4, 4))) + body
      : choice === 1
        ? '\t' + body
        : choice === 2
          ? body
          : ' '.repeat(lead.length + 1) + body;
  return join(ls);
};
const anchors: Mutation = (t, r) => {
  const ls = lines(t);
  const i = randomKeyLine(ls, r),
    j = randomKeyLine(ls, r);
  if (i === undefined || j === undefined) return t;
  ls[i] = ls[i]!.replace(
    KEY_LINE,
    (_m, pre: string, key: string, colon: string, rest: string) => `${pre}${key}${colon} &a${rest}`,
  );
  ls[j] = ls[j]!.replace(
    KEY_LINE,
    (_m, pre: string, key: string, colon: string) => `${pre}${key}${colon} ${r.pick(['*a', '*a', '*b'])}`,
  );
  if (r.chance(0.3)) ls.splice(j + 1, 0, `${/^\s*/.exec(ls[j]!)![0]}<<: *a`);
  return join(ls);
};
/** A "billion laughs" of aliases (9^n values): the analyzer must refuse the large ones at once, not expand them. */
const aliasBomb: Mutation = (t, r) => {
  const n = r.range(2, 9);
  const bomb = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < n; i++) bomb.push(`x${i}: &x${i} [${Array.from({ length: 9 }, () => `*x${i - 1}`).join(', ')}]`);
  return `${bomb.join('\n')}\n${t}`;
};
const deepNest: Mutation = (t, r) => {
  const ls = lines(t);
  const i = randomKeyLine(ls, r);
  if (i === undefined) return t;
  const d = r.range(50, 400);
  const v = r.chance(0.5) ? '['.repeat(d) + ']'.repeat(d) : '{a: '.repeat(d) + '1' + '}'.repeat(d);
  ls[i] = ls[i]!.replace(KEY_LINE, (_m, pre: string, key: string, colon: string) => `${pre}${key}${colon} ${v}`);
  return join(ls);
};
const dropDash: Mutation = (t, r) => {
  const ls = lines(t);
  const idx = ls.map((l, i) => (/^\s*- /.test(l) ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) return t;
  const i = r.pick(idx);
  ls[i] = ls[i]!.replace('- ', r.pick(['', '  ', '-', '--- ']));
  return join(ls);
};
const documents: Mutation = (t, r) => (r.chance(0.5) ? `${t}\n---\n${t}` : `%YAML 1.2\n---\n${t}\n...\n`);

export const YAML_MUTATIONS: readonly [string, Mutation][] = [
  ['deleteLine', deleteLine],
  ['duplicateLine', duplicateLine],
  ['swapLines', swapLines],
  ['truncate', truncate],
  ['duplicateBlock', duplicateBlock],
  ['spliceOther', spliceOther],
  ['insertChars', insertChars],
  ['deleteChars', deleteChars],
  ['replaceValue', replaceValue],
  ['replaceValue', replaceValue],
  ['mutateKey', mutateKey],
  ['mutateKey', mutateKey],
  ['insertTag', insertTag],
  ['reindent', reindent],
  ['reindent', reindent],
  ['anchors', anchors],
  ['aliasBomb', aliasBomb],
  ['deepNest', deepNest],
  ['dropDash', dropDash],
  ['documents', documents],
  ['crlf', crlf],
  ['bom', bom],
];

// ---------------------------------------------------------------------------------------------------------------
// .http

const VAR_EXPRS = [
  '',
  ' ',
  '$secret',
  '$secret a b',
  '$secret clientSecret',
  '$processEnv',
  '$processEnv %X',
  '$processEnv HOME',
  '$dotenv',
  '$dotenv KEY',
  '$guid',
  '$uuid',
  '$timestamp',
  '$isoTimestamp',
  '$randomInt',
  '$randomInt 1 10',
  '$unknown',
  '$.x',
  '%x',
  'x',
  'host',
  'tokenUrl',
  'clientId',
  'undefinedVar',
  'token.response.body.access_token',
  'token.response.body.$.access_token',
  'token.response.headers.Location',
  'token.access_token',
  'self.response.body.x',
  'a.b.c[99]',
  'x[0]',
  '1+1',
  'a.b()',
  'process.env.HOME',
  '{{x}}',
  'a'.repeat(300),
  'token.response.body.$.a.b[0]',
];
const replaceVariable: Mutation = (t, r) => {
  const ms = [...t.matchAll(/\{\{[^{}]*\}\}/g)];
  if (!ms.length) return t;
  const m = r.pick(ms);
  return t.slice(0, m.index) + `{{${r.pick(VAR_EXPRS)}}}` + t.slice(m.index! + m[0].length);
};
const unbalanceBraces: Mutation = (t, r) => {
  const ms = [...t.matchAll(/\{\{|\}\}/g)];
  if (!ms.length) return t;
  const m = r.pick(ms);
  return t.slice(0, m.index) + r.pick(['', '{', '}', '{{{', '}}}', '{ {']) + t.slice(m.index! + 2);
};
const insertVariable: Mutation = (t, r) => {
  const ls = lines(t);
  const i = r.int(ls.length);
  ls[i] = `${ls[i]!}${r.chance(0.5) ? '' : ' '}{{${r.pick(VAR_EXPRS)}}}`;
  return join(ls);
};
const separators: Mutation = (t, r) => {
  const ls = lines(t);
  const seps = ls.map((l, i) => (/^\s*###/.test(l) ? i : -1)).filter((i) => i >= 0);
  const choice = r.int(5);
  if (choice === 0 && seps.length) ls.splice(r.pick(seps), 1);
  else if (choice === 1 && seps.length) {
    const i = r.pick(seps);
    ls.splice(i, 0, ls[i]!);
  } else if (choice === 2 && seps.length) {
    const i = r.pick(seps);
    ls[i] = r.pick(['  ###', '##', '####', '### title with {{x}}', '###\t', '#', '###😀']);
  } else ls.splice(r.int(ls.length + 1), 0, '###');
  return join(ls);
};
const HEADER_LINES = [
  'Content-Type: application/json',
  'Content-Type: application/x-www-form-urlencoded',
  'Accept: */*',
  'Authorization: Bearer {{token.response.body.access_token}}',
  'Authorization: Basic {{$secret basic}}',
  'X-Empty:',
  'No colon here',
  'Bad Name: x',
  ': no name',
  'Host: {{host}}',
  'X-Long: ' + 'v'.repeat(2000),
  'Content-Length: 5',
  'Transfer-Encoding: chunked',
  'X-Unicode: ✓',
  'X-Var: {{undefinedVar}}',
  'Cookie: a=b; c=d',
];
const headers: Mutation = (t, r) => {
  const ls = lines(t);
  const reqLines = ls
    .map((l, i) => (/^\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s/i.test(l) ? i : -1))
    .filter((i) => i >= 0);
  const i = reqLines.length ? r.pick(reqLines) + 1 : r.int(ls.length + 1);
  if (r.chance(0.7)) ls.splice(i, 0, r.pick(HEADER_LINES));
  else {
    const h = ls.map((l, j) => (/^[\w-]+:\s/.test(l) ? j : -1)).filter((j) => j >= 0);
    if (h.length) {
      const j = r.pick(h);
      ls[j] = ls[j]!.replace(':', r.pick(['', ' :', '::', '=']));
    }
  }
  return join(ls);
};
const BODIES = [
  '{"a": 1}',
  '{"broken": ',
  '[1, 2',
  'grant_type=client_credentials&scope=a b',
  '&client_id={{clientId}}',
  '< ./body.json',
  '<@ ./body.json',
  '> {% client.global.set("x", 1) %}',
  '>> ./out.json',
  'POST https://example.com/looks-like-a-request',
  '{{$secret clientSecret}}',
  '{"token": "{{token.response.body.access_token}}"}',
  'x'.repeat(20_000),
  '\u0000binary\u0001',
  '--boundary\nContent-Disposition: form-data; name="a"\n\n1\n--boundary--',
];
const bodies: Mutation = (t, r) => {
  const ls = lines(t);
  const blanks = ls.map((l, i) => (!l.trim() ? i : -1)).filter((i) => i >= 0);
  if (r.chance(0.3) && blanks.length) {
    ls.splice(r.pick(blanks), 1);
    return join(ls);
  }
  ls.splice(blanks.length ? r.pick(blanks) + 1 : ls.length, 0, r.pick(BODIES));
  return join(ls);
};
const chaining: Mutation = (t, r) => {
  const ls = lines(t);
  const names = ['token', 'a', 'b', 'self', 'gateway'];
  const choice = r.int(4);
  if (choice === 0) ls.splice(r.int(ls.length + 1), 0, `# @name ${r.pick(names)}`);
  else if (choice === 1) ls.splice(r.int(ls.length + 1), 0, `// @name ${r.pick(names)}`);
  else if (choice === 2) {
    // a cycle: a needs b, b needs a
    ls.push(
      '',
      '### a',
      '# @name a',
      'GET https://a.example.com/{{b.response.body.x}}',
      '',
      '### b',
      '# @name b',
      'GET https://b.example.com/{{a.response.body.x}}',
    );
  } else ls.push('', '### self', '# @name self', 'GET https://self.example.com/{{self.response.body.x}}');
  return join(ls);
};
const METADATA = [
  '# @prompt x',
  '# @loop for 3',
  '# @sleep 100',
  '# @strategy',
  '# @strategy orders',
  '# @no-redirect',
  '# @note hi',
  '# @import ./x.http',
  '# @ref token',
  '# @disabled',
  '# @timeout 10',
  '# @',
  '# @name',
  '# @verbose',
  '# @jwt',
  '# @unknown-meta value',
];
const metadata: Mutation = (t, r) => {
  const ls = lines(t);
  ls.splice(r.int(ls.length + 1), 0, r.pick(METADATA));
  return join(ls);
};
const REQUEST_LINES = [
  'GET',
  'POST',
  'FOO https://x.example.com',
  'GET https://x.example.com/a b c',
  'GET /relative/path',
  'GRAPHQL https://x.example.com/graphql',
  'GET',
  'POST https://x.example.com HTTP/9.9',
  'get https://x.example.com',
  'GET file:///etc/passwd',
  'GET javascript:alert(1)',
  '{{base}}',
  'https://x.example.com',
  'GET http://[::1',
  'GET https://user:pass@x.example.com/',
  'GET https://x.example.com/?a=1',
  '    ?b=2',
  '    &c={{x}}',
  'WS wss://x.example.com',
  'GET http://127.0.0.1:1/refused',
];
const requestLine: Mutation = (t, r) => {
  const ls = lines(t);
  const reqLines = ls.map((l, i) => (/^\s*(GET|POST|PUT|PATCH|DELETE)\s/i.test(l) ? i : -1)).filter((i) => i >= 0);
  const i = reqLines.length && r.chance(0.6) ? r.pick(reqLines) : r.int(ls.length + 1);
  if (reqLines.includes(i)) ls[i] = r.pick(REQUEST_LINES);
  else ls.splice(i, 0, r.pick(REQUEST_LINES));
  return join(ls);
};
const FILE_VARS = [
  '@x = {{x}}',
  '@a = {{b}}',
  '@b = {{a}}',
  '@=1',
  '@ x=1',
  '@host = https://h.example.com',
  '@host=',
  '@tokenUrl = {{host}}/token',
  '@clientSecret = literal-secret-value-123',
  '@deep = {{deep}}{{deep}}',
  '@p = {{$processEnv HOME}}',
];
const fileVars: Mutation = (t, r) => {
  const ls = lines(t);
  ls.splice(r.int(Math.min(ls.length, 6) + 1), 0, r.pick(FILE_VARS));
  return join(ls);
};

export const HTTP_MUTATIONS: readonly [string, Mutation][] = [
  ['deleteLine', deleteLine],
  ['duplicateLine', duplicateLine],
  ['swapLines', swapLines],
  ['truncate', truncate],
  ['duplicateBlock', duplicateBlock],
  ['spliceOther', spliceOther],
  ['insertChars', insertChars],
  ['deleteChars', deleteChars],
  ['replaceVariable', replaceVariable],
  ['replaceVariable', replaceVariable],
  ['unbalanceBraces', unbalanceBraces],
  ['insertVariable', insertVariable],
  ['separators', separators],
  ['separators', separators],
  ['headers', headers],
  ['headers', headers],
  ['bodies', bodies],
  ['chaining', chaining],
  ['metadata', metadata],
  ['requestLine', requestLine],
  ['fileVars', fileVars],
  ['fileVars', fileVars],
  ['crlf', crlf],
  ['bom', bom],
];

/** 1–4 mutations of a random corpus file; returns the text and the names of the mutations applied. */
export function mutateFrom(
  corpus: readonly string[],
  mutations: readonly [string, Mutation][],
  rng: Rng,
): { text: string; applied: string[] } {
  let text = rng.pick(corpus);
  const applied: string[] = [];
  for (let n = rng.range(1, 4); n > 0; n--) {
    const [name, m] = rng.pick(mutations);
    text = m(text, rng, corpus);
    applied.push(name);
  }
  return { text, applied };
}
