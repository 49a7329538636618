// The request-file parser and variable resolution on a corpus of REST Client / httpYac style files
// (test/fixtures/requests): blocks and ranges, variables, chaining, env files, bodies, and what is refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDotenv, parseEnvironmentFiles } from '../../../src/core/requests/environments';
import { joinFormLines, parseRequestFile, requestAt, type ParsedFile } from '../../../src/core/requests/parser';
import {
  RequestResolver,
  VariableError,
  basicShorthand,
  jsonPath,
  requestedScopes,
  type NamedResponse,
  type VariableSources,
} from '../../../src/core/requests/variables';
import { urlProblem } from '../../../src/core/requests/runner';

const dir = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'requests');
const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
const signal = new AbortController().signal;

function sources(
  over: Partial<VariableSources> = {},
  responses: Record<string, NamedResponse> = {},
): VariableSources & { asked: string[] } {
  const asked: string[] = [];
  return {
    environment: {},
    dotenv: {},
    processEnv: () => undefined,
    secret: async (k) => (k === 'orders.clientSecret' ? 'the-client-secret+/&=' : undefined),
    response: async (name) => {
      asked.push(name);
      const r = responses[name];
      if (!r) throw new VariableError('chain', `no ${name}`, name);
      return r;
    },
    now: () => Date.UTC(2026, 0, 1),
    asked,
    ...over,
  };
}

const tokenResponse: NamedResponse = {
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({
    access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
    token_type: 'Bearer',
    expires_in: 300,
  }),
};

describe('requests: parser', () => {
  describe('REST Client style file', () => {
    let file: ParsedFile;
    before(() => {
      file = parseRequestFile(read('restclient-style.http'));
    });

    it('finds every request with its block range, request line, title and name', () => {
      assert.equal(file.requests.length, 4);
      const [login, call, create, health] = file.requests;
      assert.deepEqual([login!.method, login!.name, login!.title], ['POST', 'login', 'Get a token']);
      assert.equal(
        file.requests.every((r) => r.range.start <= r.requestLine && r.requestLine <= r.range.end),
        true,
      );
      assert.match(
        read('restclient-style.http').split('\n')[login!.requestLine]!,
        /^POST \{\{tokenUrl\}\} HTTP\/1\.1$/,
      );
      assert.equal(call!.method, 'GET');
      assert.equal(create!.bodyKind, 'json');
      assert.deepEqual(
        [health!.method, health!.url],
        ['GET', 'https://gateway.example.com/health'],
        'a bare URL is a GET',
      );
      assert.equal(requestAt(file, call!.range.start)?.index, 1);
      assert.deepEqual(
        file.diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
    });

    it('reads file variables, the form body joined with & and query continuation lines', () => {
      assert.deepEqual(
        file.variables.map((v) => [v.name, v.value]),
        [
          ['idp', 'https://idp.example.com'],
          ['tokenUrl', '{{idp}}/oauth/token'],
          ['clientId', 'orders-app'],
        ],
      );
      const login = file.requests[0]!;
      assert.equal(login.bodyKind, 'form');
      assert.equal(
        login.body,
        'grant_type=client_credentials&client_id={{clientId}}&client_secret={{$secret orders.clientSecret}}&scope=orders:read orders:write',
      );
      assert.equal(file.requests[1]!.url, 'https://gateway.example.com/orders/anything?page=1&size=20');
      assert.equal(file.requests[2]!.body, '{\n  "item": "{{clientId}}",\n  "quantity": 2\n}');
    });

    it('reads a chain from the parsed body kept with the response, else parses the body', async () => {
      const kept: NamedResponse = {
        ...tokenResponse,
        json: { access_token: 'eyJhbGciOiJub25lIn0.eyJrZXB0Ijp0cnVlfQ.' },
      };
      const call = await new RequestResolver(file, sources({}, { login: kept })).resolve(file.requests[1]!, signal);
      assert.equal(call.headers[0]![1], 'Bearer eyJhbGciOiJub25lIn0.eyJrZXB0Ijp0cnVlfQ.');
      const parsed = await new RequestResolver(file, sources({}, { login: tokenResponse })).resolve(
        file.requests[1]!,
        signal,
      );
      assert.equal(parsed.headers[0]![1], 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
    });

    it('resolves nested file variables, $secret (percent-encoded in a form) and chained JSON paths', async () => {
      const src = sources({}, { login: tokenResponse });
      const login = await new RequestResolver(file, src).resolve(file.requests[0]!, signal);
      assert.equal(login.url, 'https://idp.example.com/oauth/token');
      assert.match(login.body!, /&client_id=orders-app&client_secret=the-client-secret%2B%2F%26%3D&/);
      assert.deepEqual(login.secretKeys, ['orders.clientSecret']);
      assert.ok(
        !login.secrets.includes('https://idp.example.com/oauth/token'),
        'a URL variable named tokenUrl is not a secret',
      );
      assert.ok(login.secrets.includes('the-client-secret+/&='), 'the secret is marked for redaction');
      const call = await new RequestResolver(file, src).resolve(file.requests[1]!, signal);
      assert.deepEqual(call.headers[0], ['Authorization', 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln']);
      assert.match(call.headers[1]![1], /^[0-9a-f-]{36}$/);
      assert.ok(
        call.secrets.includes('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'),
        'a chained token is marked for redaction',
      );
      const create = await new RequestResolver(file, src).resolve(file.requests[2]!, signal);
      assert.deepEqual(
        JSON.parse(create.body!),
        { item: 'orders-app', quantity: 2 },
        'JSON bodies get values as written',
      );
    });

    it('a chain to a named request that has no response yet asks for it (the runner runs it first)', async () => {
      const src = sources();
      await assert.rejects(
        new RequestResolver(file, src).resolve(file.requests[1]!, signal),
        (e: unknown) => e instanceof VariableError && e.code === 'chain',
      );
      assert.deepEqual(src.asked, ['login']);
    });
  });

  describe('httpYac style file with env files', () => {
    let file: ParsedFile;
    before(() => {
      file = parseRequestFile(read('httpyac-style.http'));
    });

    it('links the whole file to a strategy from the header region', () => {
      assert.deepEqual(file.strategy, { value: 'orders-oidc', line: 2 });
      assert.deepEqual(
        file.requests.map((r) => r.strategy),
        ['orders-oidc', 'orders-oidc', 'orders-oidc'],
      );
      assert.deepEqual(
        file.requests.map((r) => r.name),
        ['token', 'orders', 'echo'],
      );
      const ignored = file.diagnostics.find((d) => d.code === 'ignored-metadata');
      assert.match(ignored?.message ?? '', /@no-log/);
      assert.equal(ignored?.severity, 'warning');
    });

    it('reads http-client.env.json (+ private) and .env', () => {
      const envs = parseEnvironmentFiles([
        { name: 'http-client.env.json', text: read('envs/http-client.env.json') },
        { name: 'http-client.private.env.json', text: read('envs/http-client.private.env.json') },
      ]);
      assert.deepEqual(envs.names, ['dev', 'prod']);
      assert.deepEqual(envs.values('dev'), {
        baseUrl: 'http://127.0.0.1:8080',
        audience: 'https://api.example.com',
        clientSecret: 'dev-private-secret-value',
      });
      assert.equal(envs.values(undefined)['baseUrl'], 'https://shared.example.com');
      assert.deepEqual(parseDotenv(read('envs/.env')), {
        CLIENT_ID: 'orders-app',
        CLIENT_SECRET: 's3cr3t value',
        EMPTY: '',
        QUOTED: 'single # not a comment',
        TRAILING: 'abc',
      });
      assert.throws(
        () => parseEnvironmentFiles([{ name: 'bad.env.json', text: '{' }]),
        /bad\.env\.json is not valid JSON/,
      );
    });

    it('resolves environment, $dotenv, $processEnv and httpYac body chaining', async () => {
      const envs = parseEnvironmentFiles([{ name: 'http-client.env.json', text: read('envs/http-client.env.json') }]);
      const src = sources(
        {
          environment: envs.values('dev'),
          dotenv: parseDotenv(read('envs/.env')),
          processEnv: (n) => (n === 'KDCR_TEST_OWNER' ? 'team a' : undefined),
        },
        { token: tokenResponse },
      );
      const token = await new RequestResolver(file, src).resolve(file.requests[0]!, signal);
      assert.equal(token.url, 'http://127.0.0.1:8080/token');
      assert.equal(token.body, 'grant_type=client_credentials&client_id=orders-app&client_secret=s3cr3t%20value');
      const orders = await new RequestResolver(file, src).resolve(file.requests[1]!, signal);
      assert.equal(orders.url, 'http://127.0.0.1:8080/orders?owner=team a');
      assert.equal(orders.headers[0]![1], 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
      const echo = await new RequestResolver(file, src).resolve(file.requests[2]!, signal);
      assert.deepEqual(JSON.parse(echo.body!), { token_type: 'Bearer', ct: 'application/json; charset=utf-8' });
    });

    it('says which variable is missing instead of sending a literal {{…}}', async () => {
      const src = sources();
      await assert.rejects(
        new RequestResolver(file, src).resolve(file.requests[0]!, signal),
        /Variable \{\{baseUrl\}\} is not defined/,
      );
      const src2 = sources({ environment: { baseUrl: 'http://x' } });
      await assert.rejects(
        new RequestResolver(file, src2).resolve(file.requests[0]!, signal),
        /\{\{\$dotenv CLIENT_ID\}\}: no CLIENT_ID in the \.env file/,
      );
    });
  });

  describe('unsupported syntax', () => {
    let file: ParsedFile;
    before(() => {
      file = parseRequestFile(read('unsupported.http'));
    });

    it('refuses, with a diagnostic naming it, everything that would be sent wrong', () => {
      const byTitle = (t: string) => file.requests.find((r) => r.title === t)!;
      const msgs = (t: string) =>
        byTitle(t)
          .blocking.map((d) => d.message)
          .join(' | ');
      assert.match(msgs('prompt'), /`@prompt` is not supported/);
      assert.match(msgs('file body'), /File bodies \(`< path`, `<@ path`\) are not supported/);
      assert.match(
        msgs('unknown system variable and a script expression'),
        /\{\{\$randomLoremIpsum\}\}` is not supported/,
      );
      assert.match(msgs('unknown system variable and a script expression'), /script expression/);
      assert.match(msgs('grpc'), /GRPC requests are not supported/);
      assert.match(msgs('response handler'), /Response handlers and scripts/);
      assert.match(msgs('not a request line'), /Not a request line/);
      assert.deepEqual(byTitle('ignored metadata').blocking, [], '@note only warns');
      assert.ok(file.diagnostics.some((d) => d.severity === 'warning' && /@note/.test(d.message)));
      const v = file.diagnostics.find((d) => /randomLoremIpsum/.test(d.message))!;
      assert.equal(
        read('unsupported.http').split('\n')[v.line]!.slice(v.startCol, v.endCol),
        '{{$randomLoremIpsum}}',
        'the diagnostic spans the variable',
      );
    });

    it('a request missing its ### separator is flagged', () => {
      const f = parseRequestFile(
        'POST https://a.example/token\nContent-Type: text/plain\n\nhello\n\nGET https://a.example/next\n',
      );
      assert.ok(f.diagnostics.some((d) => d.code === 'missing-separator' && d.line === 5));
    });
  });

  // Each found by the differential test against httpYac (httpDifferential.test.ts): REST Client and httpYac read these
  // the same way, and the runner sent something else.
  describe('what REST Client and httpYac both mean', () => {
    const run = (text: string, env: Record<string, string> = {}) => {
      const file = parseRequestFile(text);
      return {
        file,
        resolve: (i: number) =>
          new RequestResolver(file, sources({ environment: env })).resolve(file.requests[i]!, signal),
      };
    };

    it('comment lines inside a body are not sent (# and //)', async () => {
      const { file, resolve } = run(
        'POST https://a.example/x\nContent-Type: text/plain\n\nline 1\n# not sent\n// not sent either\nline 2\n',
      );
      assert.deepEqual(file.requests[0]!.blocking, []);
      assert.equal((await resolve(0)).body, 'line 1\nline 2');
    });

    it('a multipart body has CRLF line ends (RFC 2046), as both tools send it', async () => {
      const { resolve } = run(
        'POST https://a.example/up\nContent-Type: multipart/form-data; boundary=b\n\n--b\nContent-Disposition: form-data; name="t"\n\ntitle\n--b--\n',
      );
      assert.equal((await resolve(0)).body, '--b\r\nContent-Disposition: form-data; name="t"\r\n\r\ntitle\r\n--b--');
    });

    it('a ### title names the request (httpYac), and httpYac spells a name as a variable in camelCase', async () => {
      const text =
        '### login\nPOST https://a.example/token\n\n###\n# @name get-user\nGET https://a.example/u/{{login.id}}\n\n###\nGET https://a.example/v/{{getUser.id}}\n';
      const file = parseRequestFile(text);
      assert.deepEqual(
        file.requests.map((r) => r.name),
        ['login', 'get-user', undefined],
      );
      const src = sources(
        {},
        {
          login: { status: 200, headers: {}, body: '{"id":"L1"}' },
          'get-user': { status: 200, headers: {}, body: '{"id":"U2"}' },
        },
      );
      assert.equal(
        (await new RequestResolver(file, src).resolve(file.requests[1]!, signal)).url,
        'https://a.example/u/L1',
      );
      assert.equal(
        (await new RequestResolver(file, src).resolve(file.requests[2]!, signal)).url,
        'https://a.example/v/U2',
      );
      assert.deepEqual(src.asked, ['login', 'get-user'], 'the runner is asked for the request by its own name');
    });

    it('a URL that is only a path takes the Host header (https on 443/8443), else the host variable', async () => {
      const { resolve } = run('GET /a\nHost: api.example:8443\n\n###\nGET /b\nHost: api.example\n\n###\nGET /c?x=1\n', {
        host: 'https://h.example',
      });
      assert.equal((await resolve(0)).url, 'https://api.example:8443/a');
      assert.equal((await resolve(1)).url, 'http://api.example/b');
      assert.equal((await resolve(2)).url, 'https://h.example/c?x=1');
      const bare = await run('GET /d\n').resolve(0);
      assert.equal(bare.url, '/d');
      assert.match(urlProblem(bare.url) ?? '', /only a path needs a Host header or a host variable/);
    });

    it('a path continuation line (httpYac) is part of the URL', () => {
      const file = parseRequestFile('GET https://a.example\n  /api/v1\n  ?page=2\nAccept: */*\n');
      assert.equal(file.requests[0]!.url, 'https://a.example/api/v1?page=2');
      assert.deepEqual(
        file.requests[0]!.headers.map((h) => h.name),
        ['Accept'],
      );
    });

    it('a request line right under a request line or a header starts the next request (httpYac; REST Client cannot send such a "header")', () => {
      const file = parseRequestFile(
        '### two\nGET https://a.example/1\nAccept: */*\nPOST https://a.example/2\nContent-Type: text/plain\n\nbody\n',
      );
      assert.deepEqual(
        file.requests.map((r) => [r.method, r.url, r.range.start, r.range.end, r.name]),
        [
          ['GET', 'https://a.example/1', 1, 2, 'two'],
          ['POST', 'https://a.example/2', 3, 7, undefined],
        ],
      );
      assert.deepEqual(
        file.requests.flatMap((r) => r.blocking),
        [],
      );
      assert.equal(file.requests[1]!.body, 'body');
    });

    it('Basic credentials with several colons and no space: the user is up to the first colon (RFC 7617)', () => {
      assert.equal(basicShorthand('Basic app:se:cret'), `Basic ${Buffer.from('app:se:cret').toString('base64')}`);
      assert.throws(
        () => basicShorthand('Basic john doe:123'),
        /REST Client splits them at the first space, httpYac at the last colon/,
      );
    });
  });

  describe('small pieces', () => {
    it('joins form lines with or without leading &', () => {
      assert.equal(joinFormLines(['a=1', '&b=2', '  c=3  ', '', '&d=4']), 'a=1&b=2&c=3&d=4');
    });
    it('turns Basic id:secret into base64', () => {
      assert.equal(basicShorthand('Basic app:secret'), `Basic ${Buffer.from('app:secret').toString('base64')}`);
      assert.equal(basicShorthand('Basic app secret'), `Basic ${Buffer.from('app:secret').toString('base64')}`);
      assert.equal(basicShorthand('Basic YXBwOnNlY3JldA=='), 'Basic YXBwOnNlY3JldA==');
    });
    it('walks JSON paths in both notations', () => {
      const v = { a: { b: [{ c: 1 }] } };
      assert.equal(jsonPath(v, '$.a.b[0].c'), 1);
      assert.equal(jsonPath(v, 'a.b.0.c'), 1);
      assert.equal(jsonPath(v, '$.a.x'), undefined);
    });
    it('reads the requested scopes of form and JSON token requests', () => {
      assert.deepEqual(
        requestedScopes('grant_type=client_credentials&scope=a%20b+c', 'application/x-www-form-urlencoded'),
        ['a', 'b', 'c'],
      );
      assert.deepEqual(requestedScopes('{"scope":"x y"}', 'application/json'), ['x', 'y']);
    });
    it('a request-level @strategy overrides the file one', () => {
      const f = parseRequestFile(
        '# @strategy file-level\n###\nGET https://a.example/1\n###\n# @strategy other\nGET https://a.example/2\n',
      );
      assert.deepEqual(
        f.requests.map((r) => r.strategy),
        ['file-level', 'other'],
      );
    });
  });
});
