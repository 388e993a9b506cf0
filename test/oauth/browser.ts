// Debian's chromium driven by playwright-core for the hosted-UI tests: a fresh profile per
// browser, a real little web server standing in for the application (its callback and signed-out
// pages), and screenshots written to test-artifacts/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/** The application's side: `http://localhost:<port>`, answering every path, remembering each URL. */
export interface TestApp {
  origin: string;
  callback: string;
  signedOut: string;
  /** URLs the browser brought to the app, in order. */
  visits: string[];
  close(): Promise<void>;
}

export async function startApp(): Promise<TestApp> {
  const visits: string[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/favicon.ico') return void res.writeHead(404).end();
    visits.push(`${origin}${req.url}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><title>app</title><p>back in the app</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(server.address() as { port: number }).port}`;
  return {
    origin,
    callback: `${origin}/callback`,
    signedOut: `${origin}/signed-out`,
    visits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(opts: { locale?: string } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    locale: opts.locale ?? 'en-US',
    viewport: { width: 900, height: 760 },
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(SHOTS, { recursive: true });
  return {
    context,
    page,
    shot: async (name) => void (await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
