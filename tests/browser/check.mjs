// Opens pages of a built redline site in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is downloaded) and checks each one:
//   - it loads with no console error, no page error and no failed request;
//   - the texts listed under "ins" / "del" are visible inside <ins> / <del> elements;
//   - on a phone-sized viewport (375 px) nothing overflows the page horizontally;
//   - axe-core reports no violations.
// Usage: node check.mjs SPEC.json   where SPEC is {"site": DIR, "pages": [{"path", "ins", "del"}],
//        "screenshots": DIR or null}. Prints one line per page and "N passed, M failed".
import { chromium } from 'playwright-core';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
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
    const url = pathToFileURL(resolve(spec.site, p.path)).href;
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
    await page.addScriptTag({ path: axePath });
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
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
