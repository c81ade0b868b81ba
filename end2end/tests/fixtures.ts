import { test as base, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Problems the page reported: console errors, uncaught exceptions, CSP violations. */
type PageProblems = string[];

// Every test fails if the page logged an error, threw, or violated the CSP.
export const test = base.extend<{ problems: PageProblems }>({
  problems: [
    async ({ page }, use) => {
      const problems: PageProblems = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`exception: ${err.message}`));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
        });
      });
      await use(problems);
      expect(problems, 'console errors, exceptions or CSP violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the WASM bundle has hydrated the page (the app marks <body>). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/** Holds the app bundle (WASM) back, as on a slow connection, until the returned function is called. */
export async function holdAppBundle(page: Page): Promise<() => void> {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** Runs axe-core with the WCAG 2.1 A and AA rules and expects no violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, 'axe-core WCAG 2.1 A/AA violations').toEqual([]);
}

/**
 * Tabs through the whole page and expects every visible control in <main> to receive
 * the keyboard focus, in an order without traps, with a visible focus indicator.
 */
export async function expectKeyboardReachable(page: Page): Promise<void> {
  const controls = await page.evaluate(() => {
    const all = Array.from(
      document.querySelectorAll<HTMLElement>('main a[href], main button:not([disabled]), main input:not([type="hidden"]), main select, main textarea, main summary'),
    );
    all.forEach((el, i) => el.setAttribute('data-kbd', String(i)));
    return all.filter((el) => el.offsetParent !== null).map((el) => el.getAttribute('data-kbd'));
  });
  const reached = new Set<string>();
  await page.locator('body').focus();
  for (let i = 0; i < controls.length * 2 + 20; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return null;
      const style = getComputedStyle(el);
      const indicated = (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none';
      return { id: el.getAttribute('data-kbd'), indicated, html: el.outerHTML.slice(0, 80) };
    });
    if (focused?.id != null) {
      expect(focused.indicated, `focus indicator on ${focused.html}`).toBe(true);
      reached.add(focused.id);
    }
  }
  expect(controls.filter((c) => c !== null && !reached.has(c)), 'controls not reachable by Tab').toEqual([]);
}
