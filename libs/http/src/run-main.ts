import { ConfigError } from '@inkwell/config';

/**
 * Start-up wrapper for every service: a configuration problem prints the variables at fault and
 * exits 2; any other start-up failure is printed with its cause and exits 1.
 */
export async function runMain(service: string, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${service}: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${service}: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
}
