import { expect, test } from '@playwright/test';
import { registerApiUser } from './api-client';
import { composer, deviceOf, messages, openChat, roomWith, send, sendThroughApi } from './chat-helpers';
import { waitForServiceWorker } from './fixtures';

/** Issues 6 and 13: a conversation's history loads as the reader scrolls back, and the list keeps its place. */

const sharedUrl = () => test.info().project.use.baseURL ?? '';

test('older messages load on scroll, and stay readable offline', async ({ browser }) => {
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const roomId = await roomWith(base, anaUser, [benUser]);
  await sendThroughApi(base, anaUser, roomId, 70, (i) => `Message number ${i}.`);
  const ben = await deviceOf(browser, benUser);
  await waitForServiceWorker(ben.page);
  await openChat(ben.page, roomId);
  // The newest page came with the sync; the first 20 did not.
  await expect(messages(ben.page)).toHaveCount(50);
  await expect(messages(ben.page).first()).toContainText('Message number 21.');
  await ben.page.getByRole('log', { name: 'Messages' }).evaluate((list) => list.scrollTo(0, 0));
  await expect(messages(ben.page)).toHaveCount(70);
  await expect(messages(ben.page).first()).toContainText('Message number 1.');
  await expect(ben.page.getByRole('button', { name: 'Load earlier messages' })).toHaveCount(0);

  // Another room opened from this one, in the same screen: its own history can still be loaded
  // (it came live, a message at a time, so the device cannot know it holds all of it).
  const otherRoomId = await roomWith(base, anaUser, [benUser], `Climbing ${Date.now()}`);
  await sendThroughApi(base, anaUser, otherRoomId, 60, (i) => `Other room ${i}.`);
  await ben.page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate', { state: null }));
  }, `/chat/${otherRoomId}`);
  await expect(messages(ben.page)).toHaveCount(60);
  await expect(ben.page.getByRole('button', { name: 'Load earlier messages' })).toBeVisible();
  await ben.page.goBack();
  await expect(messages(ben.page)).toHaveCount(70);

  await ben.context.setOffline(true);
  await ben.page.reload();
  await expect(messages(ben.page)).toHaveCount(70);
  await expect(messages(ben.page).first()).toContainText('Message number 1.');
  await ben.context.close();
});

test('a chat on its newest message stays there when the screen narrows or the keyboard opens; a reader scrolled up stays put and is told of new messages', async ({ browser }) => {
  const base = sharedUrl();
  const [anaUser, benUser] = [await registerApiUser(base, 'Ana'), await registerApiUser(base, 'Ben')];
  const roomId = await roomWith(base, anaUser, [benUser]);
  await sendThroughApi(base, anaUser, roomId, 30, (i) => `Message ${i}: long enough to wrap onto another line once the screen is narrower.`);
  const ben = await deviceOf(browser, benUser);
  await openChat(ben.page, roomId);
  await expect(messages(ben.page)).toHaveCount(30);
  const list = ben.page.getByRole('log', { name: 'Messages' });
  const belowView = () => list.evaluate((element) => Math.round(element.scrollHeight - element.scrollTop - element.clientHeight));
  await expect.poll(belowView).toBeLessThanOrEqual(2);

  // A phone-sized screen: the messages wrap onto more lines below the same offset.
  await ben.page.setViewportSize({ width: 320, height: 700 });
  await expect.poll(belowView).toBeLessThanOrEqual(2);
  // The on-screen keyboard: the page's content is resized to what stays visible above it.
  await composer(ben.page).focus();
  await ben.page.setViewportSize({ width: 320, height: 420 });
  await expect.poll(belowView).toBeLessThanOrEqual(2);
  await expect(messages(ben.page).last()).toBeInViewport();

  // A menu opened on the newest message, at the list's bottom edge, is brought into view whole.
  await composer(ben.page).blur();
  await ben.page.setViewportSize({ width: 320, height: 568 });
  await expect.poll(belowView).toBeLessThanOrEqual(2);
  await messages(ben.page).last().getByTestId('message-actions').click();
  const menu = ben.page.getByTestId('message-menu');
  await expect(menu.getByRole('menuitem', { name: 'Cancel' })).toBeInViewport();
  await menu.getByRole('menuitem', { name: 'React' }).click();
  await expect(menu.getByRole('button', { name: 'Cancel' })).toBeInViewport();
  await menu.getByRole('button', { name: 'Cancel' }).click();

  // Scrolled up to read: a resize leaves the reader where they were, and so does someone else's
  // new message, which the list announces instead.
  const scrolledTo = () => list.evaluate((element) => element.scrollTop);
  await list.evaluate((element) => element.scrollTo(0, element.scrollHeight / 2));
  await expect.poll(belowView).toBeGreaterThan(100);
  const readingAt = await scrolledTo();
  await ben.page.setViewportSize({ width: 320, height: 700 });
  await expect.poll(belowView).toBeGreaterThan(100);
  expect(Math.abs((await scrolledTo()) - readingAt)).toBeLessThanOrEqual(2);
  const newBelow = ben.page.getByRole('button', { name: 'New messages ↓' });
  await expect(newBelow).toHaveCount(0);
  await sendThroughApi(base, anaUser, roomId, 1, () => 'Written while Ben reads back.');
  await expect(messages(ben.page)).toHaveCount(31);
  await expect(newBelow).toBeVisible();
  expect(Math.abs((await scrolledTo()) - readingAt)).toBeLessThanOrEqual(2);
  // Asked for less motion, the way down is a jump, not a glide.
  await ben.page.emulateMedia({ reducedMotion: 'reduce' });
  await newBelow.click();
  expect(await belowView()).toBeLessThanOrEqual(2);
  await expect(newBelow).toHaveCount(0);
  await expect(messages(ben.page).last()).toBeInViewport();

  // The reader's own message takes them to the end, wherever they were.
  await list.evaluate((element) => element.scrollTo(0, 0));
  await expect.poll(belowView).toBeGreaterThan(100);
  await send(ben.page, 'Ben’s own, sent from up in the history.');
  await expect.poll(belowView).toBeLessThanOrEqual(2);
  await expect(messages(ben.page).last()).toContainText('Ben’s own');
  await expect(newBelow).toHaveCount(0);
  await ben.context.close();
});
