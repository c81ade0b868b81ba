import { Page } from '@playwright/test';
import { test, expect, hydrated, expectAccessible } from './fixtures';
import { linkIn, uniqueEmail, waitForMail } from './mail';
import { confirmWithTotp, enrolTotp, enrolTotpTo, fillRegistration, registerConfirmed, signIn } from './journeys';
import { createClient, expireCodes, issueCode, signedInStaff } from './desk';

function customerNumber(): string {
  return `T${Date.now() % 1e9}${Math.floor(Math.random() * 90 + 10)}`;
}

/** A citizen with a confirmed account and an authenticator app, signed in. */
async function citizen(page: Page, request: Parameters<typeof registerConfirmed>[1], prefix: string) {
  const email = uniqueEmail(prefix);
  await registerConfirmed(page, request, email);
  await signIn(page, email);
  const { secret } = await enrolTotp(page);
  return { email, secret };
}

test('staff issue a code and letter; the citizen unlocks the profile from the QR link and sets the options', async ({ browser, page, request }, testInfo) => {
  // Staff: desk, new client, code, letter.
  await signedInStaff(page, uniqueEmail('staff'));
  await expectAccessible(page);
  const family = `Muster${Date.now() % 100000}`;
  await createClient(page, family, customerNumber());
  await expect(page.getByTestId('code-status')).toHaveText('Noch kein Freischaltcode ausgestellt.');
  await expectAccessible(page);
  const { code, link } = await issueCode(page);
  const letter = page.getByRole('article');
  await expect(letter.getByRole('heading', { name: /Freischaltcode für Online-Angebote/ })).toBeVisible();
  await expect(letter).toContainText(`Guten Tag Frau Erika ${family},`);
  await expect(letter).toContainText('Sie können auch den folgenden QR-Code scannen');
  await expect(letter.getByRole('img', { name: 'QR-Code zur Eingabe des Freischaltcodes' })).toBeVisible();
  await expect(letter.getByTestId('letter-valid-until')).toHaveText(/Ihr Freischaltcode ist gültig bis zum \d{2}\.\d{2}\.\d{4}\./);
  await expect(letter).toContainText('Mit freundlichen Grüßen');
  await expectAccessible(page);
  // On paper: only the letter.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Brief drucken' })).toBeHidden();
  await testInfo.attach('letter', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  await page.emulateMedia({ media: 'screen' });

  // Citizen: opens the QR link, the code is filled in.
  const context = await browser.newContext();
  const citizenPage = await context.newPage();
  await citizen(citizenPage, request, 'buerger');
  await citizenPage.goto(link);
  await hydrated(citizenPage);
  await expect(citizenPage.getByRole('heading', { level: 1 })).toHaveText('Freischaltcode eingeben');
  await expect(citizenPage.getByLabel('Freischaltcode *')).toHaveValue(code);
  await expectAccessible(citizenPage);
  await citizenPage.getByRole('button', { name: 'Freischalten' }).click();
  await expect(citizenPage.getByRole('heading', { level: 1 })).toHaveText('Freischaltung erfolgreich');
  await expect(citizenPage.getByText('Sie haben nun Zugriff auf die entsprechenden eServices.')).toBeVisible();
  await citizenPage.getByRole('link', { name: 'Profil bearbeiten' }).click();

  // Profile: data and the three switches.
  await expect(citizenPage.getByRole('heading', { level: 1 })).toHaveText('Profil bearbeiten');
  await expect(citizenPage.getByRole('region', { name: 'Ihre Daten' })).toContainText(family);
  await hydrated(citizenPage);
  const online = citizenPage.getByRole('switch', { name: 'Online-Kommunikation' });
  const mail = citizenPage.getByRole('switch', { name: 'E-Mail-Benachrichtigung' });
  await expect(citizenPage.getByRole('switch', { name: 'SMS-Benachrichtigung' })).toHaveAttribute('aria-checked', 'false');
  await expect(online).toHaveAttribute('aria-checked', 'false');
  await expect(online).toHaveAccessibleDescription(/Inhalte digital empfangen/);
  await expectAccessible(citizenPage);
  await online.click();
  await expect(online).toHaveAttribute('aria-checked', 'true');
  await expect(citizenPage.getByText(/✔ Schriftstücke \(Bescheide, Nachweise, Schreiben\)/)).toBeVisible();
  // The change is in the history at once.
  await expect(citizenPage.getByRole('region', { name: 'Verlauf Ihrer Einstellungen' }).getByRole('row')).toHaveCount(2);
  // By keyboard.
  await mail.focus();
  await citizenPage.keyboard.press('Space');
  await expect(mail).toHaveAttribute('aria-checked', 'true');
  // SMS needs a confirmed mobile number: the switch falls back with a message.
  await citizenPage.getByRole('switch', { name: 'SMS-Benachrichtigung' }).click();
  await expect(citizenPage.getByText('Für SMS-Benachrichtigungen bestätigen Sie bitte zuerst Ihre Mobilfunknummer')).toBeVisible();
  await expect(citizenPage.getByRole('switch', { name: 'SMS-Benachrichtigung' })).toHaveAttribute('aria-checked', 'false');
  await citizenPage.reload();
  await expect(online).toHaveAttribute('aria-checked', 'true');
  await expect(mail).toHaveAttribute('aria-checked', 'true');
  await expect(citizenPage.getByRole('region', { name: 'Verlauf Ihrer Einstellungen' }).getByRole('row')).toHaveCount(3);
  // Turning it off is always possible.
  await hydrated(citizenPage);
  await online.click();
  await expect(online).toHaveAttribute('aria-checked', 'false');
  await expect(citizenPage.getByText(/Die Online-Kommunikation ist ausgeschaltet/)).toBeVisible();

  // Staff see the unlocked profile and the option history.
  await page.reload();
  await expect(page.getByTestId('code-status')).toContainText('eingelöst');
  await expect(page.getByRole('region', { name: 'Verlauf Ihrer Einstellungen' }).getByRole('row')).toHaveCount(4);

  // The same code a second time (another citizen): used.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await citizen(otherPage, request, 'zweite');
  await otherPage.goto(link);
  await otherPage.getByRole('button', { name: 'Freischalten' }).click();
  await expect(otherPage.getByText('Dieser Freischaltcode wurde bereits verwendet.').first()).toBeVisible();
  await other.close();
  await context.close();
});

test('the code field formats and checks while typing; wrong and revoked codes say why', async ({ page, browser, request }) => {
  await signedInStaff(page, uniqueEmail('staff-widerruf'));
  await createClient(page, `Widerruf${Date.now() % 100000}`, customerNumber());
  const { link } = await issueCode(page);
  await page.getByRole('link', { name: 'Zurück zur Kundin oder zum Kunden' }).click();
  await page.getByRole('button', { name: 'Freischaltcode zurückziehen' }).click();
  await expect(page.getByText('Der Freischaltcode ist zurückgezogen und gilt nicht mehr.')).toBeVisible();

  const context = await browser.newContext();
  const citizenPage = await context.newPage();
  await citizen(citizenPage, request, 'tipper');
  await citizenPage.goto('/konto');
  await citizenPage.getByRole('link', { name: 'Neues Profil anlegen' }).click();
  await expect(citizenPage.getByText(/Sie hatten bereits Kontakt zur Agentur für Arbeit/)).toBeVisible();
  await citizenPage.getByRole('link', { name: 'Eingeben' }).click();
  await hydrated(citizenPage);
  const field = citizenPage.getByLabel('Freischaltcode *');
  await field.pressSequentially('het2');
  await expect(field).toHaveValue('HET2');
  await field.pressSequentially('2');
  await expect(field).toHaveValue('HET2-2');
  await field.pressSequentially('x8auxas');
  await expect(field).toHaveValue('HET2-2X8A-UXAS');
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
  // A mistyped character is caught by the check character.
  await field.press('Backspace');
  await field.pressSequentially('t');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(/Bitte prüfen Sie Ihre Eingabe: Ein Zeichen ist vermutlich vertippt/);
  await field.fill('');
  await field.pressSequentially('hez0');
  await expect(field).toHaveAccessibleDescription(/Die Zeichen 0, 1, 5, I, L, O und Z kommen darin nicht vor/);
  // A well-formed but unknown code.
  await field.fill('HET2-2X8A-UXAS');
  await citizenPage.getByRole('button', { name: 'Freischalten' }).click();
  await expect(citizenPage.getByRole('alert').first()).toContainText('Dieser Freischaltcode ist uns nicht bekannt.');
  await expect(field).toHaveValue('HET2-2X8A-UXAS');
  // The revoked code.
  await citizenPage.goto(link);
  await citizenPage.getByRole('button', { name: 'Freischalten' }).click();
  await expect(citizenPage.getByRole('alert').first()).toContainText('gilt nicht mehr');
  await context.close();
});

test('an expired code says when it expired and what to do', async ({ page, browser, request }) => {
  await signedInStaff(page, uniqueEmail('staff-abgelaufen'));
  const number = customerNumber();
  await createClient(page, `Abgelaufen${Date.now() % 100000}`, number);
  const { link } = await issueCode(page);
  expireCodes(number);
  const context = await browser.newContext();
  const citizenPage = await context.newPage();
  await citizen(citizenPage, request, 'spaet');
  await citizenPage.goto(link);
  await citizenPage.getByRole('button', { name: 'Freischalten' }).click();
  await expect(citizenPage.getByRole('alert').first()).toContainText(
    /Dieser Freischaltcode ist am \d{2}\.\d{2}\.\d{4} abgelaufen. Bitte wenden Sie sich an Ihr Jobcenter/,
  );
  await expectAccessible(citizenPage);
  await context.close();
});

test('without JavaScript: code entry and switches work as forms', async ({ browser, page, request }) => {
  await signedInStaff(page, uniqueEmail('staff-ohne-js'));
  await createClient(page, `Ohnejs${Date.now() % 100000}`, customerNumber());
  const { code } = await issueCode(page);

  const email = uniqueEmail('ohne-js-profil');
  const setup = await browser.newContext();
  const setupPage = await setup.newPage();
  await registerConfirmed(setupPage, request, email);
  await signIn(setupPage, email);
  const { secret } = await enrolTotp(setupPage);
  await setup.close();

  const context = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await context.newPage();
  await signIn(noJs, email);
  await confirmWithTotp(noJs, secret, 0);
  await noJs.goto('/freischalten');
  await noJs.getByLabel('Freischaltcode *').fill(code.replace(/-/g, '').toLowerCase());
  await noJs.getByRole('button', { name: 'Freischalten' }).click();
  await expect(noJs.getByRole('heading', { level: 1 })).toHaveText('Freischaltung erfolgreich');
  await noJs.goto('/profil');
  const online = noJs.getByRole('switch', { name: 'Online-Kommunikation' });
  await expect(online).toHaveAttribute('aria-checked', 'false');
  await online.click();
  await expect(noJs).toHaveURL(/\/profil\??$/);
  await expect(online).toHaveAttribute('aria-checked', 'true');
  await noJs.reload();
  await expect(online).toHaveAttribute('aria-checked', 'true');
  await context.close();
});

test('the letter\'s QR link leads back to the code entry after the first sign-in', async ({ page, browser, request }) => {
  await signedInStaff(page, uniqueEmail('staff-qr'));
  await createClient(page, `Rueckweg${Date.now() % 100000}`, customerNumber());
  const { code, link } = await issueCode(page);
  const context = await browser.newContext();
  const citizenPage = await context.newPage();
  const email = uniqueEmail('qr-neu');
  await registerConfirmed(citizenPage, request, email);
  await citizenPage.goto(link);
  await expect(citizenPage).toHaveURL(/\/anmelden\?next=/);
  await citizenPage.getByLabel('Benutzername / E-Mail-Adresse').fill(email);
  await citizenPage.getByLabel('Passwort', { exact: true }).fill('Kx9!vTq2#mLpW');
  await citizenPage.getByRole('button', { name: 'Anmelden', exact: true }).click();
  await expect(citizenPage).toHaveURL(/\/mfa\/einrichten\?next=/);
  await enrolTotpTo(citizenPage, /\/freischalten\?code=/);
  await expect(citizenPage.getByLabel('Freischaltcode *')).toHaveValue(code);
  await context.close();
});

test('a visitor without an account registers from the QR link and comes back to the filled-in code', async ({ page, browser, request }) => {
  await signedInStaff(page, uniqueEmail('staff-qr-neu'));
  await createClient(page, `Neuling${Date.now() % 100000}`, customerNumber());
  const { code, link } = await issueCode(page);
  const context = await browser.newContext();
  const visitor = await context.newPage();
  await visitor.goto(link);
  await expect(visitor).toHaveURL(/\/anmelden\?next=/);
  await visitor.getByRole('link', { name: 'Jetzt registrieren' }).click();
  await expect(visitor).toHaveURL(/\/registrieren\?next=/);
  await hydrated(visitor);
  const email = uniqueEmail('qr-registrierung');
  await fillRegistration(visitor, email);
  await visitor.getByRole('button', { name: 'Registrieren' }).click();
  await expect(visitor.getByRole('status')).toContainText('Registrierung erfolgreich');
  await visitor.goto(linkIn(await waitForMail(request, email), '/registrieren/bestaetigen'));
  await expect(visitor.getByRole('heading', { name: 'E-Mail-Adresse bestätigt' })).toBeVisible();
  await visitor.getByRole('main').getByRole('link', { name: 'Anmelden' }).click();
  await expect(visitor).toHaveURL(/\/anmelden\?next=/);
  await visitor.getByLabel('Benutzername / E-Mail-Adresse').fill(email);
  await visitor.getByLabel('Passwort', { exact: true }).fill('Kx9!vTq2#mLpW');
  await visitor.getByRole('button', { name: 'Anmelden', exact: true }).click();
  await enrolTotpTo(visitor, /\/freischalten\?code=/);
  await expect(visitor.getByLabel('Freischaltcode *')).toHaveValue(code);
  await visitor.getByRole('button', { name: 'Freischalten' }).click();
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Freischaltung erfolgreich');
  await context.close();
});

test('citizens cannot open the staff desk', async ({ page, request, problems }) => {
  await citizen(page, request, 'neugierig');
  const refused = await page.goto('/intern');
  expect(refused?.status(), 'the refusal has its real status').toBe(403);
  await expect(page.getByText('Dieser Bereich ist den Mitarbeitenden des Jobcenters vorbehalten.')).toBeVisible();
  const answer = await page.request.post('/api/staff/search', { form: { query: '' }, headers: { Origin: new URL(page.url()).origin } });
  expect(answer.status()).toBe(403);
  // The browser reports the refused document on its console: that refusal is the point here.
  const expected = (problem: string) => problem.includes('the server responded with a status of 403');
  expect(problems.filter(expected).length).toBeGreaterThan(0);
  problems.splice(0, problems.length, ...problems.filter((problem) => !expected(problem)));
});
