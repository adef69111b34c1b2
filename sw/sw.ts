/// <reference lib="webworker" />
// Rally's service worker entry. Each concern (the shell, navigations, the queues of mutations and
// sign-outs) lives in its own file and is wired up here, so a new one goes beside them.
import { clientsClaim } from 'workbox-core';
import type { PrecacheEntry } from 'workbox-precaching';
import { precacheAppShell } from './precache';
import { routeNavigationsToAppShell } from './navigation';
import { cacheImagesFirst } from './image-cache';
import { cachePhotosFirst } from './photo-cache';
import { listenToPageMessages } from './page-messages';
import { routeMutationsThroughOutbox } from './outbox';
import { routeSignOutsThroughQueue } from './sign-outs';
import { listenToPushes } from './push';
import { listenToNotificationClicks } from './notification-click';
import { listenToSubscriptionChanges } from './push-subscription-change';
import { listenToTestHooks } from './test-hooks';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (PrecacheEntry | string)[];
};

// `self.__WB_MANIFEST` must appear literally: the build replaces it with the precache list.
precacheAppShell(self.__WB_MANIFEST);
routeNavigationsToAppShell();
cacheImagesFirst();
cachePhotosFirst();
routeSignOutsThroughQueue();
routeMutationsThroughOutbox();
listenToPageMessages(self);
listenToPushes(self);
listenToNotificationClicks(self);
listenToSubscriptionChanges(self);
listenToTestHooks(self);

// A new worker takes over pages already open once it activates (after the user chose "Reload"),
// so they do not keep talking to a worker whose precache is gone.
clientsClaim();
