/**
 * Reads the admin token from a file (`--admin-token-file`, e.g. a Docker secret under
 * /run/secrets). Policy: one trailing newline is dropped (editors and `echo` add one); anything
 * else that is not a valid token is refused with the file's path, never its content.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.ts';
import { AdminTokenSchema } from './env-schema.ts';

/** The token in `path`; throws ConfigError when the file is unreadable or holds no valid token. */
export async function readAdminTokenFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError([`--admin-token-file: cannot read ${path} (${code})`]);
  }
  const token = text.replace(/\r?\n$/, '');
  const parsed = AdminTokenSchema.safeParse(token);
  if (!parsed.success) {
    throw new ConfigError([`--admin-token-file: ${path}: ${parsed.error.issues[0]?.message ?? 'invalid token'}`]);
  }
  return parsed.data;
}
