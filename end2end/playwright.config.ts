import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

// The browser tests drive Debian's Chromium (never a downloaded browser) against the
// server binary built by `make test`, on its own port with a fresh SQLite database.
const root = path.resolve(__dirname, '..');
const port = Number(process.env.E2E_PORT ?? 3117);
const baseURL = `http://localhost:${port}`;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// A second run (another port and E2E_DATA_DIR) can go on beside this one.
const dataDir = process.env.E2E_DATA_DIR ?? path.join(root, 'target', 'e2e-data');
const smtpPort = Number(process.env.SMTP_SINK_PORT ?? 2526);
const sinkHttpPort = Number(process.env.SMTP_SINK_HTTP_PORT ?? 2527);

export default defineConfig({
  testDir: './tests',
  outputDir: path.join(root, 'target', 'playwright-results'),
  timeout: 60_000,
  // A hung run fails with a report instead of using up the CI time.
  globalTimeout: 25 * 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // One retry: a test that fails twice fails the run; one that passes on retry is listed as flaky.
  retries: 1,
  reporter: [['list'], ['html', { open: 'never', outputFolder: path.join(root, 'target', 'playwright-report') }]],
  use: {
    baseURL,
    locale: 'de-DE',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { browserName: 'chromium', viewport: { width: 1280, height: 900 } } },
    { name: 'phone', use: { ...devices['Pixel 7'], browserName: 'chromium' } },
  ],
  webServer: [
    {
      // A real SMTP server and SMS gateway that keep what the portal sends (tests read links and codes).
      command: `node "${path.join(__dirname, 'support', 'smtp-sink.mjs')}"`,
      url: `http://127.0.0.1:${sinkHttpPort}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: { SMTP_SINK_PORT: String(smtpPort), SMTP_SINK_HTTP_PORT: String(sinkHttpPort) },
    },
    {
      command: `rm -rf "${dataDir}" && mkdir -p "${dataDir}" && exec "${path.join(root, 'target', 'debug', 'server')}" serve`,
      cwd: root,
      url: `${baseURL}/readyz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        APP_ENV: 'development',
        DATABASE_URL: `sqlite://${dataDir}/portal.db`,
        BIND_ADDR: `127.0.0.1:${port}`,
        PUBLIC_URL: baseURL,
        LEPTOS_SITE_ROOT: path.join(root, 'target', 'site'),
        DEMO_SEED: 'true',
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        SMS_GATEWAY_URL: `http://127.0.0.1:${sinkHttpPort}/sms`,
        SMS_GATEWAY_AUTHORIZATION: 'Bearer e2e',
        RUST_LOG: 'warn',
      },
    },
  ],
});
