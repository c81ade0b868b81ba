import { Page } from '@playwright/test';
import { test, expect, holdAppBundle, hydrated, expectAccessible } from './fixtures';
import { linkIn, uniqueEmail, waitForMail } from './mail';
import { confirmWithTotp, enrolTotp, fillRegistration, signIn, signOut } from './journeys';

/** The seven criteria in the flyer's order, by their visible text. */
const CRITERIA = [
  '12 bis 128 Zeichen lang',
  'Mindestens ein Großbuchstabe (A - Z)',
  'Mindestens ein Kleinbuchstabe (a - z)',
  'Mindestens eine Ziffer (0 - 9)',
  'Mindestens eines der folgenden Sonderzeichen',
  'Keine unerlaubten Zeichen',
  'Richtige Passwortwiederholung',
];

function criterion(page: Page, text: string) {
  return page.getByRole('listitem').filter({ hasText: text });
}

async function expectMet(page: Page, met: boolean[]) {
  for (let i = 0; i < CRITERIA.length; i++) {
    const item = criterion(page, CRITERIA[i]);
    await expect(item, CRITERIA[i]).toHaveAttribute('data-met', String(met[i]));
    // Icon and text, not colour alone.
    await expect(item).toContainText(met[i] ? '(erfüllt)' : '(noch nicht erfüllt)');
    await expect(item.locator('.criteria__icon')).toHaveText(met[i] ? '✓' : '✗');
  }
}

test.describe('registration', () => {
  test('the checklist ticks live on every keystroke', async ({ page }) => {
    await page.goto('/registrieren');
    await hydrated(page);
    const password = page.getByLabel('Passwort *', { exact: true });
    await expectMet(page, [false, false, false, false, false, false, false]);
    await password.pressSequentially('A');
    await expectMet(page, [false, true, false, false, false, true, false]);
    await password.pressSequentially('b');
    await expectMet(page, [false, true, true, false, false, true, false]);
    await password.pressSequentially('cdefghijk');
    await expectMet(page, [false, true, true, false, false, true, false]);
    await password.pressSequentially('1');
    await expectMet(page, [true, true, true, true, false, true, false]);
    await password.pressSequentially('!');
    await expectMet(page, [true, true, true, true, true, true, false]);
    await page.getByLabel('Passwort wiederholen *').fill('Abcdefghijk1!');
    await expectMet(page, [true, true, true, true, true, true, true]);
    await password.pressSequentially('ä');
    await expectMet(page, [true, true, true, true, true, false, false]);
    // One polite summary once typing pauses, not an announcement per key.
    const live = page.locator('p[aria-live="polite"][aria-atomic="true"]');
    await expect(live).toHaveText('5 von 7 Kriterien erfüllt.', { timeout: 5_000 });
    // The password list is the field's description.
    await expect(password).toHaveAttribute('aria-describedby', /kriterien/);
  });

  test('show password, paste allowed', async ({ page }) => {
    await page.goto('/registrieren');
    await hydrated(page);
    const password = page.getByLabel('Passwort *', { exact: true });
    await expect(password).toHaveAttribute('type', 'password');
    await page.getByRole('button', { name: 'Passwort anzeigen' }).click();
    await expect(password).toHaveAttribute('type', 'text');
    await expect(page.getByRole('button', { name: 'Passwort verbergen' })).toHaveAttribute('aria-pressed', 'true');
    await password.focus();
    await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement;
      const data = new DataTransfer();
      data.setData('text/plain', 'Eingefügt#2026x');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await password.fill('Eingefügt#2026x');
    await expect(password).toHaveValue('Eingefügt#2026x');
  });

  test('errors: summary with links, message at each field, input kept but never the password', async ({ page }) => {
    await page.goto('/registrieren');
    await hydrated(page);
    await page.getByLabel('E-Mail-Adresse *').fill('erika@example.org');
    await page.getByLabel('Passwort *', { exact: true }).fill('zu-kurz');
    await page.getByRole('button', { name: 'Registrieren' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie Ihre Eingaben' });
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link', { name: /Das Passwort erfüllt noch nicht alle Kriterien/ })).toHaveAttribute('href', '#password');
    await expect(summary.getByRole('link', { name: /Bitte akzeptieren Sie die Nutzungsbedingungen/ })).toHaveAttribute('href', '#accept_terms');
    await expect(summary.getByRole('link', { name: /Bitte willigen Sie in die Nutzung/ })).toBeVisible();
    const password = page.getByLabel('Passwort *', { exact: true });
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAccessibleDescription(/Das Passwort erfüllt noch nicht alle Kriterien/);
    await expect(password).toHaveValue('');
    await expect(page.getByLabel('E-Mail-Adresse *')).toHaveValue('erika@example.org');
    await expectAccessible(page);
  });

  test('register, confirm by e-mail, sign in, set up the second factor, see the account, sign out', async ({ page, request }) => {
    const email = uniqueEmail('erika');
    await page.goto('/registrieren');
    await hydrated(page);
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
    await fillRegistration(page, email);
    await page.getByRole('button', { name: 'Registrieren' }).click();
    await expect(page.getByRole('status')).toContainText('Registrierung erfolgreich');
    await expect(page.getByRole('status')).toContainText(email);
    // No full page load with JavaScript.
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    await expectAccessible(page);

    const mail = await waitForMail(request, email);
    expect(mail.subject).toBe('Bitte bestätigen Sie Ihre E-Mail-Adresse');
    await page.goto(linkIn(mail, '/registrieren/bestaetigen'));
    await expect(page.getByRole('heading', { name: 'E-Mail-Adresse bestätigt' })).toBeVisible();
    await expectAccessible(page);

    await signIn(page, email);
    // The second factor is mandatory: the first sign-in leads to its set-up.
    const { secret } = await enrolTotp(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mein Konto');
    await expect(page.getByRole('main')).toContainText(email);
    await expectAccessible(page);
    await signOut(page);
    await page.goto('/konto');
    await expect(page).toHaveURL(/\/anmelden\?next=\/konto$/);
    // Signing in again asks for the code from the app.
    await signIn(page, email);
    await confirmWithTotp(page, secret);
    await expect(page).toHaveURL(/\/konto$/);
  });

  test('the same journey without JavaScript', async ({ browser, request }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const email = uniqueEmail('ohne-js');
    await page.goto('/registrieren');
    await page.getByRole('button', { name: 'Registrieren' }).click();
    await expect(page.getByText('Bitte prüfen Sie Ihre Eingaben')).toBeVisible();
    await fillRegistration(page, email);
    await page.getByRole('button', { name: 'Registrieren' }).click();
    await expect(page.getByText('Registrierung erfolgreich')).toBeVisible();
    const mail = await waitForMail(request, email);
    await page.goto(linkIn(mail, '/registrieren/bestaetigen'));
    // Without JavaScript the person presses the button (opening the link spends nothing).
    await page.getByRole('button', { name: 'E-Mail-Adresse bestätigen' }).click();
    await expect(page.getByText('E-Mail-Adresse bestätigt')).toBeVisible();
    await signIn(page, email);
    const { secret } = await enrolTotp(page);
    await expect(page.getByRole('main')).toContainText(email);
    await signOut(page);
    await signIn(page, email);
    await confirmWithTotp(page, secret);
    await expect(page).toHaveURL(/\/konto$/);
    await context.close();
  });

  test('a used or altered link explains itself and offers a new link', async ({ page, request }) => {
    const email = uniqueEmail('twice');
    await page.goto('/registrieren');
    await hydrated(page);
    await fillRegistration(page, email);
    await page.getByRole('button', { name: 'Registrieren' }).click();
    const link = linkIn(await waitForMail(request, email), '/registrieren/bestaetigen');
    await page.goto(link);
    await expect(page.getByText('E-Mail-Adresse bestätigt')).toBeVisible();
    await page.goto(link);
    await expect(page.getByText('Dieser Link wurde bereits verwendet.')).toBeVisible();
    await page.goto(link.slice(0, -3) + 'xyz');
    await expect(page.getByText('Dieser Link ist ungültig.')).toBeVisible();
    await page.getByRole('link', { name: 'Neuen Link anfordern' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neuen Bestätigungslink anfordern');
    await expectAccessible(page);
  });
});

test.describe('sign-in', () => {
  test('shows the flyer wording and what to do when access is lost', async ({ page }) => {
    await page.goto('/anmelden');
    await expect(page.getByText('Melden Sie sich bitte mit Ihren Zugangsdaten an:')).toBeVisible();
    await expect(page.getByLabel('Benutzername / E-Mail-Adresse')).toBeVisible();
    await expect(page.getByLabel('Passwort', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Mit Passkey anmelden' })).toBeVisible();
    await expect(page.getByText('oder', { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: '← Zurück' })).toHaveAttribute('href', '/');
    await expect(page.getByText('Noch kein Konto?')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Jetzt registrieren' })).toHaveAttribute('href', '/registrieren');
    await expect(page.getByText(/wenden Sie sich mit Ihrem Ausweis an Ihr Jobcenter/)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Zugangsdaten vergessen?' })).toBeVisible();
    await expectAccessible(page);
  });

  test('what is typed before the page becomes interactive is kept', async ({ page }) => {
    // Held back until the user has typed, as on a slow connection.
    const release = await holdAppBundle(page);
    await page.goto('/anmelden', { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Benutzername / E-Mail-Adresse').fill('frueh@example.org');
    await page.getByLabel('Passwort', { exact: true }).fill('Getippt#vorher1');
    release();
    await hydrated(page);
    await expect(page.getByLabel('Benutzername / E-Mail-Adresse')).toHaveValue('frueh@example.org');
    await expect(page.getByLabel('Passwort', { exact: true })).toHaveValue('Getippt#vorher1');
  });

  test('wrong credentials and unconfirmed addresses', async ({ page, request }) => {
    await signIn(page, 'niemand@example.org', 'Falsch#Passwort1');
    await expect(page.getByRole('alert')).toContainText('Die E-Mail-Adresse oder das Passwort ist nicht richtig.');
    await expect(page.getByLabel('Passwort', { exact: true })).toHaveValue('');
    await expect(page.getByLabel('Benutzername / E-Mail-Adresse')).toHaveValue('niemand@example.org');

    const email = uniqueEmail('unbestaetigt');
    await page.goto('/registrieren');
    await hydrated(page);
    await fillRegistration(page, email);
    await page.getByRole('button', { name: 'Registrieren' }).click();
    await expect(page.getByRole('status')).toContainText('Registrierung erfolgreich');
    await signIn(page, email);
    await expect(page.getByText('Ihre E-Mail-Adresse ist noch nicht bestätigt.')).toBeVisible();
    await page.getByRole('link', { name: 'Neuen Bestätigungslink anfordern' }).click();
    await expect(page.getByLabel('E-Mail-Adresse *')).toHaveValue(email);
    await page.getByRole('button', { name: 'Link senden' }).click();
    await expect(page.getByRole('status')).toContainText('neuen Bestätigungslink');
    await waitForMail(request, email, 2);
  });
});

test('password reset by e-mail', async ({ page, request }) => {
  const email = uniqueEmail('vergesslich');
  await page.goto('/registrieren');
  await hydrated(page);
  await fillRegistration(page, email);
  await page.getByRole('button', { name: 'Registrieren' }).click();
  await page.goto(linkIn(await waitForMail(request, email), '/registrieren/bestaetigen'));
  await expect(page.getByRole('heading', { name: 'E-Mail-Adresse bestätigt' })).toBeVisible();

  await page.goto('/anmelden');
  await page.getByRole('link', { name: 'Zugangsdaten vergessen?' }).click();
  await page.getByLabel('E-Mail-Adresse *').fill(email);
  await page.getByRole('button', { name: 'Link senden' }).click();
  await expect(page.getByRole('status')).toContainText('Wenn zu dieser E-Mail-Adresse ein Konto gehört');
  const mail = await waitForMail(request, email, 2);
  expect(mail.subject).toBe('Neues Passwort festlegen');
  await page.goto(linkIn(mail, '/passwort-vergessen/neu'));
  await hydrated(page);
  await page.getByLabel('Neues Passwort *').fill('Neu#Sicher2026x');
  await page.getByLabel('Passwort wiederholen *').fill('Neu#Sicher2026x');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Ihr neues Passwort ist gespeichert.');
  await signIn(page, email, 'Neu#Sicher2026x');
  await expect(page).toHaveURL(/\/mfa\/einrichten$/);
  const notice = await waitForMail(request, email, 3);
  expect(notice.subject).toBe('Ihr Passwort wurde geändert');
});
