import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { directConversationId } from '../../protocol';
import { api, registerApiUser, type ApiUser } from './api-client';
import { signedInDevice } from './fixtures';

/**
 * Issue 13, "Fits every screen": every route, at phone and desktop widths, light and dark, in each
 * state the header can be in (online, reconnecting, offline with pending writes; a refused write and
 * an unread badge throughout), with the hardest text users write (long names, long unbroken words,
 * right-to-left scripts, emoji). Nothing may scroll sideways or stick out of the screen, controls
 * must be at least 44×44 px, and the dark theme must not keep light surfaces. Screenshots of every
 * route land in test-results/screens/ for a person to look at.
 */

const baseUrl = () => test.info().project.use.baseURL ?? '';

const WIDTHS = [320, 360, 390, 412, 1280] as const;
/** Realistic heights for each width (iPhone SE, Galaxy S, iPhone 14, Pixel, laptop). */
const HEIGHTS: Record<(typeof WIDTHS)[number], number> = { 320: 568, 360: 780, 390: 844, 412: 915, 1280: 800 };
const SCREENSHOT_WIDTHS: readonly number[] = [320, 390, 1280];
const SCHEMES = ['light', 'dark'] as const;
const MIN_TARGET = 44;
const SCREENS_DIR = path.join(process.cwd(), 'test-results', 'screens');

/** What the routes below need to know about the data the test made. */
interface Seeded {
  me: ApiUser;
  peer: ApiUser;
  myActivityId: string;
  peerActivityId: string;
  directChatId: string;
}

interface RouteCase {
  name: string;
  path(seeded: Seeded): string;
  /** Something that shows once the screen has rendered what it holds. */
  ready(page: Page): Locator;
}

/** The signed-in screens; a new screen (notifications, settings) is one more line here. */
const ROUTES: readonly RouteCase[] = [
  { name: 'feed', path: () => '/', ready: (page) => page.getByTestId('activity-card').first() },
  { name: 'activity', path: (s) => `/activities/${s.myActivityId}`, ready: (page) => page.getByRole('list', { name: 'Members' }) },
  { name: 'activity-of-peer', path: (s) => `/activities/${s.peerActivityId}`, ready: (page) => page.getByRole('list', { name: 'Members' }) },
  { name: 'activity-new', path: () => '/activities/new', ready: (page) => page.getByRole('button', { name: 'Create activity' }) },
  { name: 'activity-edit', path: (s) => `/activities/${s.myActivityId}/edit`, ready: (page) => page.getByRole('button', { name: 'Save changes' }) },
  { name: 'chat-list', path: () => '/chat', ready: (page) => page.getByTestId('conversation').first() },
  { name: 'chat-activity', path: (s) => `/chat/${s.myActivityId}`, ready: (page) => page.getByTestId('message').first() },
  { name: 'chat-direct', path: (s) => `/chat/${s.directChatId}`, ready: (page) => page.getByTestId('message').first() },
  { name: 'profile', path: (s) => `/profile/${s.me.id}`, ready: (page) => page.locator('.profile-header h1') },
  { name: 'outbox', path: () => '/outbox', ready: (page) => page.getByRole('heading', { level: 1, name: 'Outbox' }) },
  { name: 'notifications', path: () => '/notifications', ready: (page) => page.getByRole('heading', { level: 1, name: 'Notifications' }) },
  { name: 'settings', path: () => '/settings', ready: (page) => page.getByRole('heading', { level: 1, name: 'Settings' }) },
];

// The hardest text people write: a name of one long word, an unbroken 40-letter word, Arabic and
// Hebrew (right to left, mixed with Latin), emoji sequences, a long link.
const MY_NAME = 'Bartholomew Wolfeschlegelsteinhausenbergerdorff';
const PEER_NAME = 'Yael ישראלי נור الهدى 🌍 Okafor';
const LONG_WORD = 'Donaudampfschifffahrtsgesellschaftskapitän';
const MY_TITLE = `🌄 Sunrise ${LONG_WORD} hike — رحلة الفجر إلى الجبل`;
const EDITED_TITLE = `🏔️ ${LONG_WORD}sunrisehikeupthemountainandbackagain`;
const LOCATION = 'Parkplatz-Nord-Eingang-Hauptbahnhof-Kreuzbergstraße-Viktoriapark-Wasserfall-Aussichtsplattform-Treffpunkt-am-großen-Ahornbaum';
const DESCRIPTION = [
  `Bring water 💧👩‍👩‍👧‍👦🏳️‍🌈 and good shoes. ${LONG_WORD}${LONG_WORD}`,
  'נפגשים בשער הצפוני, מביאים מים ונעליים טובות.',
  'نلتقي عند البوابة الشمالية، أحضروا الماء وأحذية جيدة.',
  `Route: https://example.com/maps/${'x'.repeat(90)}?from=north-gate&to=summit`,
].join('\n\n');
const PEER_TITLE = `ערב חידונים 🎲 ${LONG_WORD}quiz night مساء الألغاز`;
const LONG_MESSAGE = `${LONG_WORD}${LONG_WORD} 🎉🎉🎉 https://example.com/${'y'.repeat(80)}`;
const RTL_MESSAGE = 'مرحبا! سأحضر الماء والوجبات الخفيفة 🍉 — שלום, נתראה בשש בבוקר!';

async function seed(): Promise<Seeded> {
  const base = baseUrl();
  const me = await registerApiUser(base, MY_NAME);
  const peer = await registerApiUser(base, PEER_NAME);
  const startsAt = new Date(Date.now() + 48 * 3_600_000).toISOString();
  const { id: myActivityId } = await api<{ id: string }>(base, me, 'POST', '/api/activities', {
    title: MY_TITLE,
    description: DESCRIPTION,
    location: LOCATION,
    startsAt,
    capacity: 12,
  });
  const { id: peerActivityId } = await api<{ id: string }>(base, peer, 'POST', '/api/activities', {
    title: PEER_TITLE,
    description: RTL_MESSAGE,
    location: 'תל אביב–יפו, כיכר דיזנגוף',
    startsAt,
  });
  await api(base, peer, 'POST', `/api/activities/${myActivityId}/join`);
  await api(base, me, 'POST', `/api/activities/${peerActivityId}/join`);
  await api(base, peer, 'PUT', `/api/activities/${myActivityId}/like`);

  const mine = mutationsOf(me);
  const theirs = mutationsOf(peer);
  const directChatId = await directConversationId(me.id, peer.id);
  await theirs.send([{ name: 'conversation.open', args: { id: directChatId, peerId: me.id } }]);
  const message = (conversationId: string, body: string, kind = 'text') => ({ name: 'message.send', args: { id: crypto.randomUUID(), conversationId, body, kind } });
  await theirs.send([message(directChatId, RTL_MESSAGE), message(directChatId, LONG_MESSAGE)]);
  await mine.send([message(directChatId, `${LONG_WORD} 👍`), message(myActivityId, `Announcement: ${LONG_MESSAGE}`, 'announcement'), message(myActivityId, RTL_MESSAGE)]);
  await theirs.send([message(myActivityId, LONG_MESSAGE), message(myActivityId, `${RTL_MESSAGE} ${RTL_MESSAGE}`)]);
  // An announcement in the peer's room puts a long, right-to-left notification in my notification center.
  await theirs.send([message(peerActivityId, `${RTL_MESSAGE} ${LONG_MESSAGE}`, 'announcement')]);
  // Many unread in the peer's room, which the walk never opens: the header's badge shows throughout.
  await theirs.send(Array.from({ length: 100 }, (_, i) => message(peerActivityId, `${i + 1}: ${RTL_MESSAGE}`)));
  return { me, peer, myActivityId, peerActivityId, directChatId };
}

/** Sends mutations as one writer, in order, in one batch. */
function mutationsOf(user: ApiUser) {
  const clientId = crypto.randomUUID();
  let mutationId = 0;
  return {
    async send(mutations: { name: string; args: unknown }[]): Promise<void> {
      const batch = mutations.map((mutation) => ({ clientId, mutationId: ++mutationId, createdAt: new Date().toISOString(), ...mutation }));
      const answer = await api<{ answers: { httpStatus: number }[] }>(baseUrl(), user, 'POST', '/api/mutations/batch', { mutations: batch });
      const refused = answer.answers.filter((a) => a.httpStatus !== 200);
      if (refused.length > 0 || answer.answers.length !== batch.length) throw new Error(`seeding refused: ${JSON.stringify(refused)}`);
    },
  };
}

/** A client-side navigation (the router hears popstate), so the device's database and socket stay as they are. */
async function navigate(page: Page, to: string): Promise<void> {
  await page.evaluate((target) => {
    history.pushState(null, '', target);
    dispatchEvent(new PopStateEvent('popstate', { state: null }));
  }, to);
}

/** One thing wrong, named so a failure says what to fix: the element and, per size, how. */
interface Finding {
  kind: 'scrolls sideways' | 'reaches past the screen' | 'control under 44×44 px or off screen' | 'light surface in the dark theme';
  element: string;
  detail: string;
}

/** Runs in the page: what is wrong with the current screen at the current size. */
function measure({ minTarget, dark }: { minTarget: number; dark: boolean }): Finding[] {
  const vw = window.innerWidth;
  const findings: Finding[] = [];
  const name = (el: Element): string => {
    const classes = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const label = el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? (el.textContent ?? '').trim().slice(0, 30);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes}${label ? ` "${label}"` : ''}`;
  };
  // One pass over the page: each element's box and style read once.
  const boxes = new Map<Element, { rect: DOMRect; style: CSSStyleDeclaration }>();
  const hiddenUnder = new Set<Element>(document.querySelectorAll('dialog:not([open]), .visually-hidden'));
  for (const el of document.querySelectorAll('body *')) {
    if (el.parentElement && hiddenUnder.has(el.parentElement)) {
      hiddenUnder.add(el);
      continue;
    }
    if (hiddenUnder.has(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    boxes.set(el, { rect, style });
  }

  // What an ancestor clips (an ellipsis, a scrolling list) is not on the screen at all.
  const clippedAway = (el: Element, rect: DOMRect) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === 'visible') continue;
      const box = up.getBoundingClientRect();
      if (box.left >= -0.5 && box.right <= vw + 0.5) return true;
      if (rect.right <= box.right + 0.5 && rect.left >= box.left - 0.5) return false;
    }
    return false;
  };

  // Outermost elements past either edge: the ones to fix (their children only follow them).
  const offends = new Set<Element>();
  const outside: Finding[] = [];
  for (const [el, { rect }] of boxes) {
    if ((rect.right > vw + 0.5 || rect.left < -0.5) && !clippedAway(el, rect)) {
      offends.add(el);
      if (!el.parentElement || !offends.has(el.parentElement)) outside.push({ kind: 'reaches past the screen', element: name(el), detail: `${Math.round(rect.left)}→${Math.round(rect.right)}` });
    }
  }
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > vw) findings.push({ kind: 'scrolls sideways', element: 'html', detail: `scrollWidth ${scrollWidth} > ${vw}` });
  findings.push(...outside.slice(0, 15));

  const controls = document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, [role=tab], [role=button], summary');
  for (const el of controls) {
    if (el.classList.contains('skip-link') || hiddenUnder.has(el)) continue;
    const box = boxes.get(el);
    const isCheck = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
    if (!box && !isCheck) continue;
    // A link inside a sentence is exempt (WCAG 2.5.8); the card title's link covers its card through ::after.
    if (el.tagName === 'A' && box?.style.display === 'inline') continue;
    let rect = box?.rect ?? el.getBoundingClientRect();
    // A checkbox is tapped through its label too: measure the two together.
    if (isCheck) {
      for (const label of el.labels ?? []) {
        const r = label.getBoundingClientRect();
        const [left, top] = [Math.min(rect.left, r.left), Math.min(rect.top, r.top)];
        rect = new DOMRect(left, top, Math.max(rect.right, r.right) - left, Math.max(rect.bottom, r.bottom) - top);
      }
      if (rect.width <= 1 || rect.height <= 1) continue;
    }
    const tooSmall = rect.width < minTarget - 0.5 || rect.height < minTarget - 0.5;
    const offScreen = rect.left < -0.5 || rect.right > vw + 0.5;
    if (tooSmall || offScreen) {
      findings.push({ kind: 'control under 44×44 px or off screen', element: name(el), detail: `${Math.round(rect.width)}×${Math.round(rect.height)}${offScreen ? ` at ${Math.round(rect.left)}→${Math.round(rect.right)}` : ''}` });
    }
  }

  if (dark) {
    const surfaces: [Element, CSSStyleDeclaration, DOMRect][] = [[document.body, getComputedStyle(document.body), document.body.getBoundingClientRect()]];
    for (const [el, { rect, style }] of boxes) surfaces.push([el, style, rect]);
    for (const [el, style, rect] of surfaces) {
      // Dots and badges may be bright; surfaces are what the eye reads as the page.
      if (el !== document.body && (rect.width < 24 || rect.height < 24)) continue;
      const match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(style.backgroundColor);
      if (!match) continue;
      const [r, g, b, a = '1'] = match.slice(1);
      if (Number(a) < 0.5) continue;
      const luminance = (0.2126 * Number(r) + 0.7152 * Number(g) + 0.0722 * Number(b)) / 255;
      // The toast deliberately inverts the page's colours.
      if (luminance > 0.6 && !el.closest('.toast')) findings.push({ kind: 'light surface in the dark theme', element: name(el), detail: style.backgroundColor });
    }
  }
  return findings;
}

/** Everything found in the whole walk, grouped by what is wrong and where it shows. */
class FindingLog {
  private readonly seen = new Map<string, string[]>();

  add(where: string, findings: Finding[]): void {
    for (const finding of findings) {
      const key = `${finding.kind}: ${finding.element}`;
      const places = this.seen.get(key) ?? [];
      places.push(`${where} (${finding.detail})`);
      this.seen.set(key, places);
    }
  }

  report(): string[] {
    return [...this.seen].map(([key, places]) => `${key} — ${places.length > 6 ? `${places.slice(0, 6).join(', ')} and ${places.length - 6} more` : places.join(', ')}`);
  }
}

/** Checks the current screen at every width and scheme; screenshots at the phone and desktop widths. */
async function checkEverySize(page: Page, log: FindingLog, screen: string, options: { screenshots: boolean }): Promise<void> {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    // Controls ease their colours: measure the scheme, not the way there.
    await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined))));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHTS[width] });
      log.add(`${screen} ${width} ${scheme}`, await page.evaluate(measure, { minTarget: MIN_TARGET, dark: scheme === 'dark' }));
      if (options.screenshots && SCREENSHOT_WIDTHS.includes(width)) {
        await page.screenshot({ path: path.join(SCREENS_DIR, `${screen}-${width}-${scheme}.png`), fullPage: true, animations: 'disabled' });
      }
    }
  }
}

/**
 * Every route in the current state. Screenshots: every route in the busiest state (`main`), the
 * feed alone in the others (enough to see the header).
 */
async function walkEveryRoute(page: Page, log: FindingLog, seeded: Seeded, state: string, main: boolean): Promise<void> {
  for (const route of ROUTES) {
    await page.setViewportSize({ width: 390, height: HEIGHTS[390] });
    await navigate(page, route.path(seeded));
    await expect(route.ready(page), `${route.name} (${state}) renders`).toBeVisible();
    const screen = main ? route.name : `${route.name}-${state}`;
    await checkEverySize(page, log, screen, { screenshots: main || route.name === 'feed' });
  }
}

test.beforeAll(() => {
  mkdirSync(SCREENS_DIR, { recursive: true });
});

test('the sign-in and sign-up screens fit every width, light and dark', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // Drawn under the notch and home indicator (the sheets pad by the safe areas), and resized, not
  // covered, by the on-screen keyboard.
  const viewport = await page.locator('meta[name="viewport"]').getAttribute('content');
  expect(viewport).toContain('viewport-fit=cover');
  expect(viewport).toContain('interactive-widget=resizes-content');
  const log = new FindingLog();
  await checkEverySize(page, log, 'login', { screenshots: true });
  await page.getByRole('button', { name: 'Create an account' }).click();
  // A refused sign-up shows every field's error at once.
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Display name is required')).toBeVisible();
  await checkEverySize(page, log, 'register', { screenshots: true });
  await context.close();
  expect(log.report(), 'what does not fit (screenshots in test-results/screens/)').toEqual([]);
});

test('every signed-in screen fits every width, light and dark, online, reconnecting and offline with pending and refused writes', async ({ browser }) => {
  // About two minutes on a quiet machine; the margin is for a busy one.
  test.setTimeout(360_000);
  const seeded = await seed();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await signedInDevice(context, seeded.me);
  await expect(page.getByTestId('activity-card').filter({ hasText: LONG_WORD }).first()).toBeVisible();
  // The device holds the newest page of each room, so the count is of those.
  await expect(page.getByTestId('unread-total')).toHaveText(/^\d\d\+?$/);
  const log = new FindingLog();

  // A refused write: an edit made offline, while the same activity was changed elsewhere.
  await navigate(page, `/activities/${seeded.myActivityId}/edit`);
  await expect(page.getByLabel('Title')).toHaveValue(MY_TITLE);
  await context.setOffline(true);
  await page.getByLabel('Title').fill(EDITED_TITLE);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('pending-count')).toHaveText('1 pending');
  await api(baseUrl(), seeded.me, 'PATCH', `/api/activities/${seeded.myActivityId}`, { title: `${MY_TITLE} ✏️` });
  await context.setOffline(false);
  await expect(page.getByTestId('refusal-notice')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('connection')).toHaveText('Online');

  await walkEveryRoute(page, log, seeded, 'online', false);

  // Reconnecting: the network is there, the server does not answer the socket.
  await context.route('**/socket.io/**', (route) => route.abort('connectionrefused'));
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toHaveText('Offline');
  await context.setOffline(false);
  await expect(page.getByTestId('reconnecting')).toBeVisible({ timeout: 15_000 });
  await walkEveryRoute(page, log, seeded, 'reconnecting', false);
  await context.unroute('**/socket.io/**');

  // Offline, with writes waiting: the busiest header there is.
  await context.setOffline(true);
  await expect(page.getByTestId('connection')).toHaveText('Offline');
  await navigate(page, `/activities/${seeded.peerActivityId}`);
  await page.getByRole('button', { name: 'Like' }).click();
  await navigate(page, `/chat/${seeded.directChatId}`);
  const composer = page.getByRole('textbox', { name: 'Message' });
  for (const text of [LONG_MESSAGE, RTL_MESSAGE]) {
    await composer.fill(text);
    await composer.press('Enter');
    await expect(composer).toHaveValue('');
  }
  await expect(page.getByTestId('pending-count')).toHaveText('3 pending');
  await walkEveryRoute(page, log, seeded, 'offline', true);

  // Signing out with changes unsent asks first: the question fits too.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('dialog', { name: /changes not sent yet/ })).toBeVisible();
  await checkEverySize(page, log, 'sign-out-dialog', { screenshots: true });
  await page.getByRole('button', { name: 'Stay' }).click();
  await context.close();
  expect(log.report(), 'what does not fit (screenshots in test-results/screens/)').toEqual([]);
});
