import { APIRequestContext, expect } from '@playwright/test';

export const SINK = `http://127.0.0.1:${process.env.SMTP_SINK_HTTP_PORT ?? 2527}`;

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** A fresh address for one test. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.org`;
}

/** Waits until the SMTP sink received the `n`-th mail for `to` and returns it. */
export async function waitForMail(request: APIRequestContext, to: string, n = 1): Promise<Mail> {
  let found: Mail[] = [];
  await expect
    .poll(
      async () => {
        const all: Mail[] = await (await request.get(`${SINK}/messages`)).json();
        found = all.filter((m) => m.to.includes(to.toLowerCase()));
        return found.length;
      },
      { timeout: 20_000, message: `mail #${n} for ${to}` },
    )
    .toBeGreaterThanOrEqual(n);
  return found[n - 1];
}

/** Waits until the SMTP sink received a mail for `to` with `subject` and returns it. */
export async function waitForSubject(request: APIRequestContext, to: string, subject: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const all: Mail[] = await (await request.get(`${SINK}/messages`)).json();
        found = all.find((m) => m.to.includes(to.toLowerCase()) && m.subject === subject);
        return found !== undefined;
      },
      { timeout: 20_000, message: `mail "${subject}" for ${to}` },
    )
    .toBe(true);
  return found as Mail;
}

/** The first link in the mail's text whose path starts with `path`. */
export function linkIn(mail: Mail, path: string): string {
  const link = mail.text.split(/\s+/).find((word) => word.startsWith('http') && new URL(word).pathname === path);
  if (!link) throw new Error(`no ${path} link in: ${mail.text}`);
  return link;
}

export interface Sms {
  to: string;
  text: string;
  authorization: string | null;
}

/** Waits until the SMS gateway received the `n`-th SMS for `to` (`+49…`) and returns it. */
export async function waitForSms(request: APIRequestContext, to: string, n = 1): Promise<Sms> {
  let found: Sms[] = [];
  await expect
    .poll(
      async () => {
        const all: Sms[] = await (await request.get(`${SINK}/sms`)).json();
        found = all.filter((m) => m.to === to);
        return found.length;
      },
      { timeout: 20_000, message: `SMS #${n} for ${to}` },
    )
    .toBeGreaterThanOrEqual(n);
  return found[n - 1];
}

/** The six-digit code in an SMS. */
export function codeIn(sms: Sms): string {
  const code = sms.text.match(/\b\d{6}\b/);
  if (!code) throw new Error(`no code in: ${sms.text}`);
  return code[0];
}
