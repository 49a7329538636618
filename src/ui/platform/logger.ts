import type * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { Redactor } from '../../core/util/redact';

/**
 * The last lines written to the log channel, already redacted: what the integration tests scan for secrets (the
 * LogOutputChannel's own file lives in the workbench's log folder, which a remote extension host may not see).
 */
export class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly max = 2000) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  snapshot(): readonly string[] {
    return [...this.lines];
  }
}

/**
 * The one log channel ("Konnect DCR", a LogOutputChannel: levels come from VS Code's "Set Log Level…").
 * Every line passes through the redactor first; a component tag tells who wrote it.
 */
export class ChannelLogger implements Logger {
  constructor(
    private readonly channel: vscode.LogOutputChannel,
    private readonly redactor: Redactor,
    private readonly component = 'ext',
    private readonly tail?: LogTail,
  ) {}

  child(component: string): ChannelLogger {
    return new ChannelLogger(this.channel, this.redactor, component, this.tail);
  }

  private fmt(message: string, args: unknown[]): string {
    const rest = args.map((a) =>
      a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : safeJson(a),
    );
    const line = this.redactor.redact(`[${this.component}] ${[message, ...rest].join(' ')}`);
    this.tail?.push(line);
    return line;
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(this.fmt(message, args));
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.fmt(message, args));
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.fmt(message, args));
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.fmt(message, args));
  }
  error(message: string | Error, ...args: unknown[]): void {
    const text = message instanceof Error ? (message.stack ?? message.message) : message;
    this.channel.error(this.fmt(text, args));
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
