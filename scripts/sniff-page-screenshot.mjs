// Drives the sniffer page in headless Chromium until it shows live rows, then saves a screenshot.
// Called by sniff-page-screenshot.sh with: node sniff-page-screenshot.mjs URL OUT_PNG
import { chromium } from 'playwright-core';

const [url, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 700 } });
  await page.goto(url);
  await page.waitForSelector('#state:text("attached")', { timeout: 15000 });
  // Rows appear as the orders placed meanwhile flow through the event bus.
  await page.waitForSelector('tbody tr:nth-child(8)', { timeout: 30000 });
  const rows = await page.locator('tbody tr').count();
  await page.screenshot({ path: out });
  console.log(`sniffer page showed ${rows} live rows; screenshot: ${out}`);
} finally {
  await browser.close();
}
