import { test, expect, hydrated, expectAccessible } from './fixtures';
import { uniqueEmail } from './mail';
import { citizenWithProfile, createClient, signedInStaff } from './desk';
import { fillRegistration } from './journeys';

test('staff find a client whatever the case and accents they type', async ({ page }) => {
  await signedInStaff(page, uniqueEmail('staff-suche'));
  const family = `Öztürk${String.fromCharCode(97 + (Date.now() % 26))}ü`;
  await createClient(page, family, `K-${Date.now() % 1_000_000}`);
  for (const typed of [family.toLowerCase(), family.toUpperCase(), family.normalize('NFD').replace(/\p{M}/gu, '')]) {
    await page.goto('/intern');
    await page.getByLabel('Name oder Kundennummer').fill(typed);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await expect(page).toHaveURL(/suche=/);
    await expect(page.getByRole('link', { name: `${family}, Erika` })).toBeVisible();
  }
  await expectAccessible(page);
});

test('an oversized document gets its own message and the form keeps its text', async ({ browser, page, request }) => {
  const { page: citizen, clientUrl } = await citizenWithProfile(browser, page, request, 'gross');
  await page.goto(clientUrl);
  await page.getByLabel('Betreff *').fill('Bescheid über Leistungen');
  await page.getByLabel('PDF-Dokument').setInputFiles({
    name: 'bescheid.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024, 120)]),
  });
  await page.getByRole('button', { name: 'Senden' }).click();
  await expect(page.getByRole('alert')).toContainText('Die Datei ist größer als 10 MB.');
  await expect(page.getByLabel('Betreff *')).toHaveValue('Bescheid über Leistungen');
  await expect(page.getByText('Noch nichts gesendet.')).toBeVisible();
  await citizen.context().close();
});

test('an address with an umlaut before the @ is refused with a reason', async ({ page }) => {
  await page.goto('/registrieren');
  await hydrated(page);
  await fillRegistration(page, uniqueEmail('x').replace(/^x/, 'jürgen'));
  await page.getByRole('button', { name: 'Registrieren' }).click();
  await expect(page.getByRole('alert').first()).toContainText('Vor dem @ sind Umlaute');
  await expectAccessible(page);
});
