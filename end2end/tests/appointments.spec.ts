import { readFileSync } from 'node:fs';
import { Page, APIRequestContext } from '@playwright/test';
import { test, expect, hydrated, expectAccessible } from './fixtures';
import { codeIn, waitForSms, SINK, Sms } from './mail';
import { citizenWithProfile, inHours } from './desk';

/** Confirms a fresh mobile number and switches SMS-Benachrichtigung on; returns `+49…`. */
async function smsOn(citizen: Page, request: APIRequestContext): Promise<string> {
  const digits = `3${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  await hydrated(citizen);
  await citizen.getByLabel('Mobilfunknummer', { exact: true }).fill(`0151 ${digits}`);
  await citizen.getByRole('button', { name: 'Code per SMS senden' }).click();
  const international = `+49151${digits}`;
  await citizen.getByLabel('SMS-Code').fill(codeIn(await waitForSms(request, international)));
  await citizen.getByRole('button', { name: 'Nummer bestätigen' }).click();
  await expect(citizen.getByRole('status').filter({ hasText: 'ist bestätigt' })).toBeVisible();
  const sms = citizen.getByRole('switch', { name: 'SMS-Benachrichtigung' });
  await sms.click();
  await expect(sms).toHaveAttribute('aria-checked', 'true');
  return international;
}

async function createAppointment(staff: Page, clientUrl: string, hours: number, subject: string): Promise<void> {
  await staff.goto(clientUrl);
  await hydrated(staff);
  const { date, time } = inHours(hours);
  await staff.getByLabel('Datum *').fill(date);
  await staff.getByLabel('Uhrzeit *').fill(time);
  await staff.getByLabel('Form des Termins *').selectOption('vor_ort');
  await staff.getByLabel('Ort oder Zugang *').fill('Musterstraße 1, Raum 204');
  await staff.getByLabel('Betreff des Termins *').fill(subject);
  await staff.getByRole('button', { name: 'Termin anlegen' }).click();
  await expect(staff.getByRole('status').filter({ hasText: 'Der Termin ist angelegt.' })).toBeVisible();
}

async function remindersTo(request: APIRequestContext, to: string): Promise<Sms[]> {
  const all: Sms[] = await (await request.get(`${SINK}/sms`)).json();
  return all.filter((m) => m.to === to && m.text.includes('Erinnerung'));
}

test('an appointment within a day is reminded by SMS at once, one in two days not yet; the citizen adds it to a calendar', async ({ browser, page, request }) => {
  const { page: citizen, clientUrl } = await citizenWithProfile(browser, page, request, 'termin');
  const mobile = await smsOn(citizen, request);

  const soon = `Beratung ${Date.now() % 100000}`;
  await createAppointment(page, clientUrl, 23, soon);
  await expectAccessible(page);
  // Due: the reminder goes out within seconds (the server checks every 2 s).
  await expect.poll(async () => (await remindersTo(request, mobile)).length, { timeout: 20_000 }).toBe(1);
  expect((await remindersTo(request, mobile))[0].text).toContain('Musterstraße 1');

  const later = `Später ${Date.now() % 100000}`;
  await createAppointment(page, clientUrl, 48, later);
  await page.waitForTimeout(4000);
  expect(await remindersTo(request, mobile)).toHaveLength(1);
  await page.reload();
  await expect(page.getByTestId('appointment').filter({ hasText: later })).toContainText('Erinnerung per SMS: noch nicht fällig');
  await expect(page.getByTestId('appointment').filter({ hasText: soon })).toContainText('Erinnerung per SMS gesendet am');

  // The citizen: upcoming appointments and the calendar file.
  await citizen.goto('/konto');
  await citizen.getByRole('main').getByRole('link', { name: 'Termine' }).click();
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Termine');
  await expectAccessible(citizen);
  const entry = citizen.getByTestId('appointment').filter({ hasText: soon });
  await expect(entry).toContainText('Vor Ort: Musterstraße 1, Raum 204');
  const [download] = await Promise.all([
    citizen.waitForEvent('download'),
    entry.getByRole('link', { name: /Zum Kalender hinzufügen/ }).click(),
  ]);
  const ics = readFileSync(await download.path(), 'utf8');
  expect(ics).toContain('BEGIN:VEVENT');
  expect(ics).toContain(`SUMMARY:${soon}`);

  // Staff cancel the later one; the citizen sees it as cancelled.
  await page.getByTestId('appointment').filter({ hasText: later }).getByRole('button', { name: /Termin absagen/ }).click();
  await expect(page.getByTestId('appointment').filter({ hasText: later })).toContainText('Abgesagt am');
  await citizen.reload();
  await expect(citizen.getByTestId('appointment').filter({ hasText: later })).toContainText('Abgesagt');
  await citizen.context().close();
});
