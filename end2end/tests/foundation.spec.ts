import { test, expect, hydrated, expectAccessible } from './fixtures';

// Every page that exists so far, by path and its German and English h1.
const pages = [
  { path: '/', de: 'Ihr Jobcenter online', en: 'Your job centre online' },
  { path: '/anmelden', de: 'Anmeldung', en: 'Sign in' },
  { path: '/registrieren', de: 'Registrierung', en: 'Registration' },
  { path: '/registrieren/bestaetigen?token=ungueltig', de: 'E-Mail-Adresse bestätigen', en: 'Confirm e-mail address' },
  { path: '/registrieren/link-anfordern', de: 'Neuen Bestätigungslink anfordern', en: 'Request a new confirmation link' },
  { path: '/passwort-vergessen', de: 'Zugangsdaten vergessen', en: 'Forgotten credentials' },
  { path: '/passwort-vergessen/neu?token=ungueltig', de: 'Neues Passwort festlegen', en: 'Set a new password' },
  { path: '/dev/mails', de: 'E-Mail-Vorschau (Entwicklung)', en: 'E-mail preview (development)' },
  { path: '/impressum', de: 'Impressum', en: 'Legal notice' },
  { path: '/datenschutz', de: 'Datenschutz', en: 'Data protection' },
  { path: '/barrierefreiheit', de: 'Erklärung zur Barrierefreiheit', en: 'Accessibility statement' },
  { path: '/leichte-sprache', de: 'Leichte Sprache', en: 'Easy Read' },
  { path: '/nutzungsbedingungen', de: 'Nutzungsbedingungen', en: 'Terms of use' },
  { path: '/hilfe/passkey', de: 'Hilfe: Anmelden mit Passkey', en: 'Help: signing in with a passkey' },
  { path: '/hilfe/totp', de: 'Hilfe: Anmelden mit Authenticator-App (TOTP)', en: 'Help: signing in with an authenticator app (TOTP)' },
  { path: '/hilfe/wiederherstellungscodes', de: 'Hilfe: Wiederherstellungscodes', en: 'Help: recovery codes' },
  { path: '/diese-seite-gibt-es-nicht', de: 'Seite nicht gefunden', en: 'Page not found' },
];

test.describe('start page', () => {
  test('explains the online services in German', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page).toHaveTitle('Ihr Jobcenter online – Jobcenter digital');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ihr Jobcenter online');
    await expect(page.getByText('Über jobcenter.digital können Sie Ihre Angelegenheiten')).toBeVisible();
    await expect(page.getByText(/ein digitales Konto und ein Profil/)).toBeVisible();
    const main = page.getByRole('main');
    await expect(main.getByRole('link', { name: 'Anmelden' })).toHaveAttribute('href', '/anmelden');
    await expect(main.getByRole('link', { name: 'Jetzt registrieren' })).toHaveAttribute('href', '/registrieren');
    await expect(main.getByText('Jobcenter Musterstadt')).toBeVisible();
    const footer = page.getByRole('contentinfo');
    for (const name of ['Impressum', 'Datenschutz', 'Barrierefreiheit', 'Leichte Sprache']) {
      await expect(footer.getByRole('link', { name, exact: true })).toBeVisible();
    }
  });

  test('switches to English and back without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto('/impressum');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Impressum');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL(/\/impressum$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Legal notice');
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Impressum');
    await context.close();
  });

  test('follows the browser language', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your job centre online');
    await context.close();
  });
});

test.describe('hydration', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the menu button opens and closes the navigation', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    const menu = page.getByRole('button', { name: 'Menü' });
    await expect(menu).toBeVisible();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    await expect(nav).toBeHidden();
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(nav.getByRole('link', { name: 'English' })).toBeVisible();
    await menu.click();
    await expect(nav).toBeHidden();
  });

  test('without JavaScript the navigation is simply open', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Menü' })).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'English' })).toBeVisible();
    await context.close();
  });
});

test.describe('every page', () => {
  for (const p of pages) {
    for (const lang of ['de', 'en'] as const) {
      test(`${p.path} in ${lang}: one h1, title, no axe violation, no console error`, async ({ browser }) => {
        const context = await browser.newContext({ locale: lang === 'de' ? 'de-DE' : 'en-US' });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && !m.text().includes('404') && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(p.path);
        await hydrated(page);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(p[lang]);
        await expect(page).toHaveTitle(`${p[lang]} – Jobcenter digital`);
        await expectAccessible(page);
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }
});

test('the skip link moves focus to the main content', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Zum Inhalt springen' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
});
