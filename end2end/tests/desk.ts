import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { APIRequestContext, Browser, Page } from '@playwright/test';
import { expect, hydrated } from './fixtures';
import { awayFromStepEnd, confirmWithTotp, enrolTotp, PASSWORD, registerConfirmed, signIn } from './journeys';
import { uniqueEmail } from './mail';

const root = path.resolve(__dirname, '..', '..');
/** The browser tests' database (see playwright.config.ts). */
const database = path.join(process.env.E2E_DATA_DIR ?? path.join(root, 'target', 'e2e-data'), 'portal.db');

/**
 * Creates a staff account with the operator command, as the README describes — on the
 * browser tests' database, or on E2E_DATABASE_URL with E2E_PUBLIC_URL when the tests run
 * against other servers (bench/multi-instance.sh).
 */
export function createStaff(email: string, name: string): string {
  const output = execFileSync(
    path.join(root, 'target', 'debug', 'server'),
    ['admin', 'create-staff', '--job-centre', 'Jobcenter Musterstadt', '--email', email, '--name', name],
    {
      env: {
        ...process.env,
        DATABASE_URL: process.env.E2E_DATABASE_URL ?? `sqlite://${database}`,
        PUBLIC_URL: process.env.E2E_PUBLIC_URL ?? `http://localhost:${process.env.E2E_PORT ?? 3117}`,
        RUST_LOG: 'error',
      },
      encoding: 'utf8',
    },
  );
  const link = output.split(/\s+/).find((word) => word.includes('/passwort-vergessen/neu?token='));
  if (!link) throw new Error(`no link in: ${output}`);
  return link;
}

/** A new staff member who set a password and an authenticator app; ends on the desk. */
export async function signedInStaff(page: Page, email: string): Promise<{ secret: string }> {
  const link = createStaff(email, 'Petra Prüfer');
  await page.goto(link);
  await hydrated(page);
  await page.getByLabel('Neues Passwort *').fill(PASSWORD);
  await page.getByLabel('Passwort wiederholen *').fill(PASSWORD);
  await page.getByRole('button', { name: 'Passwort speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Ihr neues Passwort ist gespeichert.');
  await signIn(page, email);
  const { secret } = await enrolTotp(page);
  await page.goto('/intern');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mitarbeiterbereich');
  return { secret };
}

/** Creates a client record on the desk and opens it. */
export async function createClient(page: Page, family: string, number: string): Promise<void> {
  await page.goto('/intern');
  await page.getByRole('link', { name: 'Kundin oder Kunden anlegen' }).click();
  await page.getByLabel('Kundennummer *').fill(number);
  await page.getByLabel('Anrede *').selectOption('frau');
  await page.getByLabel('Vorname *').fill('Erika');
  await page.getByLabel('Nachname *').fill(family);
  await page.getByLabel('Geburtsdatum *').fill('1984-08-12');
  await page.getByLabel('Straße und Hausnummer *').fill('Heidestraße 17');
  await page.getByLabel('Postleitzahl *').fill('12345');
  await page.getByLabel('Ort *').fill('Musterstadt');
  await page.getByRole('button', { name: 'Anlegen' }).click();
  await expect(page).toHaveURL(/\/intern\/kunden\/\d+$/);
  await expect(page.getByRole('heading', { level: 2, name: `Frau Erika ${family}` })).toBeVisible();
}

/** Issues a code on the open client page; returns the code and the QR link. */
export async function issueCode(page: Page): Promise<{ code: string; link: string }> {
  // A click while the page is still hydrating can land on a node that is about to be replaced.
  await hydrated(page);
  await expect(page.getByTestId('code-status')).toBeVisible();
  await page.getByRole('button', { name: 'Freischaltcode erzeugen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Brief mit Freischaltcode');
  const code = (await page.getByTestId('letter-code').innerText()).trim();
  expect(code).toMatch(/^[2-46-9A-HJKMNP-Y]{4}-[2-46-9A-HJKMNP-Y]{4}-[2-46-9A-HJKMNP-Y]{4}$/);
  const link = `/freischalten?code=${code}`;
  return { code, link };
}

/** Ages every activation code of the client with this customer number (test database). */
export function expireCodes(customerNumber: string): void {
  execFileSync('sqlite3', [
    database,
    '.timeout 5000',
    `UPDATE activation_codes SET valid_until = strftime('%s','now') - 86400 WHERE client_id = (SELECT id FROM clients WHERE customer_number = '${customerNumber.replace(/'/g, "''")}');`,
  ]);
}

/**
 * Staff issue a code in `staffPage`; a new citizen in a context of its own unlocks the
 * profile with it. Returns the citizen's page (on "Profil bearbeiten"), address and secret.
 */
export async function citizenWithProfile(
  browser: Browser,
  staffPage: Page,
  request: APIRequestContext,
  prefix: string,
  javaScriptEnabled = true,
): Promise<{ page: Page; email: string; secret: string; clientUrl: string }> {
  await signedInStaff(staffPage, uniqueEmail(`staff-${prefix}`));
  await createClient(staffPage, `Kontakt${Date.now() % 100000}`, `K${Date.now() % 1e9}${Math.floor(Math.random() * 90 + 10)}`);
  const clientUrl = staffPage.url();
  const { code } = await issueCode(staffPage);
  const email = uniqueEmail(prefix);
  const setup = await browser.newContext();
  const setupPage = await setup.newPage();
  await registerConfirmed(setupPage, request, email);
  await signIn(setupPage, email);
  const { secret } = await enrolTotp(setupPage);
  await setupPage.goto(`/freischalten?code=${code}`);
  await setupPage.getByRole('button', { name: 'Freischalten' }).click();
  await expect(setupPage.getByRole('heading', { level: 1 })).toHaveText('Freischaltung erfolgreich');
  await setup.close();
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await awayFromStepEnd(page);
  await signIn(page, email);
  await confirmWithTotp(page, secret, 0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mein Konto');
  await page.goto('/profil');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Profil bearbeiten');
  return { page, email, secret, clientUrl };
}

/** German local date and time `hours` from now, in the appointment form's formats. */
export function inHours(hours: number): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + hours * 3600_000));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}` };
}
