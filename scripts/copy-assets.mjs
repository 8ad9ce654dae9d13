// Copies the files tsc does not emit (the inspector page's HTML, CSS and browser modules) from
// src/ to dist/, keeping their folders.
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['api/inspector'];
const ASSET = /\.(html|css|js)$/;

for (const folder of FOLDERS) {
  const from = join(root, 'src', folder);
  for (const name of readdirSync(from).filter((n) => ASSET.test(n)))
    cpSync(join(from, name), join(root, 'dist', folder, name));
}
