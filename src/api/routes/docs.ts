/**
 * The OpenAPI 3.1 document (GET /openapi.json), made from the routes' own schemas, and a page
 * that renders it (GET /docs) with Swagger UI served from this process: nothing is fetched from
 * outside the machine.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Router } from '../openapi.js';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Alpha Panda API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true });\n`;

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
  'X-Content-Type-Options': 'nosniff',
};

/** The directory of swagger-ui-dist's files. */
function assetDir(): string {
  const require = createRequire(import.meta.url);
  return join(require.resolve('swagger-ui-dist/package.json'), '..');
}

export function docsRoutes(app: Router, version: string): void {
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Alpha Panda',
      version,
      description:
        'The operator API: portfolios, orders, signals, strategies, brokers, pipeline, journal, DLQ and live streams. Log in with POST /api/v1/auth/login and send Authorization: Bearer <token>.',
    },
    security: [{ bearer: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });

  const dir = assetDir();
  const cache = new Map<string, string>();
  const asset = (name: string) => {
    let text = cache.get(name);
    if (text === undefined) cache.set(name, (text = readFileSync(join(dir, name), 'utf8')));
    return text;
  };
  app.get('/docs', (c) => c.html(PAGE, 200, SECURITY_HEADERS));
  app.get('/docs/init.js', (c) =>
    c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', ...SECURITY_HEADERS }),
  );
  for (const [name, type] of Object.entries(ASSETS))
    app.get(`/docs/${name}`, (c) =>
      c.body(asset(name), 200, {
        'Content-Type': type,
        'Cache-Control': 'public, max-age=86400',
        ...SECURITY_HEADERS,
      }),
    );
}
