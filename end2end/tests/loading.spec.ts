import { Page } from '@playwright/test';
import { expect, holdAppBundle, hydrated, test } from './fixtures';

// How pages load: the server-rendered page is painted first, the app bundle comes
// after it, and nothing on the page moves when the app takes over.

type Shift = { value: number; sources: string[] };

/** Records every layout shift of the page from its first moment. */
async function recordShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shifts: Shift[] = [];
    (window as unknown as { shifts: Shift[] }).shifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as {
        value: number;
        hadRecentInput: boolean;
        sources: { node?: Node | null }[];
      }[]) {
        if (entry.hadRecentInput) continue;
        shifts.push({
          value: entry.value,
          sources: entry.sources.map((source) => {
            const node = source.node as Element | null | undefined;
            return node ? `${node.nodeName}.${node.className ?? ''} "${(node.textContent ?? '').trim().slice(0, 40)}"` : '?';
          }),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

for (const path of ['/', '/anmelden', '/registrieren', '/passwort-vergessen', '/hilfe', '/barrierefreiheit']) {
  test(`nothing moves when ${path} becomes interactive`, async ({ page }) => {
    await recordShifts(page);
    await page.goto(path);
    await hydrated(page);
    // Let effects that run after hydration paint.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300))));
    const shifts = await page.evaluate(() => (window as unknown as { shifts: Shift[] }).shifts);
    expect(shifts, JSON.stringify(shifts)).toEqual([]);
  });
}

test('the app bundle is downloaded after the stylesheet, never competing with it', async ({ page }) => {
  await page.goto('/registrieren');
  await hydrated(page);
  const timing = await page.evaluate(() => {
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const css = resources.find((entry) => entry.name.endsWith('.css'));
    const wasm = resources.find((entry) => entry.name.endsWith('.wasm'));
    return { css: css?.responseEnd ?? null, wasm: wasm?.startTime ?? null };
  });
  expect(timing.css).not.toBeNull();
  expect(timing.wasm).not.toBeNull();
  expect(timing.wasm!).toBeGreaterThanOrEqual(timing.css!);
});

test('controls that need the app keep their place and appear when it is ready', async ({ page }) => {
  const release = await holdAppBundle(page);
  await page.goto('/registrieren', { waitUntil: 'domcontentloaded' });
  const toggle = page.getByRole('button', { name: 'Passwort anzeigen' });
  // Not yet usable: invisible (and out of the tab order), but its place is taken.
  await expect(toggle).toBeHidden();
  const before = await page.locator('.checklist-box').boundingBox();
  release();
  await hydrated(page);
  await expect(toggle).toBeVisible();
  const after = await page.locator('.checklist-box').boundingBox();
  expect(after?.y).toBe(before?.y);
  await toggle.click();
  await expect(page.getByLabel('Passwort *', { exact: true })).toHaveAttribute('type', 'text');
});
