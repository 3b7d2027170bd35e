import pino, { type Logger } from 'pino';

/** Structured JSON logs (stdout for the engine, stderr for CLI commands). */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { service: 'livora', ...bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd, sync: fd === 2 }),
  );
}
