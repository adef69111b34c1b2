import { expect, test, type Page } from '@playwright/test';
import { api, registerApiUser } from './api-client';
import { signInViaForm, waitForServiceWorker } from './fixtures';

/**
 * Rally's pages run under its Content-Security-Policy (server/http/security-headers.ts: scripts
 * from its own origin only, no eval) without one violation. A violation is a refused action: an
 * issue in DevTools, a failed best-practices audit in Lighthouse, and, where the refused thing
 * mattered, a broken feature. Zod, for one, tries `Function('')` once unless it was configured
 * first (src/net/zod-without-eval.ts); a chunk that built schemas before that did so on every load.
 */
test('sign-in, feed, activity, chat, chat list and settings load without a Content-Security-Policy violation', async ({ browser }) => {
  const base = test.info().project.use.baseURL ?? '';
  const user = await registerApiUser(base, 'Strict Policy');
  const { id } = await api<{ id: string }>(base, user, 'POST', '/api/activities', { title: 'Policy walk', startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString() });

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  // Reported through the console, so a navigation loses none.
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) => console.log(`csp-violation ${event.violatedDirective} ${event.blockedURI || '(inline)'} ${event.sourceFile}:${event.lineNumber}`)),
  );
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('csp-violation')) violations.push(`${page.url()}: ${message.text()}`);
  });
  // The socket, the analytics engine and other parts load after the first screen shows.
  const settle = async (p: Page, signedIn = true) => {
    if (signedIn) await expect(p.getByTestId('connection')).toHaveText(/Online/);
    await p.waitForTimeout(1_500);
  };

  await page.goto('/login');
  await settle(page, false);
  await signInViaForm(page, user.email, user.password);
  await waitForServiceWorker(page);
  await settle(page);
  for (const path of ['/', `/activities/${id}`, `/chat/${id}`, '/chat', '/settings']) {
    await page.goto(path);
    await expect(page.getByRole('main')).toBeVisible();
    await settle(page);
  }
  expect(violations).toEqual([]);
  await context.close();
});
