import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Page } from '@playwright/test';
import { expect, expectAccessible, hydrated, test } from './fixtures';

// The installable app: manifest, service worker, offline page, and an update to a new
// build (new content-hashed bundle names) that must never leave a stale bundle behind.

const root = path.resolve(__dirname, '..', '..');

/** Waits until a service worker is active for the page, then reloads once. */
async function controlledAfterOneReload(page: Page): Promise<void> {
  await hydrated(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

test('the manifest is valid and linked from every page, with icons that load', async ({ page, request }) => {
  for (const url of ['/', '/anmelden', '/hilfe']) {
    await page.goto(url);
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
    await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', '#173f7a');
    await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute('href', '/icons/apple-touch-icon.png');
  }
  const response = await request.get('/manifest.webmanifest');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/manifest+json');
  const manifest = await response.json();
  expect(manifest).toMatchObject({
    name: 'Jobcenter digital',
    short_name: 'Jobcenter',
    lang: 'de',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: '#173f7a',
    background_color: '#ffffff',
  });
  expect(manifest.description).toContain('Jobcenter');
  expect(manifest.shortcuts.map((s: { url: string }) => s.url)).toEqual(['/postfach', '/termine']);
  const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes}:${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']));
  for (const icon of [...manifest.icons, { src: '/icons/apple-touch-icon.png' }]) {
    const file = await request.get(icon.src);
    expect(file.status(), icon.src).toBe(200);
  }
});

test('the service worker controls the page after one reload; offline the offline page appears', async ({ page, context }) => {
  await page.goto('/');
  await controlledAfterOneReload(page);
  await context.setOffline(true);
  await page.goto('/anmelden');
  await expect(page).toHaveURL(/\/offline\?zurueck=%2Fanmelden$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sie sind offline');
  await expect(page.getByText('Sie sind offline. Diese Seite kann gerade nicht geladen werden')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Erneut versuchen' })).toBeVisible();
  await expectAccessible(page);
  await context.setOffline(false);
  await hydrated(page);
  await expect(page.getByRole('link', { name: 'Erneut versuchen' })).toHaveAttribute('href', '/anmelden');
  await page.getByRole('link', { name: 'Erneut versuchen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anmeldung');
});

test('the worker keeps only the app shell: no page, server-function answer or download', async ({ page }) => {
  await page.goto('/');
  await controlledAfterOneReload(page);
  await page.goto('/anmelden');
  await page.goto('/hilfe');
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const key of await caches.keys()) {
      const cache = await caches.open(key);
      for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  const bundle = await page.locator('link[rel="modulepreload"]').getAttribute('href');
  expect(cached).toContain('/offline');
  expect(cached).toContain(bundle);
  for (const url of cached) {
    expect(url, `${url} should not be cached`).toMatch(/^\/(offline|pkg\/.+|favicon\.svg|icons\/.+|manifest\.webmanifest)$/);
  }
});

// --- an update to a new build -------------------------------------------------------

/** A server of its own on `port`, serving the bundle in `site` named by `hashFile`. */
class OwnServer {
  private process?: ChildProcess;

  constructor(
    private readonly dir: string,
    private readonly port: number,
    private readonly database: string,
  ) {}

  async start(site: string, hashes: string): Promise<void> {
    // The server reads hash.txt next to its executable: a hard link per build.
    const bin = path.join(this.dir, 'bin');
    fs.rmSync(bin, { recursive: true, force: true });
    fs.mkdirSync(bin, { recursive: true });
    fs.linkSync(path.join(root, 'target', 'debug', 'server'), path.join(bin, 'server'));
    fs.writeFileSync(path.join(bin, 'hash.txt'), hashes);
    this.process = spawn(path.join(bin, 'server'), ['serve'], {
      cwd: root,
      stdio: 'ignore',
      env: {
        ...process.env,
        APP_ENV: 'development',
        DATABASE_URL: `sqlite://${this.database}`,
        BIND_ADDR: `127.0.0.1:${this.port}`,
        PUBLIC_URL: `http://localhost:${this.port}`,
        LEPTOS_SITE_ROOT: site,
        SMTP_URL: 'smtp://127.0.0.1:9',
        RUST_LOG: 'error',
      },
    });
    for (let i = 0; i < 100; i++) {
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/readyz`);
        if (response.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`own server on port ${this.port} did not start`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Copies the built site with new bundle names (and a changed stylesheet): "build 2". */
function secondBuild(dir: string): { site: string; hashes: string; names: Record<string, string> } {
  const hashes = fs.readFileSync(path.join(root, 'target', 'debug', 'hash.txt'), 'utf8');
  const site = path.join(dir, 'site-2');
  fs.rmSync(site, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'target', 'site'), site, { recursive: true });
  const names: Record<string, string> = {};
  const lines = hashes
    .trim()
    .split('\n')
    .map((line) => {
      const [kind, hash] = line.split(':').map((s) => s.trim());
      const next = `build2${hash.slice(6)}`;
      const from = path.join(site, 'pkg', `portal.${hash}.${kind}`);
      const to = path.join(site, 'pkg', `portal.${next}.${kind}`);
      fs.renameSync(from, to);
      if (kind === 'css') fs.appendFileSync(to, '\n/* build 2 */\n');
      names[kind] = `/pkg/portal.${next}.${kind}`;
      return `${kind}: ${next}`;
    });
  return { site, hashes: lines.join('\n') + '\n', names };
}

test('after a new build is deployed the page loads the new bundle and offers the update', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const dir = path.join(root, 'target', 'tmp', `pwa-update-${testInfo.project.name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const port = 3140 + testInfo.parallelIndex + (testInfo.project.name === 'phone' ? 10 : 0);
  const server = new OwnServer(dir, port, path.join(dir, 'portal.db'));
  const first = fs.readFileSync(path.join(root, 'target', 'debug', 'hash.txt'), 'utf8');
  const second = secondBuild(dir);
  const context = await browser.newContext({ baseURL: `http://localhost:${port}` });
  const page = await context.newPage();
  try {
    await server.start(path.join(root, 'target', 'site'), first);
    await page.goto('/');
    await controlledAfterOneReload(page);
    const before = await page.locator('link[rel="modulepreload"]').getAttribute('href');
    expect(before).not.toBe(second.names.js);
    await expect(page.getByText('Neue Version verfügbar')).toHaveCount(0);

    // Deploy build 2 on the same address.
    await server.stop();
    await server.start(second.site, second.hashes);
    await page.reload();
    // The page comes from the network: it names and loads the new bundle, never the old one.
    await expect(page.locator('link[rel="modulepreload"]')).toHaveAttribute('href', second.names.js);
    await hydrated(page);
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    expect(loaded).toContain(second.names.wasm);
    expect(loaded).not.toContain(before);

    // The new worker waits; the page offers it.
    await expect(page.getByText('Neue Version verfügbar')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Neu laden' }).click();
    await expect
      .poll(async () =>
        // The page reloads once the new version has taken over: ask again then.
        page.evaluate(async () => {
          const keys = await caches.keys();
          const urls: string[] = [];
          for (const key of keys) {
            for (const request of await (await caches.open(key)).keys()) urls.push(new URL(request.url).pathname);
          }
          return { keys: keys.length, urls };
        }).catch(() => null),
      )
      .toEqual(expect.objectContaining({ keys: 1, urls: expect.arrayContaining([second.names.js, second.names.wasm, second.names.css]) }));
    await hydrated(page);
    await expect(page.getByText('Neue Version verfügbar')).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ihr Jobcenter online');
  } finally {
    await context.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the start page offers the app and a QR code to open the portal on a phone', async ({ page, baseURL }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 2, name: 'Ihr Jobcenter auf dem Handy' })).toBeVisible();
  await expect(page.getByText('Zum Home-Bildschirm', { exact: false })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Auf dem Handy öffnen' })).toBeVisible();
  const qr = page.getByRole('img', { name: /QR-Code mit der Adresse des Portals/ });
  await expect(qr).toBeVisible();
  await expect(qr).toHaveAttribute('aria-label', new RegExp(String(baseURL).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect(qr.locator('svg')).toBeVisible();
});
