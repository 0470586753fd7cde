import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * `templates/<folder>` of the project, found by walking up from `start` (a module's `__dirname`), so
 * it works from `src/…` under ts-jest and from `dist/src/…` once built. `marker` is a file the
 * folder must hold.
 */
export function findTemplatesDir(start: string, folder: string, marker: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'templates', folder);
    if (existsSync(join(candidate, marker))) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`Templates not found: no templates/${folder}/${marker} in ${start} or any parent folder`);
    }
  }
}
