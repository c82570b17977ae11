import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The workplace's reference data (../shared/data beside the checkout); CI has it, a fresh clone may not. */
export const SHARED_DATA = join(root, '..', 'shared', 'data');

/** Whether `../shared/data/<path>` exists: tests of data the package does not bundle run only then. */
export function hasShared(path = ''): boolean {
  return existsSync(join(SHARED_DATA, path));
}

/**
 * A published reference dataset by its path under the data folders: `../shared/data/<path>` where
 * the workplace has it, else the package's bundled copy `data/<path>` (the same files, with their
 * provenance in data/README.md), so a fresh clone runs the same tests on the same numbers.
 */
export function referenceData(path: string): string {
  const shared = join(SHARED_DATA, path);
  return existsSync(shared) ? shared : join(root, 'data', path);
}
