// Perch's version, one source: the version in the nearest package.json named "perch", wherever the
// compiled file sits (dist/, a private build folder, or the image's /app). flagger_info and `perch version` report it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function perchVersion(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'perch' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not readable): look one level up.
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return 'unknown';
}
