import { test, expect, hydrated, expectAccessible } from './fixtures';
import { codeIn, linkIn, uniqueEmail, waitForMail, waitForSms, waitForSubject } from './mail';
import { confirmWithTotp, enrolTotp, registerConfirmed, signIn, signOut, awayFromStepEnd, PASSWORD } from './journeys';
import { citizenWithProfile } from './desk';

/** A German mobile number no other test uses: "0151 2xxxxxx" and its `+49` form. */
function mobileNumber(): { typed: string; international: string } {
  const digits = `2${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return { typed: `0151 ${digits}`, international: `+49151${digits}` };
}

test('the mobile number is confirmed with a code by SMS before SMS notifications can be switched on', async ({ browser, page, request }) => {
  const { page: citizen } = await citizenWithProfile(browser, page, request, 'sms');
  await hydrated(citizen);
  const sms = citizen.getByRole('switch', { name: 'SMS-Benachrichtigung' });
  await sms.click();
  await expect(citizen.getByText('Für SMS-Benachrichtigungen bestätigen Sie bitte zuerst Ihre Mobilfunknummer')).toBeVisible();
  await expect(sms).toHaveAttribute('aria-checked', 'false');

  const contact = citizen.getByRole('region', { name: 'Ihre Kontaktdaten' });
  await expect(contact).toContainText('Noch keine bestätigte Mobilfunknummer');
  const number = mobileNumber();
  const field = citizen.getByLabel('Mobilfunknummer', { exact: true });
  await field.fill('12');
  await citizen.getByRole('button', { name: 'Code per SMS senden' }).click();
  await expect(field).toHaveAccessibleDescription(/Bitte prüfen Sie Ihre Eingabe: Geben Sie eine Mobilfunknummer ein/);
  await field.fill(number.typed);
  await citizen.getByRole('button', { name: 'Code per SMS senden' }).click();
  await expect(citizen.getByRole('status').filter({ hasText: 'Wir haben einen Code per SMS' })).toContainText(number.international);
  const message = await waitForSms(request, number.international);
  expect(message.authorization).toBe('Bearer e2e');
  const code = codeIn(message);
  await expectAccessible(citizen);

  const codeField = citizen.getByLabel('SMS-Code');
  await codeField.fill(code === '000000' ? '111111' : '000000');
  await citizen.getByRole('button', { name: 'Nummer bestätigen' }).click();
  await expect(codeField).toHaveAccessibleDescription(/Der Code stimmt nicht. Sie haben noch 4 Versuche./);
  await codeField.fill(code);
  await citizen.getByRole('button', { name: 'Nummer bestätigen' }).click();
  await expect(citizen.getByRole('status').filter({ hasText: 'ist bestätigt' })).toContainText(number.international);
  await expect(contact).toContainText(number.international);
  await expect(citizen.getByLabel('SMS-Code')).toHaveCount(0);

  await sms.click();
  await expect(sms).toHaveAttribute('aria-checked', 'true');
  await citizen.reload();
  await expect(sms).toHaveAttribute('aria-checked', 'true');
  await expect(contact).toContainText(number.international);

  // Removing the number switches SMS off at once (and in the history).
  await hydrated(citizen);
  await citizen.getByRole('button', { name: 'Nummer entfernen' }).click();
  await expect(citizen.getByText('Ihre Mobilfunknummer wurde entfernt. SMS-Benachrichtigungen sind ausgeschaltet.')).toBeVisible();
  await expect(sms).toHaveAttribute('aria-checked', 'false');
  await expect(citizen.getByRole('region', { name: 'Verlauf Ihrer Einstellungen' }).getByRole('row')).toHaveCount(3);
  await citizen.context().close();
});

test('without JavaScript: the mobile number is confirmed with plain forms', async ({ browser, page, request }) => {
  const { page: citizen } = await citizenWithProfile(browser, page, request, 'sms-ohne-js', false);
  const number = mobileNumber();
  await citizen.getByLabel('Mobilfunknummer', { exact: true }).fill(number.typed);
  await citizen.getByRole('button', { name: 'Code per SMS senden' }).click();
  await expect(citizen).toHaveURL(/\/profil\??$/);
  await expect(citizen.getByText(`Wir haben einen Code per SMS an ${number.international} gesendet.`)).toBeVisible();
  const code = codeIn(await waitForSms(request, number.international));
  await citizen.getByLabel('SMS-Code').fill(code);
  await citizen.getByRole('button', { name: 'Nummer bestätigen' }).click();
  await expect(citizen.getByText(`Ihre Mobilfunknummer ${number.international} ist bestätigt.`)).toBeVisible();
  const sms = citizen.getByRole('switch', { name: 'SMS-Benachrichtigung' });
  await sms.click();
  await expect(sms).toHaveAttribute('aria-checked', 'true');
  await citizen.context().close();
});

test('the e-mail address changes with the password and a link sent to the new address', async ({ page, request }) => {
  const email = uniqueEmail('umzug');
  await registerConfirmed(page, request, email);
  await signIn(page, email);
  const { secret } = await enrolTotp(page);
  await page.goto('/konto');
  await page.getByRole('link', { name: 'E-Mail-Adresse ändern' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('E-Mail-Adresse ändern');
  await hydrated(page);
  await expectAccessible(page);
  const newEmail = uniqueEmail('umzug-neu');
  await page.getByLabel('Neue E-Mail-Adresse *').fill(newEmail);
  await page.getByLabel('Aktuelles Passwort *').fill('falsch-falsch');
  await page.getByRole('button', { name: 'Bestätigungslink senden' }).click();
  await expect(page.getByRole('alert')).toContainText('Das Passwort ist nicht korrekt.');
  await expect(page.getByLabel('Neue E-Mail-Adresse *')).toHaveValue(newEmail);
  await page.getByLabel('Aktuelles Passwort *').fill(PASSWORD);
  await page.getByRole('button', { name: 'Bestätigungslink senden' }).click();
  await expect(page.getByRole('status')).toContainText(`Wir haben einen Bestätigungslink an ${newEmail} gesendet.`);
  // The old address hears of it; the account keeps it until the link is opened.
  expect((await waitForSubject(request, email, 'Änderung Ihrer E-Mail-Adresse angefordert')).text).toContain(newEmail);
  await page.goto('/konto');
  await expect(page.getByTestId('account-email')).toHaveText(email);

  await page.goto(linkIn(await waitForMail(request, newEmail), '/e-mail-aendern/bestaetigen'));
  await expect(page.getByRole('status')).toContainText(`Ihre E-Mail-Adresse wurde geändert. Sie lautet jetzt ${newEmail}`);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Zu Mein Konto' }).click();
  await expect(page.getByTestId('account-email')).toHaveText(newEmail);
  await waitForSubject(request, email, 'Ihre E-Mail-Adresse wurde geändert');

  // The new address signs in.
  await signOut(page);
  await awayFromStepEnd(page);
  await signIn(page, newEmail);
  await confirmWithTotp(page, secret, 0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mein Konto');
});
