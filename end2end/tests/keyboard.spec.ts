import { Locator, Page } from '@playwright/test';
import { test, expect, hydrated } from './fixtures';
import { linkIn, uniqueEmail, waitForMail } from './mail';
import { awayFromStepEnd, enrolTotp, PASSWORD, registerConfirmed, signIn, totpCode } from './journeys';
import { citizenWithProfile, createClient, issueCode, signedInStaff } from './desk';

// The citizen's journeys with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing,
// never a click or fill. What only prepares a journey (staff issuing a code, an account
// that already exists) uses the usual helpers. Each control the journey reaches must show
// where the focus is.

/**
 * Presses Tab until `target` has the focus (at most `max` times); fails with the path the
 * focus took. Then expects a visible focus indicator on it.
 */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  await target.waitFor({ state: 'visible' });
  const path: string[] = [];
  for (let presses = 0; !(await target.evaluate((el) => el === document.activeElement)); presses++) {
    if (presses === max) {
      throw new Error(`Tab did not reach ${target} within ${max} presses; the focus went: ${path.join(' → ')}`);
    }
    await page.keyboard.press('Tab');
    path.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return 'body';
        const name = el.getAttribute('aria-label') ?? el.id ?? '';
        return `${el.tagName.toLowerCase()}${name ? `[${name}]` : ''} "${(el.innerText ?? '').trim().slice(0, 30)}"`;
      }),
    );
  }
  const indicated = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  });
  expect(indicated, `visible focus indicator on ${target}`).toBe(true);
}

/** Console errors and exceptions of a page outside the `page` fixture. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
  page.on('pageerror', (err) => problems.push(`exception: ${err.message}`));
  return problems;
}

test('registering by keyboard: fields, both consents and the button, then the link from the mail', async ({ page, request }) => {
  const email = uniqueEmail('tastatur-registrierung');
  await page.goto('/registrieren');
  await hydrated(page);

  const address = page.getByLabel('E-Mail-Adresse *');
  await tabTo(page, address);
  await page.keyboard.type(email);
  await tabTo(page, page.getByLabel('Passwort *', { exact: true }));
  await page.keyboard.type(PASSWORD);
  await tabTo(page, page.getByLabel('Passwort wiederholen *'));
  await page.keyboard.type(PASSWORD);
  // Shift+Tab goes back to the password, in the order the form reads.
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByLabel('Passwort *', { exact: true })).toBeFocused();
  // The live checklist follows the typing.
  await expect(page.locator('#kriterien li[data-met="false"]')).toHaveCount(0);

  const terms = page.getByLabel('Ich habe die Nutzungsbedingungen gelesen und akzeptiere sie.');
  await tabTo(page, terms);
  await page.keyboard.press('Space');
  await expect(terms).toBeChecked();
  const consent = page.getByLabel(/Ich willige ein, dass die E-Mail-Adresse/);
  await tabTo(page, consent);
  await page.keyboard.press('Space');
  await expect(consent).toBeChecked();
  // Space again takes it back, and once more gives it.
  await page.keyboard.press('Space');
  await expect(consent).not.toBeChecked();
  await page.keyboard.press('Space');
  await expect(consent).toBeChecked();
  await expect(address).toHaveValue(email);

  await tabTo(page, page.getByRole('button', { name: 'Registrieren' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Registrierung erfolgreich' })).toBeVisible();

  // Opening the mail and its link.
  await page.goto(linkIn(await waitForMail(request, email), '/registrieren/bestaetigen'));
  await expect(page.getByRole('heading', { name: 'E-Mail-Adresse bestätigt' })).toBeVisible();
  // On to the sign-in by keyboard.
  await hydrated(page);
  await tabTo(page, page.getByRole('main').getByRole('link', { name: 'Anmelden' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anmeldung');
});

test('signing in by keyboard: address, password, then the code from the authenticator app', async ({ browser, page, request }) => {
  // An account with an authenticator app (set up with the usual helpers).
  const email = uniqueEmail('tastatur-anmeldung');
  const setup = await browser.newContext();
  const setupPage = await setup.newPage();
  await registerConfirmed(setupPage, request, email);
  await signIn(setupPage, email);
  const { secret } = await enrolTotp(setupPage);
  await setup.close();

  await page.goto('/anmelden');
  await hydrated(page);
  await tabTo(page, page.getByLabel('Benutzername / E-Mail-Adresse'));
  await page.keyboard.type(email);
  await tabTo(page, page.getByLabel('Passwort', { exact: true }));
  await page.keyboard.type(PASSWORD);
  await tabTo(page, page.getByRole('button', { name: 'Anmelden', exact: true }));
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/anmelden\/zweiter-faktor/);
  await hydrated(page);
  const section = page.getByRole('region', { name: 'Code aus der Authenticator-App' });
  const code = section.getByLabel('Sechsstelliger Code *');
  await tabTo(page, code);
  await awayFromStepEnd(page);
  await page.keyboard.type(totpCode(secret, 0));
  await tabTo(page, section.getByRole('button', { name: 'Bestätigen', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mein Konto');
});

test('unlocking the profile by keyboard: from "Mein Konto" to the code entry, typed code formatted, Freischalten', async ({ browser, page, request }) => {
  // Staff issue a code; a citizen has an account with an authenticator app.
  await signedInStaff(page, uniqueEmail('staff-tastatur'));
  await createClient(page, `Tastatur${Date.now() % 100000}`, `KB${Date.now() % 1e9}${Math.floor(Math.random() * 90 + 10)}`);
  const { code } = await issueCode(page);
  const context = await browser.newContext();
  const citizen = await context.newPage();
  const problems = watch(citizen);
  const email = uniqueEmail('tastatur-freischalten');
  await registerConfirmed(citizen, request, email);
  await signIn(citizen, email);
  await enrolTotp(citizen);

  await citizen.goto('/konto');
  await hydrated(citizen);
  await tabTo(citizen, citizen.getByRole('link', { name: 'Neues Profil anlegen' }));
  await citizen.keyboard.press('Enter');
  await expect(citizen.getByText(/Sie hatten bereits Kontakt zur Agentur für Arbeit/)).toBeVisible();
  await tabTo(citizen, citizen.getByRole('link', { name: 'Eingeben' }));
  await citizen.keyboard.press('Enter');
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Freischaltcode eingeben');

  // Typed as it might come from the letter: lower case, without dashes.
  const field = citizen.getByLabel('Freischaltcode *');
  await tabTo(citizen, field);
  await citizen.keyboard.type(code.replace(/-/g, '').toLowerCase());
  await expect(field).toHaveValue(code);
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
  await tabTo(citizen, citizen.getByRole('button', { name: 'Freischalten' }));
  await citizen.keyboard.press('Enter');
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Freischaltung erfolgreich');

  await tabTo(citizen, citizen.getByRole('main').getByRole('link', { name: 'Profil bearbeiten' }));
  await citizen.keyboard.press('Enter');
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Profil bearbeiten');
  expect(problems).toEqual([]);
  await context.close();
});

test('Online-Kommunikation switched with Space stays on after a reload; a new document opened from the postbox with Tab and Enter', async ({ browser, page, request }) => {
  const { page: citizen, clientUrl } = await citizenWithProfile(browser, page, request, 'tastatur-postfach');
  const problems = watch(citizen);
  await hydrated(citizen);

  const online = citizen.getByRole('switch', { name: 'Online-Kommunikation' });
  await expect(online).toHaveAttribute('aria-checked', 'false');
  await tabTo(citizen, online);
  await citizen.keyboard.press('Space');
  await expect(online).toHaveAttribute('aria-checked', 'true');
  await expect(online).not.toHaveAttribute('aria-busy', 'true');
  // Saved: the history shows the change, a reload shows the switch on.
  await expect(citizen.getByRole('region', { name: 'Verlauf Ihrer Einstellungen' }).getByRole('row')).toHaveCount(2);
  await citizen.reload();
  await hydrated(citizen);
  await expect(online).toHaveAttribute('aria-checked', 'true');

  // Off and on again, each time by keyboard (Space, then Enter), each time saved.
  await tabTo(citizen, online);
  await citizen.keyboard.press('Space');
  await expect(online).toHaveAttribute('aria-checked', 'false');
  await expect(citizen.getByRole('region', { name: 'Verlauf Ihrer Einstellungen' }).getByRole('row')).toHaveCount(3);
  await citizen.keyboard.press('Enter');
  await expect(online).toHaveAttribute('aria-checked', 'true');
  await expect(citizen.getByRole('region', { name: 'Verlauf Ihrer Einstellungen' }).getByRole('row')).toHaveCount(4);
  await citizen.reload();
  await expect(online).toHaveAttribute('aria-checked', 'true');

  // Staff send a document (usual helpers), it lands in the postbox.
  const subject = `Bescheid ${Date.now() % 100000}`;
  await page.goto(clientUrl);
  await hydrated(page);
  await page.getByLabel('Art *').selectOption('bescheid');
  await page.getByLabel('Betreff *').fill(subject);
  await page.getByLabel('Text').fill('Bitte beachten Sie die Rechtsbehelfsbelehrung.');
  await page.getByLabel('PDF-Dokument').setInputFiles({
    name: 'Bescheid.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${subject}\n%%EOF\n`),
  });
  await page.getByRole('button', { name: 'Senden' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Gesendet: Die Kundin oder der Kunde findet es im Postfach' })).toBeVisible();

  // The citizen: Postfach, Tab to the new item, Enter opens it.
  await citizen.goto('/postfach');
  await hydrated(citizen);
  await expect(citizen.getByText('Ungelesen: 1')).toBeVisible();
  await tabTo(citizen, citizen.getByRole('main').getByRole('link', { name: subject }));
  await citizen.keyboard.press('Enter');
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText(subject);
  await expect(citizen.getByText('Gilt als bekannt gegeben am')).toBeVisible();
  // The document and the way back are reachable too.
  await tabTo(citizen, citizen.getByRole('link', { name: /Bescheid\.pdf herunterladen/ }));
  await tabTo(citizen, citizen.getByRole('link', { name: 'Zurück zum Postfach' }));
  await citizen.keyboard.press('Enter');
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Postfach');
  await expect(citizen.getByText('Ungelesen: 1')).toHaveCount(0);
  expect(problems).toEqual([]);
  await citizen.context().close();
});
