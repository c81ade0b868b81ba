import { readFileSync } from 'node:fs';
import { Page } from '@playwright/test';
import { test, expect, hydrated, expectAccessible } from './fixtures';
import { waitForSubject } from './mail';
import { citizenWithProfile } from './desk';

/** A small real PDF with a marker, so each test's bytes differ. */
function pdf(marker: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${marker}\n${'x'.repeat(70_000)}\n%%EOF\n`);
}

/** Sends a document from the client page (a plain multipart form). */
async function sendDocument(staff: Page, clientUrl: string, subject: string, bytes: Buffer): Promise<void> {
  await staff.goto(clientUrl);
  await staff.getByLabel('Art *').selectOption('bescheid');
  await staff.getByLabel('Betreff *').fill(subject);
  await staff.getByLabel('Text').fill('Bitte beachten Sie die Rechtsbehelfsbelehrung.');
  await staff.getByLabel('PDF-Dokument').setInputFiles({ name: 'Bescheid.pdf', mimeType: 'application/pdf', buffer: bytes });
  await staff.getByRole('button', { name: 'Senden' }).click();
}

async function switchOn(citizen: Page, name: string): Promise<void> {
  await hydrated(citizen);
  const option = citizen.getByRole('switch', { name });
  await option.click();
  await expect(option).toHaveAttribute('aria-checked', 'true');
}

test('a Bescheid reaches the postbox: notification mail, opened by the citizen, same bytes, trail for staff', async ({ browser, page, request }) => {
  const { page: citizen, email, clientUrl } = await citizenWithProfile(browser, page, request, 'postfach');
  await switchOn(citizen, 'Online-Kommunikation');
  await switchOn(citizen, 'E-Mail-Benachrichtigung');

  const bytes = pdf(`Bescheid ${Date.now()}`);
  const subject = `Bewilligung ${Date.now() % 100000}`;
  await sendDocument(page, clientUrl, subject, bytes);
  await expect(page.getByRole('status')).toContainText('Gesendet: Die Kundin oder der Kunde findet es im Postfach');
  const sent = page.getByTestId('sent-item').filter({ hasText: subject });
  await expect(sent).toContainText('Online im Postfach');
  await expect(sent).toContainText('Noch nicht geöffnet');
  await expectAccessible(page);

  // The mail carries only a link.
  const mail = await waitForSubject(request, email, 'Neue Mitteilung in Ihrem Postfach');
  expect(mail.text).not.toContain(subject);
  await citizen.goto('/konto');
  await expect(citizen.getByRole('link', { name: /Postfach 1 ungelesen/ })).toBeVisible();
  await citizen.getByRole('link', { name: /Postfach/ }).click();
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Postfach');
  await expect(citizen.getByText('Ungelesen: 1')).toBeVisible();
  await expectAccessible(citizen);
  const link = mail.text.match(/https?:\/\/\S+\/postfach\/\d+/);
  expect(link).not.toBeNull();
  await citizen.goto(link![0]);
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText(subject);
  await expect(citizen.getByText('Gilt als bekannt gegeben am')).toBeVisible();
  await expectAccessible(citizen);
  const [download] = await Promise.all([
    citizen.waitForEvent('download'),
    citizen.getByRole('link', { name: /Bescheid\.pdf herunterladen/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('Bescheid.pdf');
  expect(readFileSync(await download.path()).equals(bytes)).toBe(true);

  // Staff see when it was opened.
  await page.reload();
  await expect(page.getByTestId('sent-item').filter({ hasText: subject })).toContainText(/Geöffnet am\s*\d{2}\.\d{2}\.\d{4}/);
  await citizen.context().close();
});

test('with Online-Kommunikation off a document goes to the print queue, not the postbox', async ({ browser, page, request }) => {
  const { page: citizen, clientUrl } = await citizenWithProfile(browser, page, request, 'papier');
  const subject = `Einladung ${Date.now() % 100000}`;
  await sendDocument(page, clientUrl, subject, pdf('Post'));
  await expect(page.getByRole('status')).toContainText('Zum Postversand gegeben');
  await expect(page.getByTestId('sent-item').filter({ hasText: subject })).toContainText('Online-Kommunikation war ausgeschaltet');
  await page.goto('/intern');
  await page.getByRole('link', { name: 'Postversand' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Postversand');
  const entry = page.getByTestId('queue-item').filter({ hasText: subject });
  await expect(entry).toBeVisible();
  await expectAccessible(page);
  await entry.getByRole('button', { name: /Als versendet markieren/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Als versendet markiert.' })).toBeVisible();
  await expect(page.getByTestId('queue-item').filter({ hasText: subject })).toHaveCount(0);

  await citizen.goto('/postfach');
  await expect(citizen.getByText('In Ihrem Postfach liegt nichts.')).toBeVisible();
  await citizen.context().close();
});

test('a file that is not a PDF is refused with a message and the form keeps its text', async ({ browser, page, request }) => {
  const { page: citizen, clientUrl } = await citizenWithProfile(browser, page, request, 'exe');
  await page.goto(clientUrl);
  await page.getByLabel('Betreff *').fill('Programm');
  await page.getByLabel('PDF-Dokument').setInputFiles({
    name: 'bescheid.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(2048)]),
  });
  await page.getByRole('button', { name: 'Senden' }).click();
  await expect(page.getByRole('alert')).toContainText('Die Datei ist kein PDF-Dokument.');
  await expect(page.getByLabel('Betreff *')).toHaveValue('Programm');
  await expect(page.getByText('Noch nichts gesendet.')).toBeVisible();
  await citizen.context().close();
});
