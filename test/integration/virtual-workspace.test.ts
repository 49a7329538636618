// capabilities.virtualWorkspaces is "limited": what the declaration claims, on file systems that are not the disk.
// The test registers two in-memory file system providers in the extension host (a writable `kdcr-vfs:` and a
// read-only `kdcr-ro:`, as GitHub Repositories or a read-only remote would be) and checks that config problems and
// Plan, the runner with its .env next to the request file, Create Validation Requests and Pull work on them through
// vscode.workspace.fs, and that writing onto the read-only one is refused with a message that says why.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { Sandbox } from '../../sandbox/index';
import { setUpFlavour } from '../../sandbox/scenarios';
import type { KonnectClient } from '../../src/core/api/index';
import { EXTENSION_ID, extensionApi, run, signOutAll, startSignedIn, waitFor, type Api } from './support/helpers';

/** A whole file system in a Map: enough of FileSystemProvider for VS Code's editors and vscode.workspace.fs. */
class MemFs implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly dirs = new Set<string>(['/']);
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  seed(path: string, text: string): void {
    for (let d = path.slice(0, path.lastIndexOf('/')); d; d = d.slice(0, d.lastIndexOf('/'))) this.dirs.add(d);
    this.files.set(path, { data: new TextEncoder().encode(text), mtime: Date.now() });
  }
  text(path: string): string | undefined {
    const f = this.files.get(path);
    return f && new TextDecoder().decode(f.data);
  }
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.files.get(uri.path);
    if (f) return { type: vscode.FileType.File, ctime: f.mtime, mtime: f.mtime, size: f.data.byteLength };
    if (this.dirs.has(uri.path)) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const prefix = uri.path === '/' ? '/' : `${uri.path}/`;
    const direct = (p: string): string | undefined =>
      p.startsWith(prefix) && !p.slice(prefix.length).includes('/') ? p.slice(prefix.length) : undefined;
    return [
      ...[...this.dirs].flatMap((d) =>
        direct(d) ? [[direct(d)!, vscode.FileType.Directory] as [string, vscode.FileType]] : [],
      ),
      ...[...this.files.keys()].flatMap((f) =>
        direct(f) ? [[direct(f)!, vscode.FileType.File] as [string, vscode.FileType]] : [],
      ),
    ];
  }
  createDirectory(uri: vscode.Uri): void {
    this.dirs.add(uri.path);
  }
  readFile(uri: vscode.Uri): Uint8Array {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f.data;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    this.seed(uri.path, new TextDecoder().decode(content));
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }
  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }
  rename(from: vscode.Uri, to: vscode.Uri): void {
    const f = this.files.get(from.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(from);
    this.files.delete(from.path);
    this.files.set(to.path, f);
  }
}

describe('Virtual workspaces ("limited"): files on a file system provider', function () {
  this.timeout(60_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;
  const vfs = new MemFs();
  const ro = new MemFs();
  const subs: vscode.Disposable[] = [];
  let server: http.Server;
  let seen: { url: string | undefined; auth: string | undefined }[] = [];
  const at = (path: string): vscode.Uri => vscode.Uri.from({ scheme: 'kdcr-vfs', path });
  const roAt = (path: string): vscode.Uri => vscode.Uri.from({ scheme: 'kdcr-ro', path });
  const lastError = (): string =>
    [...api.testing.prompts.shown].reverse().find((m) => m.severity === 'error')?.message ?? '';

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    subs.push(
      vscode.workspace.registerFileSystemProvider('kdcr-vfs', vfs, { isCaseSensitive: true }),
      vscode.workspace.registerFileSystemProvider('kdcr-ro', ro, { isCaseSensitive: true, isReadonly: true }),
    );
    server = http.createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    ({ sb, konnect } = await startSignedIn('virtual-ws'));
  });
  after(async () => {
    api.testing.prompts.clearScript();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    for (const s of subs.splice(0)) s.dispose();
    await new Promise((r) => server?.close(r));
    await konnect?.close();
    await sb?.stop();
  });

  it('declares virtualWorkspaces "limited" with a description of what is limited', () => {
    const cap = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        capabilities: { virtualWorkspaces: { supported: unknown; description: string } };
      }
    ).capabilities.virtualWorkspaces;
    assert.equal(cap.supported, 'limited');
    assert.match(cap.description, /vscode\.workspace\.fs|file system API/);
    assert.match(cap.description, /read-only/);
  });

  it('a config file on a virtual file system gets its problems and plans against Konnect', async () => {
    vfs.seed(
      '/repo/konnect-dcr.vfs.yaml',
      [
        'dcr_providers:',
        '  - ref: vfs-okta',
        '    name: vfs-okta',
        '    provider_type: oktaa',
        `    issuer: ${sb.state.flavours.okta.issuer}`,
        '',
      ].join('\n'),
    );
    const uri = at('/repo/konnect-dcr.vfs.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const problems = await waitFor('problems on the kdcr-vfs: file', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : undefined;
    });
    assert.ok(
      problems.some((d) => /provider_type/.test(d.message) && /okta/.test(d.message)),
      problems.map((d) => d.message).join(' | '),
    );
    // a valid one, never opened: Plan reads it through workspace.fs
    vfs.seed(
      '/repo/konnect-dcr.plan.yaml',
      [
        'dcr_providers:',
        '  - ref: vfs-okta',
        '    name: vfs-okta',
        '    provider_type: okta',
        `    issuer: ${sb.state.flavours.okta.issuer}`,
        '    dcr_config:',
        '      dcr_token: !secret {source: !env VFS_OKTA_TOKEN}',
        '',
      ].join('\n'),
    );
    const plan = await run<{ plan: { counts: { create: number } } } | undefined>(
      'konnectDcr.config.plan',
      at('/repo/konnect-dcr.plan.yaml'),
    );
    assert.ok(plan, `planned (${lastError()})`);
    assert.equal(plan.plan.counts.create, 1);
  });

  it('the runner reads the .env next to a request file on a virtual file system and sends it', async () => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    vfs.seed('/repo/requests/.env', `VFS_BASE=${base}\nVFS_TOKEN=from-the-vfs-dotenv\n`);
    vfs.seed(
      '/repo/requests/call.http',
      '### call\nGET {{$dotenv VFS_BASE}}/vfs/anything\nAuthorization: Bearer {{$dotenv VFS_TOKEN}}\n',
    );
    seen = [];
    const r = await run<{ status?: number } | undefined>('konnectDcr.runner.send', at('/repo/requests/call.http'), 1);
    assert.equal(r?.status, 200, lastError());
    assert.deepEqual(seen, [{ url: '/vfs/anything', auth: 'Bearer from-the-vfs-dotenv' }]);
  });

  it('Create Validation Requests writes onto a writable virtual file system and refuses a read-only one', async () => {
    const { strategy } = await setUpFlavour(sb, konnect, 'okta', 'vfs');
    const answers = (): void =>
      api.testing.prompts.script(
        { id: 'runner.clientId', answer: 'vfs-client' },
        { id: 'runner.clientSecret', answer: 'vfs-client-secret-not-real' },
      );
    answers();
    const written = await run<vscode.Uri | undefined>('konnectDcr.runner.createValidationRequests', strategy.id, {
      gatewayUrl: `${sb.state.gatewayUrl}/vfs/anything`,
      target: at('/repo/requests/okta.http'),
      open: false,
    });
    assert.equal(written?.toString(), at('/repo/requests/okta.http').toString(), lastError());
    assert.match(vfs.text('/repo/requests/okta.http') ?? '', /grant_type=client_credentials/);

    const refused = await run<vscode.Uri | undefined>('konnectDcr.runner.createValidationRequests', strategy.id, {
      gatewayUrl: `${sb.state.gatewayUrl}/vfs/anything`,
      target: roAt('/repo/okta.http'),
      open: false,
    });
    assert.equal(refused, undefined);
    assert.match(
      lastError(),
      /cannot be written to kdcr-ro:\/repo\/okta\.http: its file system \(kdcr-ro:\) is read-only/,
    );
    assert.equal(ro.text('/repo/okta.http'), undefined);
  });

  it('Pull writes a config file onto a writable virtual file system and refuses a read-only one', async () => {
    const pulled = await run<{ providers: number } | undefined>(
      'konnectDcr.config.pull',
      at('/repo/pulled.kongctl.yaml'),
    );
    assert.ok(pulled && pulled.providers >= 1, lastError());
    assert.match(vfs.text('/repo/pulled.kongctl.yaml') ?? '', /dcr_providers:/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const refused = await run('konnectDcr.config.pull', roAt('/repo/pulled.kongctl.yaml'));
    assert.equal(refused, undefined);
    assert.match(lastError(), /The pulled config cannot be written to kdcr-ro:.*read-only/);
    assert.equal(ro.text('/repo/pulled.kongctl.yaml'), undefined);
  });
});
