import type { Logger } from '../../src/core/util/logger';

/** A `Logger` that keeps every line (level + text) for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; text: string }[] = [];
  private add(level: string, message: string | Error, args: unknown[]): void {
    const text = [
      message instanceof Error ? message.message : message,
      ...args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))),
    ].join(' ');
    this.lines.push({ level, text });
  }
  trace(message: string, ...args: unknown[]): void {
    this.add('trace', message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.add('debug', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.add('info', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.add('warn', message, args);
  }
  error(message: string | Error, ...args: unknown[]): void {
    this.add('error', message, args);
  }
  /** Everything logged, one line each. */
  text(): string {
    return this.lines.map((l) => `${l.level}: ${l.text}`).join('\n');
  }
}
