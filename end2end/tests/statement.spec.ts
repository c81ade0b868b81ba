import { expect, expectAccessible, hydrated, test } from './fixtures';
import { signedInStaff } from './desk';
import { uniqueEmail } from './mail';

// The accessibility statement with its feedback form, the page in Leichte Sprache and
// the help pages the flyer's QR codes lead to.

test('the accessibility statement follows the BITV model and its feedback reaches staff', async ({ page, browser }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Barrierefreiheit' }).click();
  await expect(page).toHaveURL(/\/barrierefreiheit$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Erklärung zur Barrierefreiheit');
  for (const heading of [
    'Stand der Vereinbarkeit mit den Anforderungen',
    'Nicht barrierefreie Inhalte',
    'Erstellung dieser Erklärung',
    'Feedback und Kontaktangaben',
    'Durchsetzungsverfahren (Schlichtungsverfahren)',
  ]) {
    await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
  }
  await expect(page.getByText('Schlichtungsstelle nach dem Behindertengleichstellungsgesetz bei')).toBeVisible();
  await expectAccessible(page);

  // An empty message: the error summary takes focus and names the field.
  await hydrated(page);
  await page.getByRole('button', { name: 'Rückmeldung senden' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie Ihre Eingaben' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Bitte beschreiben Sie das Problem.' })).toBeVisible();
  await expect(page.getByLabel('Ihre Nachricht *')).toHaveAttribute('aria-invalid', 'true');

  const message = `Im Postfach fehlt eine Überschrift (${Date.now()}).`;
  await page.getByLabel('Ihre Nachricht *').fill(message);
  await page.getByLabel('Betroffene Seite (optional)').fill('/postfach');
  await page.getByLabel('E-Mail-Adresse für eine Antwort (optional)').fill('erika@example.org');
  await page.getByRole('button', { name: 'Rückmeldung senden' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Vielen Dank. Ihre Rückmeldung ist eingegangen.' })).toBeVisible();

  // Staff read it and mark it as dealt with.
  const context = await browser.newContext();
  const staff = await context.newPage();
  await signedInStaff(staff, uniqueEmail('staff-feedback'));
  await staff.getByRole('link', { name: 'Rückmeldungen zur Barrierefreiheit' }).click();
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText('Rückmeldungen zur Barrierefreiheit');
  const entry = staff.getByTestId('feedback-entry').filter({ hasText: message });
  await expect(entry).toContainText('Seite: /postfach');
  await expect(entry.getByRole('link', { name: /erika@example\.org/ })).toHaveAttribute('href', 'mailto:erika@example.org');
  await expectAccessible(staff);
  await hydrated(staff);
  await entry.getByRole('button', { name: /Als erledigt markieren/ }).click();
  await expect(entry).toContainText('Erledigt am');
  await context.close();
});

test('feedback can be sent without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/barrierefreiheit');
  await page.getByLabel('Ihre Nachricht *').fill('Ohne JavaScript: die Tabelle ist schwer zu lesen.');
  await page.getByLabel('E-Mail-Adresse für eine Antwort (optional)').fill('keine-adresse');
  await page.getByRole('button', { name: 'Rückmeldung senden' }).click();
  await expect(page.getByText('Bitte geben Sie eine gültige E-Mail-Adresse an oder lassen Sie das Feld leer.').first()).toBeVisible();
  await expect(page.getByLabel('Ihre Nachricht *')).toHaveValue('Ohne JavaScript: die Tabelle ist schwer zu lesen.');
  await page.getByLabel('E-Mail-Adresse für eine Antwort (optional)').fill('');
  await page.getByRole('button', { name: 'Rückmeldung senden' }).click();
  await expect(page.getByText('Vielen Dank. Ihre Rückmeldung ist eingegangen.')).toBeVisible();
  await context.close();
});

test('the statement, Leichte Sprache and help exist in English too', async ({ page }) => {
  await page.goto('/sprache?lang=en&zurueck=/barrierefreiheit');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accessibility statement');
  await expect(page.getByRole('button', { name: 'Send feedback' })).toBeVisible();
  await page.goto('/leichte-sprache');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Easy Read');
  await page.goto('/hilfe/freischaltcode');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help: activation code');
  await page.goto('/sprache?lang=de&zurueck=/');
});

test('Leichte Sprache explains the portal in short sentences', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Leichte Sprache' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Leichte Sprache');
  for (const heading of ['Was ist das Portal?', 'Was brauchen Sie?', 'Wie geht das?', 'Wo bekommen Sie Hilfe?']) {
    await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
  }
  await expect(page.getByText('Den Freischalt-Code bekommen Sie vom Jobcenter in einem Brief.')).toBeVisible();
  await expectAccessible(page);
});

test('help: every guide is reachable from the footer, the activation code help from the code entry', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Hilfe' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hilfe');
  const topics = [
    ['Hilfe: Anmelden mit Passkey', '/hilfe/passkey'],
    ['Hilfe: Anmelden mit Authenticator-App (TOTP)', '/hilfe/totp'],
    ['Hilfe: Wiederherstellungscodes', '/hilfe/wiederherstellungscodes'],
    ['Hilfe: Freischaltcode', '/hilfe/freischaltcode'],
    ['Hilfe: Jobcenter-App', '/hilfe/app'],
  ];
  for (const [name, href] of topics) {
    await expect(page.getByRole('link', { name, exact: true })).toHaveAttribute('href', href);
  }
  await page.getByRole('link', { name: 'Hilfe: Freischaltcode', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hilfe: Freischaltcode');
  await expect(page.getByText('zum Beispiel: HET2-2X8A-UXAS')).toBeVisible();
  await expectAccessible(page);
  await page.goto('/hilfe/app');
  await expect(page.getByRole('heading', { level: 2, name: 'Ihr Jobcenter auf dem Handy' })).toBeVisible();
  await expect(page.getByText('Zum Home-Bildschirm', { exact: false })).toBeVisible();
});
