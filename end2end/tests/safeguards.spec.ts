import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect, holdAppBundle, hydrated, expectAccessible } from './fixtures';
import { linkIn, uniqueEmail, waitForMail, waitForSubject } from './mail';
import { awayFromStepEnd, confirmWithTotp, enrolTotp, fillRegistration, PASSWORD, registerConfirmed, signIn, signOut, totpCode } from './journeys';

const root = path.resolve(__dirname, '..', '..');
const database = path.join(process.env.E2E_DATA_DIR ?? path.join(root, 'target', 'e2e-data'), 'portal.db');

/** Makes the account's last proof of identity eleven minutes old (test database). */
function ageProofOfIdentity(email: string): void {
  execFileSync('sqlite3', [
    database,
    '.timeout 5000',
    `UPDATE sessions SET verified_at = verified_at - 660 WHERE account_id = (SELECT id FROM accounts WHERE email = '${email.replace(/'/g, "''")}');`,
  ]);
}

test('a half-finished sign-in can be ended on a shared computer', async ({ page, request }) => {
  const email = uniqueEmail('geteilt');
  await registerConfirmed(page, request, email);
  // Stopped at "Multifaktor-Authentifizierung einrichten": "Abmelden" is there.
  await signIn(page, email);
  await expect(page).toHaveURL(/\/mfa\/einrichten$/);
  await expectAccessible(page);
  await signOut(page);
  await page.goto('/mfa/einrichten');
  await expect(page).toHaveURL(/\/anmelden/);
  // Stopped at the second step: the same.
  await signIn(page, email);
  const { secret } = await enrolTotp(page);
  await signOut(page);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/anmelden\/zweiter-faktor/);
  await signOut(page);
  await page.goto('/konto');
  await expect(page).toHaveURL(/\/anmelden\?next=\/konto$/);
  // The next person cannot continue with the code step.
  await page.goto('/anmelden/zweiter-faktor');
  await expect(page).toHaveURL(/\/anmelden/);
  await signIn(page, email);
  await awayFromStepEnd(page);
  await confirmWithTotp(page, secret);
  await expect(page).toHaveURL(/\/konto$/);
});

test('opening a confirmation link in a mail scanner does not use it up', async ({ page, request, browser }) => {
  const email = uniqueEmail('scanner');
  await page.goto('/registrieren');
  await hydrated(page);
  await fillRegistration(page, email);
  await page.getByRole('button', { name: 'Registrieren' }).click();
  await expect(page.getByRole('status')).toContainText('Registrierung erfolgreich');
  const link = linkIn(await waitForMail(request, email), '/registrieren/bestaetigen');
  // The scanner fetches the link (no JavaScript) before the person clicks it.
  const scanned = await request.get(link);
  expect(scanned.status()).toBe(200);
  expect(await scanned.text()).toContain('E-Mail-Adresse bestätigen');
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const scanner = await noScript.newPage();
  await scanner.goto(link);
  await expect(scanner.getByRole('button', { name: 'E-Mail-Adresse bestätigen' })).toBeVisible();
  await noScript.close();
  // Until the app has loaded, the page shows the button (and it is accessible).
  const release = await holdAppBundle(page);
  await page.goto(link);
  await expect(page.getByRole('button', { name: 'E-Mail-Adresse bestätigen' })).toBeVisible();
  await expectAccessible(page);
  // Then the page confirms by itself: the flyer's success message.
  release();
  await expect(page.getByRole('heading', { name: 'E-Mail-Adresse bestätigt' })).toBeVisible();
  await expectAccessible(page);
  await page.goto(link);
  await expect(page.getByText('Dieser Link wurde bereits verwendet.')).toBeVisible();
});

test('changing the e-mail address asks for a fresh proof of identity', async ({ page, request }) => {
  const email = uniqueEmail('frisch');
  const newEmail = uniqueEmail('frisch-neu');
  await registerConfirmed(page, request, email);
  await signIn(page, email);
  const { secret } = await enrolTotp(page);
  ageProofOfIdentity(email);
  await page.goto('/konto/e-mail');
  await hydrated(page);
  const proof = page.getByRole('region', { name: 'Identität bestätigen' });
  await expect(proof).toBeVisible();
  await expectAccessible(page);
  await awayFromStepEnd(page);
  await proof.getByLabel('Sechsstelliger Code *').fill(totpCode(secret, 0));
  await proof.getByRole('button', { name: 'Bestätigen', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Identität bestätigt' })).toBeVisible();
  await page.getByLabel('Neue E-Mail-Adresse *').fill(newEmail);
  await page.getByLabel('Aktuelles Passwort *').fill(PASSWORD);
  await page.getByRole('button', { name: 'Bestätigungslink senden' }).click();
  await expect(page.getByRole('status').filter({ hasText: newEmail })).toBeVisible();
  await waitForSubject(request, email, 'Änderung Ihrer E-Mail-Adresse angefordert');
});

test('a password reset voids a pending change of the e-mail address', async ({ page, request }) => {
  const email = uniqueEmail('zurueck');
  const newEmail = uniqueEmail('zurueck-neu');
  await registerConfirmed(page, request, email);
  await signIn(page, email);
  await enrolTotp(page);
  await page.goto('/konto/e-mail');
  await hydrated(page);
  await page.getByLabel('Neue E-Mail-Adresse *').fill(newEmail);
  await page.getByLabel('Aktuelles Passwort *').fill(PASSWORD);
  await page.getByRole('button', { name: 'Bestätigungslink senden' }).click();
  const change = linkIn(await waitForMail(request, newEmail), '/e-mail-aendern/bestaetigen');
  await signOut(page);
  // The owner resets the password with "Zugangsdaten vergessen?".
  await page.goto('/passwort-vergessen');
  await page.getByLabel('E-Mail-Adresse *').fill(email);
  await page.getByRole('button', { name: 'Link senden' }).click();
  const reset = linkIn(await waitForSubject(request, email, 'Neues Passwort festlegen'), '/passwort-vergessen/neu');
  await page.goto(reset);
  await hydrated(page);
  await page.getByLabel('Neues Passwort *').fill('Neu#Passwort2026');
  await page.getByLabel('Passwort wiederholen *').fill('Neu#Passwort2026');
  await page.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Ihr neues Passwort ist gespeichert.');
  // The old change link no longer moves the account.
  await page.goto(change);
  await expect(page.getByText('Dieser Link gilt nicht mehr')).toBeVisible();
  await expectAccessible(page);
});
