/** Small JSON/form HTTP calls for the tier's own setup and checks, trusting the tier's throw-away CA. */
import { rootCertificates } from 'node:tls';
import { Agent, getGlobalDispatcher, request, setGlobalDispatcher } from 'undici';

/**
 * Makes this process's global `fetch` trust `ca` as well as the system roots (TLS still verified), until the
 * returned function is called. The Konnect emulator's DCR drivers use `fetch`: this is how they reach the tier's
 * IdP over TLS, as Konnect reaches a real one.
 */
export function trustInFetch(ca: string): () => Promise<void> {
  const before = getGlobalDispatcher();
  const agent = new Agent({ connect: { ca: [...rootCertificates, ca] } });
  setGlobalDispatcher(agent);
  return async () => {
    setGlobalDispatcher(before);
    await agent.close();
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | undefined;
}

export interface CallInit {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
}

export class HttpClient {
  private readonly agent: Agent;
  constructor(ca?: string) {
    this.agent = new Agent({ connect: ca ? { ca } : {} });
  }

  async call(url: string, init: CallInit = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await request(url, {
      method: (init.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET',
      headers,
      body: body ?? null,
      dispatcher: this.agent,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.body.text();
    let json: Record<string, unknown> | undefined;
    try {
      const v: unknown = text ? JSON.parse(text) : undefined;
      json = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers as Answer['headers'], text, json };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
