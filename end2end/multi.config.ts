import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The journeys of the browser tests through nginx in front of two server instances on
// one PostgreSQL (bench/multi-instance.sh starts them all; nothing is started here).
export default defineConfig({
  ...base,
  webServer: undefined,
  testMatch: ['accounts.spec.ts', 'profile.spec.ts', 'postbox.spec.ts', 'appointments.spec.ts'],
  // This one ages an activation code by editing the browser tests' SQLite file.
  grepInvert: /an expired code says when it expired/,
  projects: base.projects?.filter((p) => p.name === 'desktop'),
  use: { ...base.use, baseURL: process.env.MULTI_BASE_URL },
  retries: 0,
});
