import { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import { test, expect, hydrated, expectAccessible } from './fixtures';
import { createClient, inHours, issueCode, signedInStaff } from './desk';
import { awayFromStepEnd, PASSWORD, totpCode } from './journeys';
import { linkIn, uniqueEmail, waitForMail } from './mail';

// Every page of the portal, in German and in English, signed out, half signed in (the
// steps of registration and sign-in), as a citizen with an unlocked profile and as staff:
// no axe-core WCAG 2.1 A/AA violation, one h1 that is also in the <title>, the chosen
// html[lang], a main landmark, the skip link as the first Tab stop, and no horizontal
// scrolling at 320 CSS pixels (WCAG 1.4.10 Reflow). The 'desktop' and 'phone' projects
// run everything at both sizes. One signed-in session visits many pages, because signing
// up and in takes seconds; every page's problems are collected and reported together.

type Lang = 'de' | 'en';
const LANGUAGES: Lang[] = ['de', 'en'];

/** Pages open to everyone (`/dev/mails` only in development). */
const PUBLIC_PAGES = [
  '/',
  '/anmelden',
  '/anmelden/passkey',
  '/registrieren',
  '/registrieren/bestaetigen?token=ungueltig',
  '/registrieren/link-anfordern',
  '/passwort-vergessen',
  '/passwort-vergessen/neu?token=ungueltig',
  '/e-mail-aendern/bestaetigen?token=ungueltig',
  '/impressum',
  '/datenschutz',
  '/barrierefreiheit',
  '/leichte-sprache',
  '/nutzungsbedingungen',
  '/hilfe',
  '/hilfe/freischaltcode',
  '/hilfe/app',
  '/hilfe/passkey',
  '/hilfe/totp',
  '/hilfe/wiederherstellungscodes',
  '/offline',
  '/dev/mails',
];
/** A path that exists nowhere: the 404 page. */
const NOT_FOUND = '/diese-seite-gibt-es-nicht';

/** One browser context with its language chosen, collecting what goes wrong on its pages. */
interface Session {
  context: BrowserContext;
  page: Page;
  lang: Lang;
  /** Problems found so far, one line each ("path (lang): what"). */
  failures: string[];
}

/** Everything the browser reported as an error, apart from the 404 of the not-found probe. */
function watchConsole(page: Page, failures: string[]): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 404/.test(msg.text())) failures.push(`${page.url()}: console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => failures.push(`${page.url()}: exception: ${err.message}`));
}

async function newSession(browser: Browser, failures: string[]): Promise<Session> {
  const context = await browser.newContext();
  const page = await context.newPage();
  watchConsole(page, failures);
  return { context, page, lang: 'de', failures };
}

/** Chooses the language with the header's switch (a cookie), as a visitor would. */
async function chooseLanguage(session: Session, lang: Lang, back = '/'): Promise<void> {
  await session.page.goto(`/sprache?lang=${lang}&zurueck=${encodeURIComponent(back)}`);
  await expect(session.page.locator('html')).toHaveAttribute('lang', lang);
  session.lang = lang;
}

/** What the page says about itself, in one round trip. */
async function structureProblems(page: Page, lang: Lang): Promise<string[]> {
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    headings: Array.from(document.querySelectorAll('h1')).map((h) => h.innerText.replace(/\s+/g, ' ').trim()),
    title: document.title.trim(),
    mains: document.querySelectorAll('main, [role="main"]').length,
  }));
  const problems: string[] = [];
  if (facts.lang !== lang) problems.push(`html[lang] is "${facts.lang}", expected "${lang}"`);
  if (facts.headings.length !== 1) problems.push(`${facts.headings.length} h1 elements (${facts.headings.join(' | ')}), expected exactly one`);
  else if (!facts.headings[0]) problems.push('the h1 is empty');
  else if (!facts.title.includes(facts.headings[0])) problems.push(`<title> "${facts.title}" does not contain the h1 "${facts.headings[0]}"`);
  if (!facts.title) problems.push('<title> is empty');
  if (facts.mains !== 1) problems.push(`${facts.mains} main landmarks, expected one`);
  return problems;
}

/** The checks that need no fresh page load: language, h1, title, landmark, axe, reflow. */
async function checkShown(session: Session, label: string): Promise<void> {
  const { page, lang } = session;
  const where = `${label} (${lang})`;
  const note = (error: unknown) => session.failures.push(`${where}: ${(error as Error).message.split('\n').slice(0, 12).join('\n')}`);
  try {
    // As `hydrated`, but a page that never hydrates is reported instead of stalling the test.
    await expect(page.locator('body'), 'hydrated').toHaveAttribute('data-hydrated', 'true', { timeout: 20_000 });
  } catch (error) {
    note(error);
  }
  // Polled: the title may follow the page a moment after hydration.
  let problems: string[] = [];
  await expect
    .poll(async () => (problems = await structureProblems(page, lang)), { timeout: 5_000 })
    .toEqual([])
    .catch(() => undefined);
  for (const problem of problems) session.failures.push(`${where}: ${problem}`);
  try {
    await expectAccessible(page);
  } catch (error) {
    note(error);
  }
  await checkReflow(session, where);
}

/** At 320 CSS pixels nothing may make the page scroll sideways; names what sticks out. */
async function checkReflow(session: Session, where: string): Promise<void> {
  const { page } = session;
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const result = await page.evaluate(
    () =>
      new Promise<{ scrollWidth: number; innerWidth: number; wide: string[] }>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            // A phone browser widens its layout viewport to fit wide content, so the
            // offenders are measured against the 320 pixels asked for.
            const innerWidth = Math.min(window.innerWidth, 320);
            const describe = (el: Element): string => {
              const classes = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
              return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes}`;
            };
            // Content inside its own scroll container (a wide table) does not move the page.
            const clipped = (el: Element | null): boolean => {
              for (let a = el?.parentElement; a && a !== document.body; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') return true;
              }
              return false;
            };
            const wide: string[] = [];
            // Boxes wider than the window (innermost ones) …
            const boxes = Array.from(document.querySelectorAll('body *')).filter(
              (el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > innerWidth + 0.5 && !clipped(el),
            );
            for (const el of boxes.filter((el) => !boxes.some((other) => other !== el && el.contains(other))).slice(0, 4)) {
              wide.push(`${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)})`);
            }
            // … and text that runs out of its box (long words, addresses).
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const range = document.createRange();
            for (let node = walker.nextNode(); node && wide.length < 8; node = walker.nextNode()) {
              if (!node.textContent?.trim()) continue;
              range.selectNodeContents(node);
              const right = Math.max(0, ...Array.from(range.getClientRects()).map((r) => r.right));
              if (right > innerWidth + 0.5 && node.parentElement && !clipped(node)) {
                const longest = (node.textContent ?? '').split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), '');
                wide.push(`text in ${describe(node.parentElement)}, longest word "${longest}" (right edge ${Math.round(right)})`);
              }
            }
            resolve({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide });
          }),
        ),
      ),
  );
  // On a phone the layout viewport itself grows (innerWidth > 320) instead of scrolling.
  if (result.scrollWidth > result.innerWidth || result.innerWidth > 320) {
    session.failures.push(
      `${where}: scrolls horizontally at 320 px (scrollWidth ${result.scrollWidth}, innerWidth ${result.innerWidth}): ${result.wide.join('; ')}`,
    );
  }
  if (size) await page.setViewportSize(size);
}

/**
 * Opens `path` and checks it, including that the first Tab reaches the skip link. With
 * `switchTo`, the page is reached through the language switch (which answers with a
 * redirect back to it), as a visitor who picks the language there.
 */
async function checkPage(session: Session, path: string, options: { status?: number; switchTo?: Lang } = {}): Promise<void> {
  const { page } = session;
  const expected = options.status ?? 200;
  if (options.switchTo) session.lang = options.switchTo;
  const where = `${path} (${session.lang})`;
  const response = await page.goto(options.switchTo ? `/sprache?lang=${options.switchTo}&zurueck=${encodeURIComponent(path)}` : path);
  if (response?.status() !== expected) session.failures.push(`${where}: HTTP status ${response?.status()}, expected ${expected}`);
  if (options.switchTo && new URL(page.url()).pathname !== new URL(path, page.url()).pathname) {
    session.failures.push(`${where}: the language switch led to ${page.url()}`);
  }
  await checkShown(session, path);
  try {
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.tagName === 'A' ? el.getAttribute('href') : (el?.outerHTML.slice(0, 80) ?? 'nothing');
    });
    expect(first, `${where}: the first Tab stop is the skip link to #inhalt`).toBe('#inhalt');
  } catch (error) {
    session.failures.push(`${where}: ${(error as Error).message.split('\n').slice(0, 6).join('\n')}`);
  }
}

/** Checks `paths` in `lang`, choosing the language with the switch on the way to the first. */
async function checkPages(session: Session, lang: Lang, paths: string[]): Promise<void> {
  for (const [i, path] of paths.entries()) await checkPage(session, path, i === 0 ? { switchTo: lang } : {});
}

function report(failures: string[]): void {
  expect(failures, 'pages with accessibility problems').toEqual([]);
}

/** Registers `email` (fields by id, so it works in both languages), checks the success
 * message and the page the confirmation link opens. */
async function registerAndConfirm(session: Session, request: APIRequestContext, email: string): Promise<void> {
  const { page } = session;
  await page.goto('/registrieren');
  await hydrated(page);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#password_repeat').fill(PASSWORD);
  await page.locator('#accept_terms').check();
  await page.locator('#consent_email').check();
  await page.locator('form:has(#email) button[type="submit"]').click();
  await expect(page.locator('.notice--success[role="status"]')).toBeVisible();
  await checkShown(session, '/registrieren (registered)');
  await page.goto(linkIn(await waitForMail(request, email), '/registrieren/bestaetigen'));
  await checkShown(session, '/registrieren/bestaetigen (confirmed)');
}

/** The first sign-in step (fields by id). */
async function passwordStep(page: Page, email: string): Promise<void> {
  if (new URL(page.url()).pathname !== '/anmelden') await page.goto('/anmelden');
  await hydrated(page);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form:has(#password) button[type="submit"]').click();
}

/**
 * From the password step of a new account: the set-up pages, the authenticator app and
 * the recovery codes, each checked; ends on "Mein Konto".
 */
async function setUpSecondFactor(session: Session, email: string): Promise<void> {
  const { page } = session;
  await passwordStep(page, email);
  await expect(page).toHaveURL(/\/mfa\/einrichten$/);
  await checkPage(session, '/mfa/einrichten');
  await checkPage(session, '/mfa/einrichten/passkey');
  await checkPage(session, '/mfa/einrichten/totp');
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  await awayFromStepEnd(page);
  await page.locator('#code').fill(totpCode(secret, -1));
  await page.locator('form:has(#code) button[type="submit"]').click();
  await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  await checkShown(session, '/mfa/einrichten/totp (recovery codes)');
  await page.locator('.recovery a[rel="external"]').click();
  await expect(page).toHaveURL(/\/konto$/);
}

/**
 * A second sign-in of `email` in a fresh context that starts in the other language: the
 * second-factor page, reached through the language switch in its header.
 */
async function checkSecondStep(browser: Browser, failures: string[], lang: Lang, email: string): Promise<void> {
  const session = await newSession(browser, failures);
  await chooseLanguage(session, lang === 'de' ? 'en' : 'de', '/anmelden');
  await passwordStep(session.page, email);
  await expect(session.page).toHaveURL(/\/anmelden\/zweiter-faktor/);
  await checkPage(session, '/anmelden/zweiter-faktor', { switchTo: lang });
  await session.context.close();
}

// The longest test first, so that it starts at once and the others fill the second worker.
test('signed in as citizen and as staff, de and en: every page of both, and the steps on the way', async ({ browser, request }) => {
  test.setTimeout(240_000);
  const failures: string[] = [];

  // Staff: a client and the letter with the code, once in German and once in English
  // (a new code replaces the one before).
  const staff = await newSession(browser, failures);
  const s = staff.page;
  await signedInStaff(s, uniqueEmail('staff-a11y'));
  await createClient(s, `Barrierefrei${Date.now() % 100000}`, `A${Date.now() % 1e9}${Math.floor(Math.random() * 90 + 10)}`);
  const clientUrl = s.url();
  const clientPath = new URL(clientUrl).pathname;
  await issueCode(s);
  await checkShown(staff, `${clientPath} (letter)`);
  await chooseLanguage(staff, 'en', clientPath);
  await hydrated(s);
  await s.locator('form:has(#valid_days) button[type="submit"]').click();
  await expect(s.getByTestId('letter-code')).toBeVisible();
  const code = (await s.getByTestId('letter-code').innerText()).trim();
  await checkShown(staff, `${clientPath} (letter)`);
  await chooseLanguage(staff, 'de');

  // Citizen: registration, confirmation, second factor, code — each step checked in German.
  const citizen = await newSession(browser, failures);
  const c = citizen.page;
  const email = uniqueEmail('a11y-buerger');
  await registerAndConfirm(citizen, request, email);
  await setUpSecondFactor(citizen, email);
  await c.goto(`/freischalten?code=${code}`);
  await hydrated(c);
  await c.getByRole('button', { name: 'Freischalten' }).click();
  await expect(c.getByRole('heading', { level: 1 })).toHaveText('Freischaltung erfolgreich');
  await checkShown(citizen, '/freischalten (unlocked)');

  // Something in every list: online communication on, a document from staff, an
  // appointment, a message from the citizen (a conversation for staff), accessibility
  // feedback (for the staff list).
  await c.goto('/profil');
  await hydrated(c);
  const online = c.getByRole('switch', { name: 'Online-Kommunikation' });
  await online.click();
  await expect(online).toHaveAttribute('aria-checked', 'true');

  const documentSubject = `Bescheid ${Date.now() % 100000}`;
  await s.goto(clientUrl);
  await hydrated(s);
  await s.getByLabel('Art *').selectOption('bescheid');
  await s.getByLabel('Betreff *').fill(documentSubject);
  await s.getByLabel('Text').fill('Bitte beachten Sie die Rechtsbehelfsbelehrung.');
  await s.getByLabel('PDF-Dokument').setInputFiles({
    name: 'Bescheid.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${documentSubject}\n%%EOF\n`),
  });
  await s.getByRole('button', { name: 'Senden' }).click();
  await expect(s.getByRole('status').filter({ hasText: 'Gesendet' })).toBeVisible();

  await s.goto(clientUrl);
  await hydrated(s);
  const { date, time } = inHours(48);
  await s.getByLabel('Datum *').fill(date);
  await s.getByLabel('Uhrzeit *').fill(time);
  await s.getByLabel('Form des Termins *').selectOption('vor_ort');
  await s.getByLabel('Ort oder Zugang *').fill('Musterstraße 1, Raum 204');
  await s.getByLabel('Betreff des Termins *').fill('Beratung');
  await s.getByRole('button', { name: 'Termin anlegen' }).click();
  await expect(s.getByRole('status').filter({ hasText: 'Der Termin ist angelegt.' })).toBeVisible();

  const messageSubject = `Anfrage ${Date.now() % 100000}`;
  await c.goto('/postfach/schreiben');
  await hydrated(c);
  await c.getByLabel('Betreff *').fill(messageSubject);
  await c.getByLabel('Text').fill('Ich habe eine Frage zu meinem Bescheid.');
  await c.getByRole('button', { name: 'Absenden' }).click();
  await expect(c.getByRole('heading', { level: 1 })).toHaveText(messageSubject);
  const ownMessage = new URL(c.url()).pathname;

  await c.goto('/barrierefreiheit');
  await hydrated(c);
  await c.locator('#nachricht').fill('Der Kontrast der Tabellen ist mir zu schwach.');
  await c.locator('form:has(#nachricht) button[type="submit"]').click();
  await expect(c.locator('.notice--success[role="status"]')).toBeVisible();
  await checkShown(citizen, '/barrierefreiheit (feedback sent)');

  await c.goto('/postfach');
  const documentPath = await c.getByRole('link', { name: documentSubject }).getAttribute('href');
  expect(documentPath).toMatch(/^\/postfach\/\d+$/);
  await s.goto('/intern/nachrichten');
  const conversationPath = await s.getByRole('link', { name: messageSubject }).getAttribute('href');
  expect(conversationPath).toMatch(/^\/intern\/nachrichten\/\d+$/);

  const citizenPages = [
    '/',
    '/konto',
    '/konto/e-mail',
    '/konto/sicherheit',
    '/konto/datenschutz',
    '/profil',
    '/profil/anlegen',
    '/freischalten',
    '/postfach',
    '/postfach/schreiben',
    '/postfach/schreiben?art=nachweis',
    documentPath!,
    ownMessage,
    '/termine',
  ];
  const staffPages = [
    '/intern',
    '/intern/kunden/neu',
    clientPath,
    '/intern/postversand',
    '/intern/nachrichten',
    conversationPath!,
    '/intern/rueckmeldungen',
    '/konto',
  ];
  // Citizen and staff in their own contexts side by side: while one page loads, the
  // other is being checked.
  await Promise.all([
    (async () => {
      for (const lang of LANGUAGES) await checkPages(citizen, lang, citizenPages);
    })(),
    (async () => {
      for (const lang of LANGUAGES) await checkPages(staff, lang, staffPages);
    })(),
  ]);
  await citizen.context.close();
  await staff.context.close();

  // The second step of signing in, German (English: in the next test).
  await checkSecondStep(browser, failures, 'de', email);
  report(failures);
});

for (const lang of LANGUAGES) {
  test(`signed out, ${lang}: every public page`, async ({ browser }) => {
    test.setTimeout(120_000);
    const failures: string[] = [];
    const session = await newSession(browser, failures);
    await checkPages(session, lang, PUBLIC_PAGES);
    await checkPage(session, NOT_FOUND, { status: 404 });
    await session.context.close();
    report(failures);
  });
}

test('signing up and in, en: registration, confirmation, set-up of a second factor, recovery codes, second step', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const failures: string[] = [];
  const session = await newSession(browser, failures);
  await chooseLanguage(session, 'en');
  const email = uniqueEmail('a11y-en');
  await registerAndConfirm(session, request, email);
  await setUpSecondFactor(session, email);
  await session.context.close();
  await checkSecondStep(browser, failures, 'en', email);
  report(failures);
});
