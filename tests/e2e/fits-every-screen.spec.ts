import { expect, test, type Locator, type Page } from '@playwright/test';
import { directConversationId } from '../../protocol';
import { pngOf, uploadPhoto } from './photo-files';
import { api, registerApiUser, type ApiUser } from './api-client';
import { signedInDevice } from './fixtures';
import { chatOnNewest, checkEverySize, FindingLog, HEIGHTS, prepareScreensDir, type Finding } from './layout-check';

/**
 * Issue 13, "Fits every screen": every route, at phone and desktop widths, light and dark, in each
 * state the header can be in (online, reconnecting, offline with pending writes; a refused write and
 * an unread badge throughout), with the hardest text users write (long names, long unbroken words,
 * right-to-left scripts, emoji). Nothing may scroll sideways or stick out of the screen, controls
 * must be at least 44×44 px, and the dark theme must not keep light surfaces. Screenshots of every
 * route land in test-results/screens/ for a person to look at.
 */

const baseUrl = () => test.info().project.use.baseURL ?? '';

/** What the routes below need to know about the data the test made. */
interface Seeded {
  me: ApiUser;
  peer: ApiUser;
  myActivityId: string;
  peerActivityId: string;
  directChatId: string;
  /** An activity of the peer's that they removed me from. */
  removedFromId: string;
}

interface RouteCase {
  name: string;
  path(seeded: Seeded): string;
  /** Something that shows once the screen has rendered what it holds. */
  ready(page: Page): Locator;
  /** What to do on the screen first, to put it in the state to check (a menu open). */
  prepare?(page: Page): Promise<void>;
  /** Checked in the busiest state only: the screen's header is checked by its plain route in the others. */
  busiestOnly?: boolean;
  /** A check of its own at every size, beside the layout's. */
  alsoCheck?(page: Page): Promise<Finding[]>;
}

/** Opens the menu of the message with reactions and a quote, and chooses `action` in it. */
async function chooseOnBusyMessage(page: Page, action: string): Promise<void> {
  const busy = page.getByTestId('message').filter({ has: page.getByTestId('reaction') }).first();
  const toggle = busy.getByTestId('message-actions');
  // The route before may have left this very menu open (same screen, same message).
  if ((await toggle.getAttribute('aria-expanded')) === 'true') await toggle.click();
  await toggle.click();
  await busy.getByRole('menuitem', { name: action, exact: true }).click();
}

/** The signed-in screens; a new screen (notifications, settings) is one more line here. */
const ROUTES: readonly RouteCase[] = [
  { name: 'feed', path: () => '/', ready: (page) => page.getByTestId('activity-card').first() },
  { name: 'activity', path: (s) => `/activities/${s.myActivityId}`, ready: (page) => page.getByRole('list', { name: 'Members' }) },
  { name: 'activity-of-peer', path: (s) => `/activities/${s.peerActivityId}`, ready: (page) => page.getByRole('list', { name: 'Members' }) },
  // The organizer's controls for a co-host with a long name, and the removal's question.
  {
    name: 'activity-manage-member',
    path: (s) => `/activities/${s.myActivityId}`,
    prepare: (page) => page.getByRole('button', { name: `Manage ${PEER_NAME}` }).click(),
    ready: (page) => page.getByRole('group', { name: `Manage ${PEER_NAME}` }),
    busiestOnly: true,
  },
  {
    name: 'activity-remove-member',
    path: (s) => `/activities/${s.myActivityId}`,
    prepare: async (page) => {
      const toggle = page.getByRole('button', { name: `Manage ${PEER_NAME}` });
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      await page.getByRole('button', { name: 'Remove from activity' }).click();
    },
    ready: (page) => page.getByRole('group', { name: `Remove ${PEER_NAME}?` }),
    busiestOnly: true,
  },
  { name: 'activity-removed', path: (s) => `/activities/${s.removedFromId}`, ready: (page) => page.getByTestId('removed-notice') },
  { name: 'activity-new', path: () => '/activities/new', ready: (page) => page.getByRole('button', { name: 'Create activity' }) },
  { name: 'activity-edit', path: (s) => `/activities/${s.myActivityId}/edit`, ready: (page) => page.getByRole('button', { name: 'Save changes' }) },
  { name: 'chat-list', path: () => '/chat', ready: (page) => page.getByTestId('conversation').first() },
  // Messages with reactions, a quote, an edited mark and a deleted one's tombstone.
  { name: 'chat-activity', path: (s) => `/chat/${s.myActivityId}`, ready: (page) => page.getByTestId('message-deleted').first(), alsoCheck: chatOnNewest },
  {
    name: 'chat-reaction-picker',
    path: (s) => `/chat/${s.myActivityId}`,
    prepare: (page) => chooseOnBusyMessage(page, 'React'),
    ready: (page) => page.getByRole('group', { name: 'React with' }),
    busiestOnly: true,
  },
  {
    name: 'chat-replying',
    path: (s) => `/chat/${s.myActivityId}`,
    prepare: (page) => chooseOnBusyMessage(page, 'Reply'),
    ready: (page) => page.getByTestId('replying'),
    busiestOnly: true,
  },
  { name: 'chat-direct', path: (s) => `/chat/${s.directChatId}`, ready: (page) => page.getByTestId('message').first(), alsoCheck: chatOnNewest },
  {
    name: 'chat-report-message',
    path: (s) => `/chat/${s.myActivityId}`,
    prepare: (page) => chooseOnBusyMessage(page, 'Report…'),
    ready: (page) => page.getByTestId('safety-dialog').getByRole('group', { name: 'Why are you reporting it?' }),
    busiestOnly: true,
  },
  {
    name: 'chat-direct-block',
    path: (s) => `/chat/${s.directChatId}`,
    prepare: async (page) => {
      await page.getByTestId('person-safety').click();
      await page.getByTestId('safety-dialog').getByRole('button', { name: 'Block…' }).click();
    },
    ready: (page) => page.getByTestId('confirm-block'),
    busiestOnly: true,
  },
  // Hits in both chats, long unbroken words marked in each.
  { name: 'message-search', path: () => `/chat/search?q=${encodeURIComponent(LONG_WORD)}`, ready: (page) => page.getByTestId('search-hit').first() },
  { name: 'profile', path: (s) => `/profile/${s.me.id}`, ready: (page) => page.locator('.profile-header h1') },
  { name: 'profile-of-peer', path: (s) => `/profile/${s.peer.id}`, ready: (page) => page.getByTestId('person-safety') },
  { name: 'outbox', path: () => '/outbox', ready: (page) => page.getByRole('heading', { level: 1, name: 'Outbox' }) },
  { name: 'notifications', path: () => '/notifications', ready: (page) => page.getByRole('heading', { level: 1, name: 'Notifications' }) },
  { name: 'settings', path: () => '/settings', ready: (page) => page.getByTestId('blocked-users').getByRole('listitem') },
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
  const { id: removedFromId } = await api<{ id: string }>(base, peer, 'POST', '/api/activities', { title: `${PEER_TITLE} 🚪`, startsAt });
  await api(base, me, 'POST', `/api/activities/${removedFromId}/join`);

  const mine = mutationsOf(me);
  const theirs = mutationsOf(peer);
  const directChatId = await directConversationId(me.id, peer.id);
  await theirs.send([{ name: 'conversation.open', args: { id: directChatId, peerId: me.id } }]);
  // Roles: the peer co-hosts my activity, and removed me from one of theirs.
  await mine.send([{ name: 'activity.setRole', args: { id: myActivityId, userId: peer.id, role: 'cohost' } }]);
  await theirs.send([{ name: 'activity.removeMember', args: { id: removedFromId, userId: me.id } }]);
  const message = (conversationId: string, body: string, kind = 'text', id = crypto.randomUUID(), replyToId?: string) => ({
    name: 'message.send',
    args: { id, conversationId, body, kind, ...(replyToId ? { replyToId } : {}) },
  });
  await theirs.send([message(directChatId, RTL_MESSAGE), message(directChatId, LONG_MESSAGE)]);
  await mine.send([message(directChatId, `${LONG_WORD} 👍`), message(myActivityId, `Announcement: ${LONG_MESSAGE}`, 'announcement'), message(myActivityId, RTL_MESSAGE)]);
  const [busyId, goneId, editedId] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  await theirs.send([message(myActivityId, LONG_MESSAGE, 'text', busyId), message(myActivityId, `${RTL_MESSAGE} ${RTL_MESSAGE}`), message(myActivityId, 'Gone soon', 'text', goneId)]);
  // The states a message can be in: reacted to (many emoji, a family and a flag among them),
  // quoted, quoting a deleted one, edited, deleted.
  const react = (id: string, emoji: string) => ({ name: 'message.react', args: { id, emoji, on: true } });
  await theirs.send([...['👍', '🎉', '😂', '❤️', '😮', '😢', '👨‍👩‍👧‍👦', '🇵🇹'].map((emoji) => react(busyId, emoji)), { name: 'message.delete', args: { id: goneId } }]);
  await mine.send([
    react(busyId, '👍'),
    message(myActivityId, `${RTL_MESSAGE} ${LONG_WORD}`, 'text', crypto.randomUUID(), busyId),
    message(myActivityId, 'Replying to what was deleted', 'text', crypto.randomUUID(), goneId),
    message(myActivityId, 'Typo', 'text', editedId),
    { name: 'message.edit', args: { id: editedId, body: `Fixed: ${LONG_MESSAGE}` } },
  ]);
  // Photos: a wide one with a long caption in the room, a tall one alone in the direct chat.
  const wide = await uploadPhoto(base, peer, pngOf(1600, 1200), { width: 1600, height: 1200 });
  const tall = await uploadPhoto(base, peer, pngOf(600, 1600), { width: 600, height: 1600 });
  await theirs.send([
    { name: 'message.send', args: { id: crypto.randomUUID(), conversationId: myActivityId, body: LONG_MESSAGE, kind: 'text', photo: wide } },
    { name: 'message.send', args: { id: crypto.randomUUID(), conversationId: directChatId, body: '', kind: 'text', photo: tall } },
  ]);
  // An announcement in the peer's room puts a long, right-to-left notification in my notification center.
  await theirs.send([message(peerActivityId, `${RTL_MESSAGE} ${LONG_MESSAGE}`, 'announcement')]);
  // Someone blocked, with a long name, for the settings' list (no one whose messages the walk shows).
  const stranger = await registerApiUser(base, "Wolfeschlegelsteinhausenbergerdorff 🌍 Okafor");
  await mine.send([{ name: 'user.block', args: { userId: stranger.id, blocked: true } }]);
  // Many unread in the peer's room, which the walk never opens: the header's badge shows throughout.
  await theirs.send(Array.from({ length: 100 }, (_, i) => message(peerActivityId, `${i + 1}: ${RTL_MESSAGE}`)));
  return { me, peer, myActivityId, peerActivityId, directChatId, removedFromId };
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

/**
 * Every route in the current state. Screenshots: every route in the busiest state (`main`), the
 * feed alone in the others (enough to see the header).
 */
async function walkEveryRoute(page: Page, log: FindingLog, seeded: Seeded, state: string, main: boolean): Promise<void> {
  for (const route of ROUTES) {
    if (route.busiestOnly && !main) continue;
    await page.setViewportSize({ width: 390, height: HEIGHTS[390] });
    await navigate(page, route.path(seeded));
    await route.prepare?.(page);
    await expect(route.ready(page), `${route.name} (${state}) renders`).toBeVisible();
    const screen = main ? route.name : `${route.name}-${state}`;
    await checkEverySize(page, log, screen, { screenshots: main || route.name === 'feed', alsoCheck: route.alsoCheck });
  }
}

test.beforeAll(prepareScreensDir);

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
