import { BrowserContext, Page } from '@playwright/test';
import { test, expect, hydrated, expectAccessible, expectKeyboardReachable } from './fixtures';
import { SINK, uniqueEmail } from './mail';
import { awayFromStepEnd, confirmWithCode, confirmWithTotp, enrolTotp, registerConfirmed, signIn, signOut, totpCode, virtualAuthenticator } from './journeys';


/** Creates a passkey on the set-up page (already open) under `name`. */
async function createPasskey(page: Page, name: string) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Passkey einrichten');
  await hydrated(page);
  await page.getByLabel('Name des Passkeys').fill(name);
  await page.getByRole('button', { name: 'Passkey erstellen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ihre Multifaktor-Authentifizierung ist eingerichtet.' })).toBeVisible();
}

test.describe('enrolment', () => {
  test('without a second factor only the set-up pages open; the choice explains both methods with QR codes', async ({ page, request }) => {
    const email = uniqueEmail('mfa-pflicht');
    await registerConfirmed(page, request, email);
    await signIn(page, email);
    await expect(page).toHaveURL(/\/mfa\/einrichten$/);
    for (const path of ['/konto', '/konto/sicherheit', '/konto/datenschutz', '/anmelden/zweiter-faktor']) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/mfa\/einrichten$/);
    }
    // Server functions refuse as well.
    const refused = await page.request.post('/api/auth/current-account');
    expect([200, 403]).toContain(refused.status());
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Multifaktor-Authentifizierung einrichten');
    await expect(page.getByText('zwingend erforderlich')).toBeVisible();
    for (const [method, help] of [
      ['Passkey', '/hilfe/passkey'],
      ['TOTP (Authenticator-App)', '/hilfe/totp'],
    ]) {
      const card = page.getByRole('region', { name: method });
      await expect(card.getByRole('img', { name: /QR-Code/ })).toBeVisible();
      await expect(card.getByRole('link', { name: new RegExp(`${help}$`) })).toBeVisible();
    }
    await expectAccessible(page);
    await expectKeyboardReachable(page);
    // Legal and help pages stay open.
    await page.goto('/hilfe/totp');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hilfe: Anmelden mit Authenticator-App (TOTP)');
  });

  test('TOTP: set up with the keyboard, sign in with the code, a replayed code and a used recovery code are refused', async ({ page, request }) => {
    const email = uniqueEmail('totp');
    await registerConfirmed(page, request, email);
    await signIn(page, email);
    await page.getByRole('link', { name: 'Authenticator-App einrichten' }).click();
    await hydrated(page);
    await expect(page.getByRole('img', { name: /QR-Code/ })).toBeVisible();
    await expect(page.getByText('Oder geben Sie den Schlüssel von Hand ein:')).toBeVisible();
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    // 160 bits = 32 base32 characters, shown in groups of four.
    expect(secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    await expectAccessible(page);
    await expectKeyboardReachable(page);
    // A wrong code keeps the set-up open.
    const field = page.getByLabel('Bestätigungscode *');
    await field.focus();
    await page.keyboard.type('000000');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').first()).toContainText('Der Code ist nicht richtig oder abgelaufen.');
    await field.fill('');
    await field.focus();
    await awayFromStepEnd(page);
    await page.keyboard.type(totpCode(secret, -1));
    await page.keyboard.press('Enter');
    const codes = page.getByTestId('recovery-codes').getByRole('listitem');
    await expect(codes).toHaveCount(10);
    const recovery = (await codes.allInnerTexts()).map((c) => c.trim());
    expect(new Set(recovery).size).toBe(10);
    const download = page.getByRole('link', { name: 'Codes als Textdatei herunterladen' });
    await expect(download).toHaveAttribute('download', 'wiederherstellungscodes.txt');
    expect(decodeURIComponent((await download.getAttribute('href')) ?? '').replace(/\+/g, ' ')).toContain(recovery[0]);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Ich habe die Codes gespeichert – weiter' }).click();
    await expect(page).toHaveURL(/\/konto$/);
    await signOut(page);

    // Sign in with the current code.
    await signIn(page, email);
    await expect(page).toHaveURL(/\/anmelden\/zweiter-faktor/);
    await expectAccessible(page);
    const used = await confirmWithTotp(page, secret, 0);
    await expect(page).toHaveURL(/\/konto$/);
    await signOut(page);

    // The same code again is refused.
    await signIn(page, email);
    await confirmWithCode(page, used);
    await expect(page.getByRole('alert').first()).toContainText('Der Code ist nicht richtig oder wurde bereits verwendet.');
    await expect(page).toHaveURL(/\/anmelden\/zweiter-faktor/);

    // A recovery code works once.
    const section = page.getByRole('region', { name: 'Wiederherstellungscode verwenden' });
    await section.getByLabel('Wiederherstellungscode *').fill(recovery[3]);
    await section.getByRole('button', { name: 'Code einlösen' }).click();
    await expect(page.getByRole('status')).toContainText('Es sind noch 9 Codes übrig.');
    await page.getByRole('link', { name: 'Weiter' }).click();
    await expect(page).toHaveURL(/\/konto$/);
    await signOut(page);
    await signIn(page, email);
    await section.getByLabel('Wiederherstellungscode *').fill(recovery[3]);
    await section.getByRole('button', { name: 'Code einlösen' }).click();
    await expect(page.getByRole('alert').first()).toContainText('Der Code ist nicht richtig oder wurde bereits verwendet.');
  });

  test('passkey: set up, then sign in without e-mail address or password', async ({ page, request }) => {
    await virtualAuthenticator(page);
    const email = uniqueEmail('passkey');
    await registerConfirmed(page, request, email);
    await signIn(page, email);
    await page.getByRole('link', { name: 'Passkey einrichten' }).click();
    await expectAccessible(page);
    await createPasskey(page, 'Laptop');
    await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
    await page.getByRole('link', { name: 'Ich habe die Codes gespeichert – weiter' }).click();
    await expect(page).toHaveURL(/\/konto$/);
    await signOut(page);

    await page.goto('/anmelden');
    await hydrated(page);
    await page.getByRole('button', { name: 'Mit Passkey anmelden' }).click();
    await expect(page).toHaveURL(/\/konto$/);
    await expect(page.getByRole('main')).toContainText(email);
    await signOut(page);

    // After a password the passkey is the second step.
    await signIn(page, email);
    await expect(page).toHaveURL(/\/anmelden\/zweiter-faktor/);
    await hydrated(page);
    await page.getByRole('button', { name: 'Passkey verwenden' }).click();
    await expect(page).toHaveURL(/\/konto$/);
  });

  test('passkey autofill: the stored passkey is offered in the e-mail field and signs in', async ({ page, request }) => {
    // The portal offers autofill to people, not to automated browsers (whose virtual
    // authenticators would answer at once); this test poses as a person.
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false }));
    await virtualAuthenticator(page);
    const email = uniqueEmail('autofill');
    await registerConfirmed(page, request, email);
    await signIn(page, email);
    await page.getByRole('link', { name: 'Passkey einrichten' }).click();
    await createPasskey(page, 'Telefon');
    await page.getByRole('link', { name: 'Ich habe die Codes gespeichert – weiter' }).click();
    await signOut(page);
    // Opening the sign-in page starts the autofill request, which the virtual
    // authenticator answers as if the user picked the passkey.
    await page.goto('/anmelden');
    await expect(page).toHaveURL(/\/konto$/);
    await expect(page.getByRole('main')).toContainText(email);
  });

  test('without JavaScript "Mit Passkey anmelden" explains what is needed', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/anmelden');
    await page.getByRole('button', { name: 'Mit Passkey anmelden' }).click();
    await expect(page).toHaveURL(/\/anmelden\/passkey/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mit Passkey anmelden');
    await expect(page.getByText('Für die Anmeldung mit Passkey wird JavaScript benötigt.')).toBeVisible();
    await page.getByRole('link', { name: 'Mit E-Mail-Adresse und Passwort anmelden' }).click();
    await expect(page).toHaveURL(/\/anmelden$/);
    await context.close();
  });

  test('a cancelled passkey dialog says so', async ({ page, request }) => {
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    // A user who does not confirm: the authenticator refuses verification.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    const email = uniqueEmail('abbruch');
    await registerConfirmed(page, request, email);
    await signIn(page, email);
    await page.getByRole('link', { name: 'Passkey einrichten' }).click();
    await hydrated(page);
    await page.getByRole('button', { name: 'Passkey erstellen' }).click();
    await expect(page.getByRole('alert').filter({ hasText: /abgebrochen|nicht verwendet/ })).toBeVisible({ timeout: 30_000 });
    await expect(page).toHaveURL(/\/mfa\/einrichten\/passkey$/);
  });
});

test.describe('security page', () => {
  async function secondDevice(context: BrowserContext, email: string, secret: string) {
    const page = await context.newPage();
    await signIn(page, email);
    await confirmWithTotp(page, secret, 0);
    await expect(page).toHaveURL(/\/konto$/);
    return page;
  }

  test('add a second passkey, rename and remove one, keep the last factor, sign out other devices', async ({ page, request, browser }) => {
    const first = await virtualAuthenticator(page);
    const email = uniqueEmail('sicherheit');
    await registerConfirmed(page, request, email);
    await signIn(page, email);
    await page.getByRole('link', { name: 'Passkey einrichten' }).click();
    await createPasskey(page, 'Arbeitslaptop');
    await page.getByRole('link', { name: 'Ich habe die Codes gespeichert – weiter' }).click();
    await expect(page).toHaveURL(/\/konto$/);

    await page.getByRole('link', { name: 'Sicherheit' }).first().click();
    await expect(page).toHaveURL(/\/konto\/sicherheit$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sicherheit');
    await expect(page.getByText('Noch 10 unbenutzte Codes.')).toBeVisible();
    await hydrated(page);
    await expectAccessible(page);
    await expectKeyboardReachable(page);

    // The only factor cannot be removed.
    await page.getByRole('button', { name: 'Passkey Arbeitslaptop entfernen' }).click();
    await expect(page.getByText('Das ist Ihr letzter zweiter Faktor.')).toBeVisible();

    // A second passkey on another device (a second authenticator).
    await first.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first.authenticatorId });
    const second = await virtualAuthenticator(page);
    await page.getByRole('link', { name: 'Passkey hinzufügen' }).click();
    await createPasskey(page, 'Telefon');
    const stored = await second.cdp.send('WebAuthn.getCredentials', { authenticatorId: second.authenticatorId });
    expect(stored.credentials).toHaveLength(1);
    expect(stored.credentials[0].isResidentCredential).toBe(true);
    await page.goto('/konto/sicherheit');
    const passkeys = page.getByRole('region', { name: 'Passkeys' });
    await expect(passkeys.getByRole('listitem')).toHaveCount(2);

    // Rename one, remove the other.
    await passkeys.getByLabel('Neuer Name für Telefon').fill('Diensthandy');
    await passkeys.getByRole('button', { name: 'Umbenennen' }).last().click();
    await expect(passkeys).toContainText('Diensthandy');
    await passkeys.getByRole('button', { name: 'Passkey Arbeitslaptop entfernen' }).click();
    await expect(passkeys.getByRole('listitem')).toHaveCount(1);
    await expect(passkeys).not.toContainText('Arbeitslaptop');

    // An authenticator app as well, so a second device can sign in with a code.
    await page.getByRole('region', { name: 'Authenticator-App (TOTP)' }).getByRole('link', { name: 'Authenticator-App einrichten' }).click();
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    await awayFromStepEnd(page);
    await page.getByLabel('Bestätigungscode *').fill(totpCode(secret, -1));
    await page.getByRole('button', { name: 'Bestätigen', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Ihre Multifaktor-Authentifizierung ist eingerichtet.' })).toBeVisible();

    // Another device signs in; this one signs it out.
    const other = await browser.newContext();
    const otherPage = await secondDevice(other, email, secret);
    await page.goto('/konto/sicherheit');
    const sessions = page.getByRole('region', { name: 'Angemeldete Geräte' });
    await expect(sessions.getByRole('listitem')).toHaveCount(2);
    await sessions.getByRole('button', { name: 'Alle anderen Geräte abmelden' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Die Änderung wurde gespeichert.' })).toBeVisible();
    await otherPage.goto('/konto');
    await expect(otherPage).toHaveURL(/\/anmelden\?next=\/konto$/);
    await other.close();

    const events = page.getByRole('region', { name: 'Sicherheitsereignisse' });
    await page.goto('/konto/sicherheit');
    await expect(events.getByRole('row').nth(1)).toBeVisible();
    // Every change was confirmed by e-mail.
    await expect.poll(async () => (await request.get(`${SINK}/messages`)).json().then((all: { to: string[] }[]) => all.filter((m) => m.to.includes(email)).length)).toBeGreaterThanOrEqual(5);
  });
});
