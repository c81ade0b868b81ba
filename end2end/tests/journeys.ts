import { APIRequestContext, CDPSession, Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { expect, hydrated } from './fixtures';
import { linkIn, waitForMail } from './mail';

/** A password that meets every criterion. */
export const PASSWORD = 'Kx9!vTq2#mLpW';

/** Fills the registration form with valid input. */
export async function fillRegistration(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('E-Mail-Adresse *').fill(email);
  await page.getByLabel('Passwort *', { exact: true }).fill(password);
  await page.getByLabel('Passwort wiederholen *').fill(password);
  await page.getByLabel('Ich habe die Nutzungsbedingungen gelesen und akzeptiere sie.').check();
  await page.getByLabel(/Ich willige ein, dass die E-Mail-Adresse/).check();
}

/** Registers `email` through the form and follows the confirmation link from the mail. */
export async function registerConfirmed(page: Page, request: APIRequestContext, email: string): Promise<void> {
  await page.goto('/registrieren');
  await hydrated(page);
  await fillRegistration(page, email);
  await page.getByRole('button', { name: 'Registrieren' }).click();
  await expect(page.getByRole('status')).toContainText('Registrierung erfolgreich');
  await page.goto(linkIn(await waitForMail(request, email), '/registrieren/bestaetigen'));
  await expect(page.getByRole('heading', { name: 'E-Mail-Adresse bestätigt' })).toBeVisible();
}

/**
 * "Abmelden" in the header (on a phone with JavaScript it sits behind "Menü"); ends on
 * the start page.
 */
export async function signOut(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menü' });
  const button = page.getByRole('banner').getByRole('button', { name: 'Abmelden' });
  // On a phone the menu opens once the app has taken over; try again until it shows.
  await expect(async () => {
    if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
    await expect(button).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await button.click();
  await expect(page).toHaveURL(/\/$/);
}

/** The first sign-in step: e-mail address and password. */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/anmelden');
  await page.getByLabel('Benutzername / E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
}

/**
 * The code an authenticator app shows for `secret`, `offset` steps of 30 s from now.
 * The server accepts the neighbouring steps too and each step only once, so a test uses
 * step -1 to enrol, 0 for the next sign-in and +1 after that.
 */
export function totpCode(secret: string, offset = 0): string {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret.replace(/\s+/g, '')), digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + offset * 30_000 });
}

/**
 * Waits out the last seconds of a 30-second step, so that a code of the previous step
 * is still accepted when it reaches the server.
 */
export async function awayFromStepEnd(page: Page): Promise<void> {
  const into = Date.now() % 30_000;
  if (into > 24_000) await page.waitForTimeout(30_000 - into + 250);
}

/** What enrolling an authenticator app leaves the user with. */
export interface TotpEnrolment {
  secret: string;
  recoveryCodes: string[];
}

/** Sets up the authenticator app from the MFA choice page and goes on to the account. */
export async function enrolTotp(page: Page): Promise<TotpEnrolment> {
  await expect(page).toHaveURL(/\/mfa\/einrichten$/);
  // Citizens land on "Mein Konto", staff on their desk.
  return enrolTotpTo(page, /\/(konto|intern)$/);
}

/** Sets up the authenticator app from the MFA choice page; expects to go on to `next`. */
export async function enrolTotpTo(page: Page, next: RegExp): Promise<TotpEnrolment> {
  await page.getByRole('link', { name: 'Authenticator-App einrichten' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Authenticator-App einrichten');
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  await awayFromStepEnd(page);
  await page.getByLabel('Bestätigungscode *').fill(totpCode(secret, -1));
  await page.getByRole('button', { name: 'Bestätigen', exact: true }).click();
  const list = page.getByTestId('recovery-codes');
  await expect(list.getByRole('listitem')).toHaveCount(10);
  const recoveryCodes = (await list.getByRole('listitem').allInnerTexts()).map((c) => c.trim());
  await page.getByRole('link', { name: 'Ich habe die Codes gespeichert – weiter' }).click();
  await expect(page).toHaveURL(next);
  return { secret, recoveryCodes };
}

/** Confirms a sign-in with a code from the app on the second-factor page. */
export async function confirmWithTotp(page: Page, secret: string, offset = 0): Promise<string> {
  await expect(page).toHaveURL(/\/anmelden\/zweiter-faktor/);
  return confirmWithCode(page, totpCode(secret, offset));
}

/** Enters `code` as the code from the app on the second-factor page; returns it. */
export async function confirmWithCode(page: Page, code: string): Promise<string> {
  const section = page.getByRole('region', { name: 'Code aus der Authenticator-App' });
  await section.getByLabel('Sechsstelliger Code *').fill(code);
  await section.getByRole('button', { name: 'Bestätigen', exact: true }).click();
  return code;
}

/** A Chromium virtual authenticator with a platform passkey store and user verification. */
export async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}
