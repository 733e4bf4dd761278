// Opens pages of `newsevents report` in Debian's Chromium (headless, driven by
// playwright-core) and checks them as an analyst would use them:
//   node check_report.mjs --report R.html --records R.jsonl --screenshot R.png
//                         [--big B.html --big-count N]
// --report: no console error, one row per record, filtering by a type shows
//   that type only, the text filter finds an event by its id, sorting by date
//   orders the rows; a full-page screenshot is written to --screenshot.
// --big: a page of N events loads, filters and pages quickly (times printed).
// Prints one line per check; exits 1 if any failed.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];

let failed = 0;
function check(ok, what, detail) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what + (detail !== undefined ? ' (' + detail + ')' : ''));
  if (!ok) failed++;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // This machine has no network but the package registries: no background
  // connections, no GPU, and root needs --no-sandbox. playwright gives the
  // browser a fresh profile of its own.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function openPage(file, width) {
  const page = await browser.newPage({ viewport: { width: width || 1440, height: 1000 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  page.on('pageerror', (e) => errors.push('page error: ' + e.message));
  page.on('requestfailed', (r) => errors.push('request failed: ' + r.url()));
  // Nothing may be fetched: the page is self-contained.
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) errors.push('network request: ' + r.url()); });
  const t0 = Date.now();
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30000 });
  return { page, errors, loadMs: Date.now() - t0 };
}

const rowCount = (page) => page.locator('#events-table tbody tr.row').count();
const matches = (page) => page.locator('#match-count').getAttribute('data-matches').then(Number);
const rowTypes = (page) => page.$$eval('#events-table tbody tr.row', (rows) => rows.map((r) => r.dataset.type));

async function selectType(page, type) {
  const value = await page.$eval('#f-type', (sel, t) => {
    const o = Array.from(sel.options).find((x) => x.dataset.name === t);
    return o ? o.value : null;
  }, type);
  await page.selectOption('#f-type', value);
}

if (args.report) {
  const records = readFileSync(args.records, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const perType = new Map();
  for (const r of records) perType.set(r.event_type, (perType.get(r.event_type) || 0) + 1);
  const { page, errors, loadMs } = await openPage(args.report);
  console.log(`     ${records.length} records, page ready in ${loadMs} ms`);

  check(await matches(page) === records.length, 'the table counts every record', `${await matches(page)} of ${records.length}`);
  await page.selectOption('#page-size', 'all');
  check(await rowCount(page) === records.length, 'one row per record with all rows shown', `${await rowCount(page)} rows`);
  const ids = await page.$$eval('#events-table tbody tr.row', (rows) => rows.map((r) => r.dataset.id));
  check(new Set(ids).size === records.length && records.every((r) => ids.includes(r.id)), 'every record id has its row');

  // A type that is neither the only one nor absent: the filter must remove rows.
  const byCount = Array.from(perType.entries()).sort((a, b) => b[1] - a[1]);
  const [type, expected] = byCount.length > 1 ? byCount[1] : byCount[0];
  await selectType(page, type);
  const shown = await rowTypes(page);
  check(shown.length === expected && shown.every((t) => t === type),
    `filtering by type "${type}" shows only that type`, `${shown.length} rows, expected ${expected}`);
  await page.click('#f-reset');

  // The text filter finds an event by its id; its details open from the row.
  const target = records[Math.floor(records.length / 2)];
  await page.fill('#f-text', target.id);
  await page.waitForFunction((id) => {
    const rows = document.querySelectorAll('#events-table tbody tr.row');
    return rows.length === 1 && rows[0].dataset.id === id;
  }, target.id, { timeout: 5000 }).then(() => check(true, 'the text filter finds an event by its id'),
    () => check(false, 'the text filter finds an event by its id'));
  await page.click('#events-table tbody tr.row');
  check(await page.locator('#events-table tbody tr.detail').count() === 1, 'a click on a row opens its details');
  await page.click('#f-reset');

  // Sorting by event date: dated rows ascending, undated ones last.
  await page.click('#events-table th[data-sort="date"]');
  const starts = await page.$$eval('#events-table tbody tr.row', (rows) =>
    rows.map((r) => r.querySelector('td').textContent));
  const dated = records.filter((r) => r.event_date).map((r) => r.event_date.start).sort();
  const firstDate = dated[0];
  check(starts.length === records.length && starts[starts.length - 1].startsWith('no date') === (dated.length < records.length),
    'sorting by date puts undated events last');
  check(dated.length === 0 || starts[0].includes(firstDate.slice(0, 4)), 'sorting by date starts with the earliest', `${starts[0]} vs ${firstDate}`);
  await page.click('#events-table th[data-sort="source"]');

  // A click on a bar of the type chart filters the table as the select does.
  await page.click('#by-type .bar-row >> nth=0');
  const top = byCount[0];
  check(await matches(page) === top[1], 'a click on the type chart filters the table', `${await matches(page)} vs ${top[1]}`);
  await page.click('#f-reset');
  await page.selectOption('#page-size', '50');

  const snippets = await page.locator('#events-table tbody .snippet:not(.missing)').count();
  check(snippets > 0, 'rows show snippets of their source text', `${snippets} on the first page`);
  check(errors.length === 0, 'no console error, no failed or network request', errors.join(' | '));

  if (args.screenshot) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: args.screenshot, fullPage: true });
    console.log('     screenshot: ' + args.screenshot);
  }
  await page.close();
}

if (args.big) {
  const n = Number(args['big-count']);
  const { page, errors, loadMs } = await openPage(args.big);
  check(await matches(page) === n, `a page of ${n} events loads`, `${loadMs} ms`);
  check(loadMs < 15000, 'it is ready in under 15 s', `${loadMs} ms`);
  const types = await page.$$eval('#f-type option', (os) => os.map((o) => o.dataset.name).filter(Boolean));
  let t0 = Date.now();
  await selectType(page, types[1] || types[0]);
  const filterMs = Date.now() - t0;
  const shown = await rowTypes(page);
  check(shown.length > 0 && shown.every((t) => t === (types[1] || types[0])), 'filtering a type among them', `${filterMs} ms`);
  t0 = Date.now();
  await page.fill('#f-text', 'conference');
  await page.waitForFunction(() => window.newseventsReport.state.text === 'conference', null, { timeout: 10000 });
  const textMs = Date.now() - t0;
  check(textMs < 3000, 'a text search among them answers quickly', `${textMs} ms including the 250 ms typing pause`);
  t0 = Date.now();
  await page.click('#page-last');
  await page.click('#events-table th[data-sort="date"]');
  const sortMs = Date.now() - t0;
  check(await rowCount(page) <= 50, 'the table pages them (at most 50 rows in the page)', `${await rowCount(page)} rows`);
  check(sortMs < 3000, 'sorting them by date', `${sortMs} ms`);
  check(errors.length === 0, 'no console error on the large page', errors.join(' | '));
  await page.close();
}

await browser.close();
console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
process.exit(failed ? 1 : 0);
