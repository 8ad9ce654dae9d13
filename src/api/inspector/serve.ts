/**
 * The actor inspector's page (SPEC §9): GET /inspector and its static files, read once from
 * this module's folder (src/api/inspector, or dist/api/inspector where the build copies them).
 * The page is public; the data it reads from /api/v1/inspector needs a token unless reads are open.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Router } from '../openapi.js';

/** The page's files and their content types; nothing else in the folder is served. */
export const INSPECTOR_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'inspector.css': 'text/css; charset=utf-8',
  'main.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'ring.js': 'text/javascript; charset=utf-8',
  'stream.js': 'text/javascript; charset=utf-8',
  'tree.js': 'text/javascript; charset=utf-8',
  'context.js': 'text/javascript; charset=utf-8',
  'chain.js': 'text/javascript; charset=utf-8',
};

/** No inline script or style element, nothing from another origin. */
export const INSPECTOR_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

/** Reads the page's files from `dir` (by default this module's own folder). */
export function inspectorFiles(dir = new URL('.', import.meta.url)): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of Object.keys(INSPECTOR_FILES))
    files.set(name, readFileSync(fileURLToPath(new URL(name, dir)), 'utf8'));
  return files;
}

/** Adds GET /inspector (the page) and GET /inspector/<file> to `app`. */
export function inspectorPage(app: Router, files: Map<string, string> = inspectorFiles()): void {
  const page = files.get('index.html')!;
  app.get('/inspector', (c) => c.html(page, 200, INSPECTOR_HEADERS));
  for (const [name, type] of Object.entries(INSPECTOR_FILES)) {
    const body = files.get(name)!;
    app.get(`/inspector/${name}`, (c) =>
      c.body(body, 200, { 'Content-Type': type, ...INSPECTOR_HEADERS }),
    );
  }
}
