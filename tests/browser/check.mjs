// Opens pages of built redline sites in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is downloaded) and checks each one at 1280 px and at 375 px:
//   - it loads with no console error, no page error and no failed request;
//   - axe-core reports no violations, at either width;
//   - nothing scrolls sideways on a 375 px phone (scrollWidth <= clientWidth);
//   - the head carries the Content-Security-Policy meta, the canonical link to the page's own
//     absolute address, and `noindex` exactly when the site is a preview;
//   - every heading anchor (a.anchor) links to the id of the heading it stands in;
//   - the navigation stays in the page's language: on a page under `…/en/` every link of the
//     document navigation leads to an English page (or the English feed), on a page of the
//     source language none leads to a translation (the language switcher is the way across);
//   - the table of contents, where there is one, is shown at 1280 px and folded away at 375 px;
//   - a Chinese page's font stack starts with CJK fonts, another page's does not;
//   - the texts listed under "ins" / "del" are visible inside <ins> / <del> elements;
//   - each of the page's "expect" assertions holds (below).
// The sites are served from a static file server on 127.0.0.1 (an ephemeral port), as they
// would be published; axe-core reads stylesheets, which file:// URLs would not allow.
//
// Usage: node check.mjs SPEC.json, where SPEC is
//   {"root": DIR, "screenshots": DIR or null,
//    "sites": {NAME: {"base": "https://…/" (the --base-url), "preview": bool}},
//    "pages": [{"site": NAME, "path": "privacy/index.html", "lang": "zh-CN",
//               "ins": [TEXT], "del": [TEXT], "expect": [ASSERTION]}]}
// with each site built into ROOT/NAME. An ASSERTION names a CSS selector `sel` and one of:
//   {"sel"}                           some element matches and is visible;
//   {"sel", "text": T}                a visible match whose text (whitespace collapsed) contains T;
//   {"sel", "re": R}                  a visible match whose text matches the regular expression R;
//   {"sel", "count": N}               exactly N elements match;
//   {"sel", "attr": A, "value": V}    a match whose attribute A ends with V;
//   {"sel", "absent": true}           nothing matches;
//   {"sel", "lacks": T}               no match's text contains T.
// Prints one line per page (each problem under it) and "N passed, M failed".
import { chromium } from 'playwright-core';
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const root = resolve(spec.root);
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
const origin = `http://127.0.0.1:${server.address().port}/`;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'redline-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});

// The pages forbid scripts (Content-Security-Policy): axe is evaluated through the browser's
// debugging protocol, which the policy does not govern, so a page's own violation still shows
// as a console error.
async function axe(page, width, problems) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
    problems.push(`axe at ${width}px: ${v.id} (${v.impact}): ${v.help} at ${where}`);
  }
}

// The page's own head: CSP, canonical address, robots.
async function head(page, site, p, problems) {
  const csp = await page.evaluate(() =>
    document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null);
  if (!csp || !csp.includes("default-src 'none'") || csp.includes('script-src')) {
    problems.push(`Content-Security-Policy meta missing or allowing scripts: ${csp}`);
  }
  const canonical = await page.evaluate(() => document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null);
  const want = site.base + p.path.replace(/index\.html$/, '');
  if (canonical !== want) problems.push(`canonical link is ${canonical}, expected ${want}`);
  const robots = await page.evaluate(() => document.querySelector('meta[name="robots"]')?.getAttribute('content') ?? null);
  if (site.preview && robots !== 'noindex') problems.push(`a preview page without noindex (robots: ${robots})`);
  if (!site.preview && robots !== null) problems.push(`a published page with robots "${robots}"`);
}

// Heading anchors point at their own heading; navigation stays in the page's language.
async function links(page, p, problems) {
  const anchors = await page.evaluate(() => [...document.querySelectorAll('a.anchor')].map((a) => ({
    href: a.getAttribute('href'), id: a.closest('h1, h2, h3, h4, h5, h6')?.id ?? null })));
  for (const a of anchors) {
    if (!a.id || a.href !== `#${a.id}`) problems.push(`heading anchor ${a.href} is not its heading's (#${a.id})`);
  }
  const nav = await page.evaluate(() =>
    [...document.querySelectorAll('header .doc-nav a, header .site-name a')].map((a) => a.href));
  const translated = /\/en\/index\.html$/.test(p.path);
  for (const href of nav) {
    const path = new URL(href).pathname;
    if (path === `/${p.site}/index.html`) continue; // the site's home, in one language
    const inEnglish = /\/en\/index\.html$/.test(path) || /feed\.en\.xml$/.test(path);
    if (translated && !inEnglish) problems.push(`navigation of an English page leads to ${path}`);
    if (!translated && inEnglish) problems.push(`navigation of a ${p.lang} page leads to ${path}`);
  }
}

// Whether the first link of the table of contents is rendered (null: the page has none). A
// closed <details> keeps its content laid out but skipped (content-visibility: hidden), which
// checkVisibility() sees and a bounding box does not.
async function tocShown(page) {
  return page.evaluate(() => {
    const a = document.querySelector('nav.toc li a');
    return a ? a.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true }) : null;
  });
}

function norm(text) { return (text || '').replace(/\s+/g, ' ').trim(); }

async function expectations(page, p, problems) {
  for (const [tag, texts] of [['ins', p.ins || []], ['del', p.del || []]]) {
    for (const text of texts) {
      const el = page.locator(tag, { hasText: text }).first();
      if ((await el.count()) === 0 || !(await el.isVisible())) problems.push(`no visible <${tag}> containing "${text}"`);
    }
  }
  for (const e of p.expect || []) {
    const all = page.locator(e.sel);
    const n = await all.count();
    const what = JSON.stringify(e);
    if (e.absent) { if (n !== 0) problems.push(`${n} elements match ${what}`); continue; }
    if (e.lacks !== undefined) {
      for (let i = 0; i < n; i += 1) {
        if (norm(await all.nth(i).textContent()).includes(e.lacks)) problems.push(`${e.sel} says "${e.lacks}"`);
      }
      if (n === 0) problems.push(`nothing matches ${what}`);
      continue;
    }
    if ('count' in e) { if (n !== e.count) problems.push(`${n} elements match ${what}`); continue; }
    let ok = false;
    const seen = [];
    for (let i = 0; i < n && !ok; i += 1) {
      const el = all.nth(i);
      if (e.attr) {
        const v = await el.getAttribute(e.attr);
        seen.push(v);
        ok = v !== null && v.endsWith(e.value);
        continue;
      }
      if (!(await el.isVisible())) continue;
      const text = norm(await el.textContent());
      seen.push(text.slice(0, 120));
      ok = e.text !== undefined ? text.includes(e.text) : e.re !== undefined ? new RegExp(e.re).test(text) : true;
    }
    if (!ok) problems.push(`not found: ${what} (matched ${n}: ${JSON.stringify(seen.slice(0, 4))})`);
  }
}

let passed = 0, failed = 0;
try {
  for (const p of spec.pages) {
    const problems = [];
    const site = spec.sites[p.site];
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
    const url = `${origin}${p.site}/${p.path}`;
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response || !response.ok()) problems.push(`could not load ${url}`);
    const lang = await page.evaluate(() => document.documentElement.lang);
    if (lang !== p.lang) problems.push(`<html lang="${lang}">, expected ${p.lang}`);
    await head(page, site, p, problems);
    // Chinese pages name CJK fonts first (else quotes and colons take Latin glyphs).
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    if (p.lang.startsWith('zh') !== font.startsWith('"PingFang SC"')) problems.push(`font stack of a ${p.lang} page: ${font}`);
    await links(page, p, problems);
    await expectations(page, p, problems);
    if (spec.screenshots) {
      const name = `${p.site}_${p.path}`.replace(/[^A-Za-z0-9.]+/g, '_');
      await page.screenshot({ path: join(spec.screenshots, `${name}.png`), fullPage: true });
    }
    await axe(page, 1280, problems);
    const wide = await tocShown(page);
    await page.setViewportSize({ width: 375, height: 740 });
    const overflow = await page.evaluate(() => {
      const d = document.documentElement;
      return { scroll: d.scrollWidth, client: d.clientWidth };
    });
    if (overflow.scroll > overflow.client) {
      problems.push(`scrolls sideways at 375px: scrollWidth ${overflow.scroll} > clientWidth ${overflow.client}`);
    }
    const narrow = await tocShown(page);
    if (wide === false) problems.push('the table of contents is hidden at 1280px');
    if (narrow === true) problems.push('the table of contents is not folded away at 375px');
    if (spec.screenshots) {
      const name = `${p.site}_${p.path}`.replace(/[^A-Za-z0-9.]+/g, '_');
      await page.screenshot({ path: join(spec.screenshots, `${name}.375.png`), fullPage: true });
    }
    await axe(page, 375, problems);
    await page.close();
    if (problems.length === 0) {
      passed += 1;
      console.log(`ok   ${p.site}/${p.path}`);
    } else {
      failed += 1;
      console.log(`FAIL ${p.site}/${p.path}`);
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
