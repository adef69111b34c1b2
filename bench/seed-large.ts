import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { readCurrentSeq } from '../server/db/change-sequence';
import type { Database } from '../server/db/schema';

export interface LargeDataset {
  activities: number;
  members: number;
  likes: number;
}

/**
 * Writes a large, realistic-looking dataset straight into the database (the API would take
 * minutes): `people` users, `activities` public activities, and `members` + `likes` rows spread
 * over them, every row stamped with a change position so the sync feed sees it like any other.
 * Every activity is public, so all of it is visible to whoever syncs.
 */
export async function seedLargeDataset(
  db: Kysely<Database>,
  counts: { people: number; activities: number; members: number; likes: number },
  random: () => number,
): Promise<LargeDataset> {
  const now = Date.now();
  const at = (offsetMs: number) => new Date(now - offsetMs).toISOString();
  const people = Array.from({ length: counts.people }, (_, i) => ({
    id: randomUUID(),
    email: `person${i}@bench.test`,
    displayName: `Person ${i}`,
    // Nobody signs in as these people, so they need no real password hash.
    passwordHash: '00',
    passwordSalt: '00',
    createdAt: at(counts.people - i),
  }));
  await insertInChunks(db, 'users', people);

  let seq = await readCurrentSeq(db);
  const activities = Array.from({ length: counts.activities }, (_, i) => {
    seq += 1;
    const owner = people[Math.floor(random() * people.length)]!;
    return {
      id: randomUUID(),
      ownerId: owner.id,
      title: `Activity ${i}: ${['Run', 'Climb', 'Board games', 'Picnic', 'Cycling', 'Choir'][i % 6]}`,
      description: 'A seeded activity with a description long enough to look like a real one, more or less.',
      location: `Place ${i % 97}`,
      startsAt: new Date(now + (i % 500) * 3_600_000).toISOString(),
      endsAt: null,
      capacity: null,
      visibility: 'public' as const,
      memberCount: 1,
      likeCount: 0,
      createdAt: at(counts.activities - i),
      updatedAt: at(counts.activities - i),
      deletedAt: null,
      version: 1,
      seq,
      publicSinceSeq: seq,
    };
  });
  const memberRows: { activityId: string; userId: string; role: 'owner' | 'member'; joinedAt: string; seq: number }[] = activities.map(
    (a) => ({ activityId: a.id, userId: a.ownerId, role: 'owner', joinedAt: a.createdAt, seq: a.seq }),
  );
  const taken = new Set(memberRows.map((m) => `${m.activityId}:${m.userId}`));
  const likeRows: { activityId: string; userId: string; createdAt: string; seq: number }[] = [];
  const likeTaken = new Set<string>();
  const pick = () => [activities[Math.floor(random() * activities.length)]!, people[Math.floor(random() * people.length)]!] as const;
  while (memberRows.length < counts.members) {
    const [activity, person] = pick();
    const key = `${activity.id}:${person.id}`;
    if (taken.has(key)) continue;
    taken.add(key);
    activity.memberCount += 1;
    memberRows.push({ activityId: activity.id, userId: person.id, role: 'member', joinedAt: at(1000), seq: ++seq });
  }
  while (likeRows.length < counts.likes) {
    const [activity, person] = pick();
    const key = `${activity.id}:${person.id}`;
    if (likeTaken.has(key)) continue;
    likeTaken.add(key);
    activity.likeCount += 1;
    likeRows.push({ activityId: activity.id, userId: person.id, createdAt: at(500), seq: ++seq });
  }
  await insertInChunks(db, 'activities', activities);
  await insertInChunks(db, 'activityMembers', memberRows);
  await insertInChunks(db, 'activityLikes', likeRows);
  await db.updateTable('changeSequence').set({ value: seq }).where('id', '=', 1).execute();
  return {
    activities: activities.length,
    members: memberRows.length,
    likes: likeRows.length,
  };
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
