// The differential test of the `.http` reader: every request of a corpus of real files written for REST Client and
// httpYac (test/fixtures/http-corpus, provenance in its manifest.json) is read and "sent" by our parser + runner and
// by httpYac itself (the npm package), both without network, and compared (support/httpDifferential.ts says how and
// lists each normalisation). A request either agrees, or our parser refuses it with a problem on its line; a request
// we would send differently fails the test. Then every syntax we do not support, one test each: refused on its line,
// and nothing sent.
import * as assert from 'node:assert/strict';
import dns from 'node:dns';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseRequestFile } from '../../../src/core/requests/parser';
import { RequestRunner, RunSession } from '../../../src/core/requests/runner';
import type { ExecutedResponse, OutgoingRequest } from '../../../src/core/requests/executor';
import { Redactor } from '../../../src/core/util/redact';
import { nullLogger } from '../../../src/core/util/logger';
import { compareFile, type RequestOutcome } from './support/httpDifferential';

const corpus = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'http-corpus');

interface Manifest {
  readonly sources: Record<string, { repository: string; commit: string; commitDate: string; licence: string }>;
  readonly files: readonly { file: string; source: string; path: string; lines?: [number, number] }[];
}
const manifest = (): Manifest => JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as Manifest;

/** While it runs, any socket or DNS lookup from this process is refused and counted. */
function withoutNetwork<T>(fn: () => Promise<T>): Promise<{ value: T; attempts: string[] }> {
  const attempts: string[] = [];
  const connect = net.Socket.prototype.connect;
  const lookup = dns.lookup;
  const plookup = dns.promises.lookup;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    attempts.push(`connect ${JSON.stringify(args[0])}`);
    throw new Error('no network in the differential test');
  } as typeof connect;
  (dns as { lookup: unknown }).lookup = (host: string) => {
    attempts.push(`lookup ${host}`);
    throw new Error('no DNS in the differential test');
  };
  (dns.promises as { lookup: unknown }).lookup = async (host: string) => {
    attempts.push(`lookup ${host}`);
    throw new Error('no DNS in the differential test');
  };
  return fn()
    .then((value) => ({ value, attempts }))
    .finally(() => {
      net.Socket.prototype.connect = connect;
      (dns as { lookup: unknown }).lookup = lookup;
      (dns.promises as { lookup: unknown }).lookup = plookup;
    });
}

describe('requests: .http differential against httpYac', function () {
  this.timeout(120_000);

  it('the corpus is real files with their provenance: repository, commit, licence, path (and lines) of each', () => {
    const m = manifest();
    for (const [id, s] of Object.entries(m.sources)) {
      assert.match(s.repository, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/, id);
      assert.match(s.commit, /^[0-9a-f]{40}$/, id);
      assert.equal(s.licence, 'MIT', id);
      assert.match(
        fs.readFileSync(path.join(corpus, id, 'LICENSE'), 'utf8'),
        /Permission is hereby granted, free of charge/,
        `${id}/LICENSE`,
      );
    }
    const listed = new Set(m.files.map((f) => f.file));
    for (const f of m.files) {
      assert.ok(m.sources[f.source], `${f.file}: source ${f.source}`);
      assert.ok(f.path, `${f.file}: path in its repository`);
      assert.ok(fs.existsSync(path.join(corpus, f.file)), f.file);
    }
    const onDisk = (dir: string): string[] =>
      fs
        .readdirSync(path.join(corpus, dir), { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory()
            ? onDisk(path.join(dir, e.name))
            : /\.(http|rest)$/.test(e.name)
              ? [path.join(dir, e.name).split(path.sep).join('/')]
              : [],
        );
    assert.deepEqual(
      onDisk('.')
        .map((f) => f.replace(/^\.\//, ''))
        .filter((f) => !listed.has(f)),
      [],
      'every corpus file is in the manifest',
    );
  });

  it('every request agrees with httpYac (method, URL, headers, body, name) or is a problem on its own line that keeps it from being sent', async () => {
    const listing = (): string[] => fs.readdirSync(corpus, { recursive: true, encoding: 'utf8' }).sort();
    const before = listing();
    const { value: all, attempts } = await withoutNetwork(async () => {
      const out: RequestOutcome[] = [];
      for (const f of manifest().files) {
        const abs = path.join(corpus, f.file);
        out.push(...(await compareFile(f.file, abs, fs.readFileSync(abs, 'utf8'))));
      }
      return out;
    });
    const of = (v: RequestOutcome['verdict']): RequestOutcome[] => all.filter((o) => o.verdict === v);
    const disagree = of('disagree');
    console.log(
      `      http differential: ${of('agree').length} of ${all.length} requests agree, ${of('located').length} are located problems, ${disagree.length} disagree`,
    );
    for (const o of disagree) console.log(`      DISAGREE ${o.file}:${o.line} ${o.detail}`);
    assert.deepEqual(attempts, [], 'nothing went to the network');
    assert.deepEqual(listing(), before, 'nothing was written next to the corpus');
    assert.ok(all.length >= 300, `the corpus has ${all.length} requests`);
    assert.deepEqual(
      disagree.map((o) => `${o.file}:${o.line} ${o.detail}`),
      [],
    );
    // a floor (84 agree when this was written): refusing everything would also leave nothing that disagrees
    assert.ok(of('agree').length >= 80, `only ${of('agree').length} requests agree`);
  });

  it('what the problems ask for instead agrees with httpYac', async () => {
    // the spelling each refusal suggests: ### between requests, & on form lines, base64 Basic credentials, a
    // timestamp with an explicit unit, $randomInt with min < max, a JSON body instead of GraphQL
    const text = [
      'POST https://a.example/token',
      'Content-Type: application/x-www-form-urlencoded',
      '',
      'grant_type=client_credentials',
      '&scope=a b',
      '',
      '###',
      'GET https://a.example/x?t={{$timestamp 0 s}}&y={{$timestamp -1 d}}&n={{$randomInt 7 8}}',
      `Authorization: Basic ${Buffer.from('john doe:123').toString('base64')}`,
      '',
      '###',
      'POST https://a.example/graphql',
      'Content-Type: application/json',
      '',
      '{"query": "query Q { viewer { login } }", "variables": {}}',
      '',
    ].join('\n');
    const { value: outcomes, attempts } = await withoutNetwork(() =>
      compareFile('suggested.http', path.join(corpus, 'suggested.http'), text),
    );
    assert.deepEqual(attempts, []);
    assert.deepEqual(
      outcomes.map((o) => `${o.line} ${o.verdict} ${o.detail}`),
      ['1 agree ', '8 agree ', '12 agree '],
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Known-unsupported syntax: each is a problem on the line that has it, and the request is not sent.

/** `^` marks the line the problem must be on (the marker is removed). */
const UNSUPPORTED: readonly { what: string; file: string; code?: string }[] = [
  {
    what: 'a file body (`< path`) inside a multipart body',
    file: 'POST https://a.example/up\nContent-Type: multipart/form-data; boundary=b\n\n--b\nContent-Disposition: form-data; name="f"; filename="1.png"\n\n^< ./1.png\n--b--',
    code: 'unsupported-body',
  },
  {
    what: 'a file body with variables and an encoding (`<@latin1 path`)',
    file: 'POST https://a.example/x\nContent-Type: application/xml\n\n^<@latin1 ./demo.xml',
    code: 'unsupported-body',
  },
  {
    what: 'a script block in the request',
    file: 'GET https://a.example/x\n\n^{{\n  exports.a = 1;\n}}',
    code: 'unsupported-script',
  },
  {
    what: 'a script block before the request line',
    file: '^{{\n  exports.a = 1;\n}}\nGET https://a.example/x?a={{a}}',
    code: 'unsupported-script',
  },
  {
    what: 'a global script (it runs around every request)',
    file: '{{+\n  exports.a = 1;\n}}\n###\n^GET https://a.example/x',
    code: 'unsupported-script',
  },
  {
    what: 'a pre-request script (`< {% %}`)',
    file: 'GET https://a.example/x\n\n^< {% request.variables.set("a", 1) %}',
    code: 'unsupported-script',
  },
  {
    what: 'a response handler (`> {% %}`)',
    file: 'GET https://a.example/x\n\n^> {% client.global.set("t", response.body.token) %}',
    code: 'unsupported-script',
  },
  {
    what: 'output redirection (`>>! file`)',
    file: 'GET https://a.example/x\n\n^>>! ./out.json',
    code: 'unsupported-script',
  },
  {
    what: 'an assertion (`??`) under the request line',
    file: 'GET https://a.example/x\n^?? status == 200',
    code: 'unsupported-script',
  },
  {
    what: 'an assertion (`??`) after the headers',
    file: 'GET https://a.example/x\nAccept: */*\n\n^?? status == 200',
    code: 'unsupported-script',
  },
  {
    what: 'a response written under the request',
    file: 'GET https://a.example/x\n\n^HTTP/1.1 200 - OK\ncontent-type: application/json\n\n{}',
    code: 'unsupported-body',
  },
  {
    what: 'a variable defined after the request line',
    file: 'POST https://a.example/x\n\n^@id = {{x.id}}',
    code: 'ambiguous-body',
  },
  {
    what: 'a use of a variable defined only after a request line',
    file: '# @name x\nPOST https://a.example/x\n\n@slide = {{x.slideshow}}\n###\n^GET https://a.example/y?author={{slide.author}}',
    code: 'unsupported-dependency',
  },
  {
    what: 'a second request after a blank line, without ###',
    file: 'POST https://a.example/x\nContent-Type: text/plain\n\nhello\n\n^GET https://a.example/next',
    code: 'missing-separator',
  },
  {
    what: 'a URL alone under a request line',
    file: '@base = https://a.example\n###\nGET https://a.example/x\n^{{base}}/y',
    code: 'missing-separator',
  },
  { what: 'a body with no blank line before it', file: 'POST https://a.example/x\n^{ "a": 1 }', code: 'syntax' },
  {
    what: 'a GraphQL body (httpYac)',
    file: 'POST https://a.example/graphql\nContent-Type: application/json\n\n^query Q($c: String!) {\n  c(code: $c) { name }\n}',
    code: 'unsupported-body',
  },
  {
    what: 'a GraphQL request (REST Client, X-Request-Type)',
    file: 'POST https://a.example/graphql\nContent-Type: application/json\n^X-Request-Type: GraphQL\n\n{ viewer { login } }',
    code: 'unsupported-body',
  },
  {
    what: 'GRAPHQL as a method',
    file: '^GRAPHQL https://a.example/graphql\n\n{ viewer { login } }',
    code: 'unsupported-protocol',
  },
  {
    what: 'a gRPC request',
    file: '^GRPC grpcb.in:9000/hello.HelloService/SayHello\n\n{}',
    code: 'unsupported-protocol',
  },
  { what: 'a WebSocket request', file: '^WS wss://a.example/ws', code: 'unsupported-protocol' },
  { what: 'an SSE request', file: '^SSE https://a.example/events', code: 'unsupported-protocol' },
  { what: 'an MQTT request', file: '^MQTT tcp://a.example:1883\nTopic: t', code: 'unsupported-protocol' },
  { what: 'an AMQP request', file: '^AMQP amqp://a.example\namqp_queue: q', code: 'unsupported-protocol' },
  {
    what: 'Authorization: Digest (computed from a challenge)',
    file: 'GET https://a.example/x\n^Authorization: Digest user passwd',
    code: 'unsupported-auth',
  },
  {
    what: 'Authorization: AWS (a signature)',
    file: 'GET https://a.example/x\n^Authorization: AWS id key region:eu-central-1',
    code: 'unsupported-auth',
  },
  {
    what: 'Authorization: COGNITO',
    file: 'GET https://a.example/x\n^Authorization: COGNITO user pass eu-central-1 pool client',
    code: 'unsupported-auth',
  },
  {
    what: 'Authorization: oauth2 (httpYac gets the token itself)',
    file: 'GET https://a.example/x\n^Authorization: oauth2 client_credentials',
    code: 'unsupported-auth',
  },
  { what: 'Authorization: openid', file: 'GET https://a.example/x\n^Authorization: openid', code: 'unsupported-auth' },
  {
    what: 'a client certificate header',
    file: 'GET https://a.example/x\n^X-ClientCert: pfx: ./c.p12 passphrase: p',
    code: 'unsupported-auth',
  },
  {
    what: 'Basic credentials with both a space and a colon',
    file: '@user = john doe\n@password = 123\n###\nGET https://a.example/x\n^Authorization: Basic {{user}}:{{password}}',
    code: 'ambiguous-auth',
  },
  {
    what: 'a form line without a leading &',
    file: 'POST https://a.example/t\nContent-Type: application/x-www-form-urlencoded\n\na=1\n^b=2',
    code: 'ambiguous-form',
  },
  {
    what: 'an indented form line',
    file: 'POST https://a.example/t\nContent-Type: application/x-www-form-urlencoded\n\na=1\n^  &b=2',
    code: 'ambiguous-form',
  },
  {
    what: 'a blank line inside a form body',
    file: 'POST https://a.example/t\nContent-Type: application/x-www-form-urlencoded\n\na=1\n^\n&b=2',
    code: 'ambiguous-form',
  },
  {
    what: 'spaces around = in a form body',
    file: 'POST https://a.example/t\nContent-Type: application/x-www-form-urlencoded\n\n^a = 1',
    code: 'ambiguous-form',
  },
  {
    what: 'a file variable in quotes',
    file: '@a = "x y"\n###\n^GET https://a.example/x?a={{a}}',
    code: 'unsupported-dependency',
  },
  {
    what: 'a header value ending in a comma',
    file: 'GET https://a.example/x\n^Accept: application/json,',
    code: 'ambiguous-header',
  },
  { what: 'a query line that is not name=value', file: 'GET https://a.example/x\n^  &flag', code: 'ambiguous-url' },
  {
    what: 'an httpYac lazy variable (`:=`)',
    file: '@bar = b\n@foo := foo{{bar}}\n###\n^GET https://a.example/x?f={{foo}}',
    code: 'unsupported-dependency',
  },
  {
    what: 'a file variable that uses an unsupported variable',
    file: '@q = {{$input app? $value: foo}}\n###\n^GET https://a.example/x?q={{q}}',
    code: 'unsupported-dependency',
  },
  {
    what: 'a chain from a request that cannot be sent',
    file: '# @name a\n# @sleep 100\nGET https://a.example/a\n###\n^GET https://a.example/b/{{a.id}}',
    code: 'unsupported-dependency',
  },
  {
    what: 'REST Client request variables as XPath',
    file: '# @name a\nGET https://a.example/a\n###\n^GET https://a.example/b/{{a.response.body.//reply[1]/@id}}',
    code: 'unsupported-variable',
  },
  {
    what: 'an indirect variable (`{{%name}}`)',
    file: '@name = Strunk & White\n###\n^GET https://a.example/authors/{{%name}}',
    code: 'unsupported-variable',
  },
  {
    what: 'REST Client $datetime / $localDatetime / $aadToken',
    file: 'GET https://a.example/x\n^Date: {{$datetime rfc1123}}',
    code: 'unsupported-variable',
  },
  {
    what: 'httpYac $random.* / $input / $pick / $global, also on a query line',
    file: 'GET https://a.example/x\n^  ?id={{$random.uuid}}',
    code: 'unsupported-variable',
  },
  {
    what: '`{{$timestamp}}` without an offset (seconds in REST Client, milliseconds in httpYac)',
    file: '^GET https://a.example/x?t={{$timestamp}}',
    code: 'unsupported-variable',
  },
  {
    what: '`{{$timestamp}}` with an offset both tools ignore (`-1d`, `1 M`)',
    file: 'GET https://a.example/x\n^  ?t={{$timestamp -1d}}',
    code: 'unsupported-variable',
  },
  {
    what: '`{{$randomInt}}` without min < max',
    file: '^GET https://a.example/x?n={{$randomInt}}',
    code: 'unsupported-variable',
  },
  {
    what: 'a JavaScript expression',
    file: '^GET https://a.example/x?d={{new Date().toString()}}',
    code: 'unsupported-variable',
  },
  {
    what: 'an escaped \\{\\{ (httpYac)',
    file: 'POST https://a.example/x\nContent-Type: application/json\n\n^{ "t": "My \\{\\{verb\\}\\} template" }',
    code: 'ambiguous-escape',
  },
  { what: 'a block comment (httpYac)', file: '^/*\n  a comment\n*/\nGET https://a.example/x', code: 'syntax' },
  {
    what: 'metadata inside a body',
    file: 'POST https://a.example/x\nContent-Type: text/plain\n\nhello\n^# @name late',
    code: 'misplaced-metadata',
  },
  {
    what: 'a # line in a markdown body',
    file: 'POST https://a.example/x\nContent-Type: text/markdown\n\n^# Title\ntext',
    code: 'ambiguous-body',
  },
  {
    what: 'header spreading (`...headers`, httpYac)',
    file: 'GET https://a.example/x\n^...defaultHeaders',
    code: 'syntax',
  },
  {
    what: 'metadata that changes what is sent or when: @ref, @import, @loop, @sleep, @prompt, @disabled, @ratelimit, @proxy',
    file: '# @name x\n^# @ref other\nGET https://a.example/x',
    code: 'unsupported-metadata',
  },
];

describe('requests: syntax the runner does not support is a problem on its line and is not sent', () => {
  for (const u of UNSUPPORTED) {
    it(u.what, async () => {
      const raw = u.file.split('\n');
      const at = raw.findIndex((l) => l.startsWith('^'));
      assert.ok(at >= 0, 'the case marks its line');
      const text = raw.map((l) => l.replace(/^\^/, '')).join('\n');
      const file = parseRequestFile(text);
      const onLine = file.diagnostics.filter((d) => d.severity === 'error' && d.line === at);
      assert.ok(
        onLine.length,
        `an error on line ${at + 1}; got ${JSON.stringify(file.diagnostics.map((d) => [d.line + 1, d.code, d.message]))}`,
      );
      if (u.code)
        assert.ok(
          onLine.some((d) => d.code === u.code),
          `code ${u.code}; got ${onLine.map((d) => d.code).join(', ')}`,
        );
      const affected = file.requests.filter(
        (r) => (r.range.start <= at && at <= r.range.end) || r.blocking.some((d) => d.line === at),
      );
      assert.ok(affected.length, 'the line belongs to a request');
      // nothing of the affected requests goes out
      const sent: OutgoingRequest[] = [];
      const runner = new RequestRunner({
        executor: {
          execute: async (req: OutgoingRequest): Promise<ExecutedResponse> => {
            sent.push(req);
            return {
              status: 200,
              statusText: 'OK',
              headers: {},
              body: '{"id":1}',
              bytes: 8,
              timings: { firstByteMs: 0, transferMs: 0, totalMs: 0, viaProxy: false },
            };
          },
        },
        now: () => 0,
        redactor: new Redactor(),
        logger: nullLogger,
      });
      const session = new RunSession(file, {
        environment: { a: 'x', x: 'y' },
        dotenv: {},
        processEnv: () => undefined,
        secret: async () => undefined,
        now: () => 0,
      });
      for (const r of affected) {
        const before = sent.length;
        const result = await runner.run(session, r.index, new AbortController().signal);
        assert.ok(r.blocking.length && result.error, `request ${r.index + 1} is refused`);
        assert.equal(result.sent, undefined);
        assert.equal(sent.length, before, `nothing was sent while request ${r.index + 1} ran`);
      }
    });
  }
});
