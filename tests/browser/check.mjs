// Opens pages of a built redline site in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is downloaded) and checks each one:
//   - it loads with no console error, no page error and no failed request;
//   - the texts listed under "ins" / "del" are visible inside <ins> / <del> elements;
//   - on a phone-sized viewport (375 px) nothing overflows the page horizontally;
//   - axe-core reports no violations.
// The site is served from a static file server on 127.0.0.1 (an ephemeral port), as it would be
// published; axe-core reads stylesheets, which file:// URLs would not allow.
// Usage: node check.mjs SPEC.json   where SPEC is {"site": DIR, "pages": [{"path", "ins", "del"}],
//        "screenshots": DIR or null}. Prints one line per page and "N passed, M failed".
import { chromium } from 'playwright-core';
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const root = resolve(spec.site);
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.xml': 'application/atom+xml',
                '.json': 'application/json', '.md': 'text/markdown; charset=utf-8' };
const server = createServer((req, res) => {
  let path = resolve(root, '.' + decodeURIComponent(new URL(req.url, 'http://x').pathname));
  try { if (statSync(path).isDirectory()) path = join(path, 'index.html'); } catch { /* 404 below */ }
  if (!(path === root || path.startsWith(root + sep))) { res.writeHead(403).end(); return; }
  try {
    const body = readFileSync(path);
    res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' }).end(body);
  } catch { res.writeHead(404).end('not found'); }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}/`;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'redline-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
let passed = 0, failed = 0;
try {
  for (const p of spec.pages) {
    const problems = [];
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
    const url = base + p.path;
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response || !response.ok()) problems.push(`could not load ${url}`);
    for (const [tag, texts] of [['ins', p.ins || []], ['del', p.del || []]]) {
      for (const text of texts) {
        const el = page.locator(tag, { hasText: text }).first();
        if ((await el.count()) === 0 || !(await el.isVisible())) problems.push(`no visible <${tag}> containing "${text}"`);
      }
    }
    if (spec.screenshots) {
      const name = p.path.replace(/[^A-Za-z0-9.]+/g, '_');
      await page.screenshot({ path: join(spec.screenshots, `${name}.png`) });
    }
    // The pages forbid scripts (Content-Security-Policy): axe is evaluated through the browser's
    // debugging protocol, which the policy does not govern, so a page's own violation still shows
    // as a console error above.
    await page.evaluate(readFileSync(axePath, 'utf8'));
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
    for (const v of result.violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
      problems.push(`axe ${v.id} (${v.impact}): ${v.help} at ${where}`);
    }
    await page.setViewportSize({ width: 375, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) problems.push(`page is ${overflow}px wider than a 375px phone screen`);
    await page.close();
    if (problems.length === 0) {
      passed += 1;
      console.log(`ok   ${p.path}`);
    } else {
      failed += 1;
      console.log(`FAIL ${p.path}`);
      for (const line of problems) console.log(`     ${line}`);
    }
  }
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
