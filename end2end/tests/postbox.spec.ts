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
  await hydrated(citizen);
  // On a phone the header navigation sits behind "Menü".
  const menu = citizen.getByRole('button', { name: 'Menü' });
  if (await menu.isVisible()) await menu.click();
  const headerLink = citizen.getByRole('banner').getByRole('link', { name: /Postfach 1 ungelesen/ });
  await expect(headerLink).toBeVisible();
  await headerLink.click();
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

/** A tiny but real PNG header followed by data (the type is recognised by content). */
function png(): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 7)]);
}

test('the citizen uploads evidence, gets a receipt, staff reply and the citizen reads the reply', async ({ browser, page, request }) => {
  const { page: citizen } = await citizenWithProfile(browser, page, request, 'nachweis');
  await switchOn(citizen, 'Online-Kommunikation');
  await citizen.goto('/postfach');
  await citizen.getByRole('link', { name: 'Nachweis hochladen' }).click();
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Nachweis hochladen');
  await expectAccessible(citizen);

  // A program renamed to .pdf is refused; what was typed stays.
  await citizen.getByLabel('Betreff *').fill('Lohnabrechnung');
  await citizen.getByLabel('Nachweise (Dateien) *').setInputFiles({
    name: 'lohn.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(2048)]),
  });
  await citizen.getByRole('button', { name: 'Absenden' }).click();
  await expect(citizen.getByRole('alert')).toContainText('Eine Datei ist weder PDF noch JPEG noch PNG.');
  await expect(citizen.getByLabel('Betreff *')).toHaveValue('Lohnabrechnung');

  // A PDF and a PNG.
  const subject = `Lohnabrechnung ${Date.now() % 100000}`;
  await citizen.getByLabel('Betreff *').fill(subject);
  await citizen.getByLabel('Text').fill('Anbei meine Lohnabrechnung und ein Foto der Bescheinigung.');
  await citizen.getByLabel('Nachweise (Dateien) *').setInputFiles([
    { name: 'Lohn März.pdf', mimeType: 'application/pdf', buffer: pdf('Lohn') },
    { name: 'bescheinigung.png', mimeType: 'image/png', buffer: png() },
  ]);
  await citizen.getByRole('button', { name: 'Absenden' }).click();
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText(subject);
  await expect(citizen.getByRole('status')).toContainText('Ihre Nachricht ist eingegangen.');
  const receipt = citizen.getByRole('region', { name: 'Eingangsbestätigung' });
  await expect(receipt).toContainText('Lohn März.pdf');
  await expect(receipt).toContainText('bescheinigung.png');
  await expect(citizen.getByRole('heading', { name: 'Eingangsbestätigung' })).toBeVisible();
  await expectAccessible(citizen);
  const [download] = await Promise.all([
    citizen.waitForEvent('download'),
    citizen.getByRole('link', { name: 'Eingangsbestätigung herunterladen' }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  expect(text).toContain('Lohn März.pdf');
  expect(text).toMatch(/SHA-256: [0-9a-f]{64}/);

  // Staff: inbox, conversation, reply, done.
  await page.goto('/intern');
  await page.getByRole('link', { name: 'Nachrichten' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nachrichten');
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByText('Anbei meine Lohnabrechnung')).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Text *').fill('Vielen Dank, wir haben Ihre Nachweise erhalten.');
  await page.getByRole('button', { name: 'Antwort senden' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ihre Antwort wurde gesendet.' })).toBeVisible();
  await page.getByRole('button', { name: 'Als erledigt markieren' }).click();
  await expect(page.getByText(/Erledigt am/)).toBeVisible();

  // The citizen sees the reply.
  await citizen.goto('/postfach');
  await citizen.getByRole('link', { name: `AW: ${subject}` }).click();
  await expect(citizen.getByText('Vielen Dank, wir haben Ihre Nachweise erhalten.')).toBeVisible();
  await expect(citizen.getByRole('region', { name: 'Verlauf' })).toContainText(subject);
  await citizen.context().close();
});
