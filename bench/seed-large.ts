import type { Kysely } from 'kysely';
import { directConversationId } from '../protocol';
import { readCurrentSeq } from '../server/db/change-sequence';
import type { ActivityMembersTable, ConversationsTable, Database } from '../server/db/schema';
import { pick, planChatHistory, type SeededConversation } from './lib/seed-chat';

export interface LargeDatasetCounts {
  people: number;
  activities: number;
  members: number;
  likes: number;
  /** Activities whose rooms the viewer joins (their memberships count towards `members`). */
  viewerRooms: number;
  /** Direct conversations between the viewer and as many other people. */
  viewerDirects: number;
  /** Messages in each of the viewer's conversations. */
  messagesPerConversation: number;
}

/**
 * The large account of bench/sync and bench/startup: 150 rooms + 50 direct conversations of 250
 * messages: 50,000 messages, of which the sync feed carries each conversation's newest page (10,000).
 */
export const LARGE_ACCOUNT: LargeDatasetCounts = {
  people: 500,
  activities: 10_000,
  members: 50_000,
  likes: 50_000,
  viewerRooms: 150,
  viewerDirects: 50,
  messagesPerConversation: 250,
};

export interface LargeDataset {
  activities: number;
  members: number;
  likes: number;
  conversations: number;
  messages: number;
  receipts: number;
}

const DAY_MS = 86_400_000;
/** Activities are created over this span before now; their rooms' chat runs from then until now. */
const HISTORY_MS = 30 * DAY_MS;

/**
 * Writes a large, realistic-looking dataset straight into the database (the API would take
 * minutes): `people` users, `activities` public activities each with its chat room, and
 * `members` + `likes` rows spread over them. The viewer joins `viewerRooms` of the rooms and has
 * `viewerDirects` direct conversations, each with `messagesPerConversation` messages from several
 * of its members and their receipts. Every row is stamped with a change position so the sync feed
 * sees it like any other. Every activity is public, so all of it is visible to whoever syncs.
 */
export async function seedLargeDataset(
  db: Kysely<Database>,
  counts: LargeDatasetCounts,
  random: () => number,
  viewerId: string,
): Promise<LargeDataset> {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const newId = () => seededUuid(random);
  const people = Array.from({ length: counts.people }, (_, i) => ({
    id: newId(),
    email: `person${i}@bench.test`,
    displayName: `Person ${i}`,
    // Nobody signs in as these people, so they need no real password hash.
    passwordHash: '00',
    passwordSalt: '00',
    createdAt: iso(now - HISTORY_MS - (counts.people - i) * 60_000),
  }));
  await insertInChunks(db, 'users', people);

  let seq = await readCurrentSeq(db);
  const nextSeq = () => ++seq;
  const activities = Array.from({ length: counts.activities }, (_, i) => {
    const createdAt = iso(now - Math.round((HISTORY_MS * (counts.activities - i)) / counts.activities));
    const position = nextSeq();
    return {
      id: newId(),
      ownerId: pick(random, people).id,
      title: `Activity ${i}: ${['Run', 'Climb', 'Board games', 'Picnic', 'Cycling', 'Choir'][i % 6]}`,
      description: 'A seeded activity with a description long enough to look like a real one, more or less.',
      location: `Place ${i % 97}`,
      startsAt: new Date(now + (i % 500) * 3_600_000).toISOString(),
      endsAt: null,
      capacity: null,
      visibility: 'public' as const,
      memberCount: 1,
      likeCount: 0,
      createdAt,
      updatedAt: createdAt,
      deletedAt: null,
      version: 1,
      seq: position,
      publicSinceSeq: position,
    };
  });
  // Every activity's room is created with it, under its id and at its position.
  const conversations: ConversationsTable[] = activities.map((a) => ({
    id: a.id,
    kind: 'activity',
    activityId: a.id,
    userA: null,
    userB: null,
    createdAt: a.createdAt,
    seq: a.seq,
  }));
  const memberRows: ActivityMembersTable[] = activities.map((a) => ({ activityId: a.id, userId: a.ownerId, role: 'owner', joinedAt: a.createdAt, seq: a.seq }));
  const taken = new Set(memberRows.map((m) => `${m.activityId}:${m.userId}`));
  const join = (activity: (typeof activities)[number], userId: string, joinedAt: number) => {
    taken.add(`${activity.id}:${userId}`);
    activity.memberCount += 1;
    memberRows.push({ activityId: activity.id, userId, role: 'member', joinedAt: iso(joinedAt), seq: nextSeq() });
  };

  // The viewer's rooms: the viewer and a few others join early on; all of them talk afterwards.
  const chatted: SeededConversation[] = [];
  for (const activity of distinctPicks(random, activities, counts.viewerRooms)) {
    const createdAt = Date.parse(activity.createdAt);
    const opensAt = createdAt + (now - createdAt) * 0.05;
    const others = distinctPicks(random, people, 3 + Math.floor(random() * 6)).filter((p) => p.id !== activity.ownerId);
    for (const userId of [viewerId, ...others.map((p) => p.id)]) join(activity, userId, createdAt + random() * (opensAt - createdAt));
    chatted.push({ id: activity.id, organizerId: activity.ownerId, speakers: [activity.ownerId, viewerId, ...others.map((p) => p.id)], opensAt, closesAt: now - 60_000 });
  }
  const likeRows: { activityId: string; userId: string; createdAt: string; seq: number }[] = [];
  const likeTaken = new Set<string>();
  while (memberRows.length < counts.members) {
    const [activity, person] = [pick(random, activities), pick(random, people)];
    if (taken.has(`${activity.id}:${person.id}`)) continue;
    join(activity, person.id, now - 1000);
  }
  while (likeRows.length < counts.likes) {
    const [activity, person] = [pick(random, activities), pick(random, people)];
    const key = `${activity.id}:${person.id}`;
    if (likeTaken.has(key)) continue;
    likeTaken.add(key);
    activity.likeCount += 1;
    likeRows.push({ activityId: activity.id, userId: person.id, createdAt: iso(now - 500), seq: nextSeq() });
  }

  for (const person of distinctPicks(random, people, counts.viewerDirects)) {
    const createdAt = now - Math.round(random() * HISTORY_MS);
    const [userA, userB] = [viewerId, person.id].sort() as [string, string];
    const id = await directConversationId(viewerId, person.id);
    conversations.push({ id, kind: 'direct', activityId: null, userA, userB, createdAt: iso(createdAt), seq: nextSeq() });
    chatted.push({ id, organizerId: null, speakers: [viewerId, person.id], opensAt: createdAt + 1000, closesAt: now - 60_000 });
  }
  const names = new Map(people.map((person) => [person.id, person.displayName]));
  const nameOf = (userId: string) => names.get(userId) ?? 'Viewer';
  const chat = planChatHistory(chatted, counts.messagesPerConversation, random, { nextSeq, newId, nameOf });

  await insertInChunks(db, 'activities', activities);
  await insertInChunks(db, 'conversations', conversations);
  await insertInChunks(db, 'activityMembers', memberRows);
  await insertInChunks(db, 'activityLikes', likeRows);
  await insertInChunks(db, 'messages', chat.messages);
  await insertInChunks(db, 'conversationReceipts', chat.receipts);
  // Every position used above is at most `seq`; the counter moves past them all at once.
  await db.updateTable('changeSequence').set({ value: seq }).where('id', '=', 1).execute();
  return {
    activities: activities.length,
    members: memberRows.length,
    likes: likeRows.length,
    conversations: conversations.length,
    messages: chat.messages.length,
    receipts: chat.receipts.length,
  };
}

/** `count` different items of `list`, chosen at random (`count` must be well below its length). */
function distinctPicks<T>(random: () => number, list: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < count) chosen.add(pick(random, list));
  return [...chosen];
}

async function insertInChunks<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: object[]): Promise<void> {
  const columns = rows[0] ? Object.keys(rows[0]).length : 1;
  // Stay under SQLite's and Postgres's bound-parameter limits.
  const size = Math.max(1, Math.floor(30_000 / columns));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += size) {
      await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
    }
  });
}

/** A version-4 UUID from the benchmark's PRNG, so the ids (and the key order they give) are the same run to run. */
function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 4 }, () => Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A small deterministic PRNG so a benchmark's dataset is the same run to run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
