import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Static files live in src/web/assets. This module sits at src/web (or dist/web after a build),
 * and both resolve ../../src/web/assets to the same folder, so the build copies nothing.
 */
export const assetsDir = fileURLToPath(new URL('../../src/web/assets/', import.meta.url));

const versions = new Map<string, string>();

/** URL of an asset with a content hash, so browsers may cache it for a year and still see changes. */
export function assetUrl(name: string): string {
  let version = versions.get(name);
  if (!version) {
    const content = fs.readFileSync(new URL(name, `file://${assetsDir}`));
    version = crypto.createHash('sha256').update(content).digest('base64url').slice(0, 10);
    versions.set(name, version);
  }
  return `/assets/${name}?v=${version}`;
}
