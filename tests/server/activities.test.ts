import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureInstant, registerUser, request, startTestServer, type TestServer, type TestUser } from './harness';

describe('activities', () => {
  let server: TestServer;
  let owner: TestUser;
  let other: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    owner = await registerUser(server, 'Owner');
    other = await registerUser(server, 'Other');
  });
  afterAll(async () => server.close());

  async function createActivity(user: TestUser, fields: Record<string, unknown> = {}) {
    const response = await request(server, 'POST', '/api/activities', {
      token: user.token,
      body: { title: 'Morning run', startsAt: futureInstant(), ...fields },
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  it('creates an activity with the owner as its first member and version 1', async () => {
    const activity = await createActivity(owner, { description: 'Easy 5k', location: 'Park', capacity: 10 });
    expect(activity).toMatchObject({
      title: 'Morning run',
      ownerId: owner.id,
      ownerName: 'Owner',
      memberCount: 1,
      likeCount: 0,
      version: 1,
      visibility: 'public',
      viewer: { isOwner: true, joined: true, liked: false },
    });
    const members = await request(server, 'GET', `/api/activities/${activity.id}/members`, { token: other.token });
    expect(members.body.items).toEqual([expect.objectContaining({ userId: owner.id, role: 'owner', displayName: 'Owner' })]);
  });

  it("answers a create with the view its organizer reads back, whatever fields were left out", async () => {
    // The create builds its answer from the row it inserted rather than reading it back: a GET must agree.
    const variants = [{}, { description: 'Easy 5k', location: 'Park', capacity: 10, endsAt: futureInstant(26) }, { visibility: 'private' }, { capacity: null, endsAt: null }];
    for (const fields of variants) {
      const created = await createActivity(owner, fields);
      const read = await request(server, 'GET', `/api/activities/${created.id}`, { token: owner.token });
      expect(read.status).toBe(200);
      expect(created).toEqual(read.body);
    }
  });

  it('lets only the owner edit and delete; the version grows on every change', async () => {
    const activity = await createActivity(owner);
    const forbiddenEdit = await request(server, 'PATCH', `/api/activities/${activity.id}`, {
      token: other.token,
      body: { title: 'Hijacked' },
    });
    expect(forbiddenEdit.status).toBe(403);
    expect(forbiddenEdit.body.error.code).toBe('forbidden');
    const forbiddenDelete = await request(server, 'DELETE', `/api/activities/${activity.id}`, { token: other.token });
    expect(forbiddenDelete.status).toBe(403);

    const edited = await request(server, 'PATCH', `/api/activities/${activity.id}`, {
      token: owner.token,
      body: { title: 'Evening run', baseVersion: 1 },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'Evening run', version: 2 });

    const deleted = await request(server, 'DELETE', `/api/activities/${activity.id}`, { token: owner.token });
    expect(deleted.status).toBe(204);
    const gone = await request(server, 'GET', `/api/activities/${activity.id}`, { token: owner.token });
    expect(gone.status).toBe(404);
    const feed = await request(server, 'GET', '/api/activities?scope=feed&limit=100', { token: other.token });
    expect(feed.body.items.map((a: { id: string }) => a.id)).not.toContain(activity.id);
  });

  it('answers an edit based on a stale version with 409 and the current copy', async () => {
    const activity = await createActivity(owner);
    await request(server, 'PATCH', `/api/activities/${activity.id}`, { token: owner.token, body: { title: 'First', baseVersion: 1 } });
    const stale = await request(server, 'PATCH', `/api/activities/${activity.id}`, {
      token: owner.token,
      body: { title: 'Second', baseVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.error.current).toMatchObject({ title: 'First', version: 2 });
  });

  it('joins and leaves, counts members, and is idempotent', async () => {
    const activity = await createActivity(owner);
    const joined = await request(server, 'POST', `/api/activities/${activity.id}/join`, { token: other.token });
    expect(joined.body).toMatchObject({ memberCount: 2, version: 2, viewer: { joined: true } });
    const again = await request(server, 'POST', `/api/activities/${activity.id}/join`, { token: other.token });
    expect(again.body).toMatchObject({ memberCount: 2, version: 2 });

    const left = await request(server, 'DELETE', `/api/activities/${activity.id}/join`, { token: other.token });
    expect(left.body).toMatchObject({ memberCount: 1, version: 3, viewer: { joined: false } });

    const ownerLeaves = await request(server, 'DELETE', `/api/activities/${activity.id}/join`, { token: owner.token });
    expect(ownerLeaves.status).toBe(409);
    expect(ownerLeaves.body.error.code).toBe('owner_cannot_leave');
  });

  it('never lets concurrent joins exceed the capacity', async () => {
    const activity = await createActivity(owner, { capacity: 3 });
    const joiners = await Promise.all(Array.from({ length: 6 }, (_, i) => registerUser(server, `Joiner ${i}`)));
    const results = await Promise.all(
      joiners.map((joiner) => request(server, 'POST', `/api/activities/${activity.id}/join`, { token: joiner.token })),
    );
    const accepted = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    expect(accepted).toHaveLength(2);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.body.error.code).toBe('capacity_full');
    const final = await request(server, 'GET', `/api/activities/${activity.id}`, { token: owner.token });
    expect(final.body.memberCount).toBe(3);
    const members = await request(server, 'GET', `/api/activities/${activity.id}/members`, { token: owner.token });
    expect(members.body.items).toHaveLength(3);
  });

  it('counts likes once per user', async () => {
    const activity = await createActivity(owner);
    const liked = await request(server, 'PUT', `/api/activities/${activity.id}/like`, { token: other.token });
    expect(liked.body).toMatchObject({ likeCount: 1, viewer: { liked: true } });
    await request(server, 'PUT', `/api/activities/${activity.id}/like`, { token: other.token });
    const ownerView = await request(server, 'GET', `/api/activities/${activity.id}`, { token: owner.token });
    expect(ownerView.body).toMatchObject({ likeCount: 1, viewer: { liked: false } });
    const unliked = await request(server, 'DELETE', `/api/activities/${activity.id}/like`, { token: other.token });
    expect(unliked.body).toMatchObject({ likeCount: 0, viewer: { liked: false } });
  });

  it('shows a private activity only to its owner, members and invitees', async () => {
    const stranger = await registerUser(server, 'Stranger');
    const invitee = await registerUser(server, 'Invitee');
    const activity = await createActivity(owner, { title: 'Secret dinner', visibility: 'private' });

    expect((await request(server, 'GET', `/api/activities/${activity.id}`, { token: stranger.token })).status).toBe(404);
    expect((await request(server, 'POST', `/api/activities/${activity.id}/join`, { token: stranger.token })).status).toBe(404);
    expect((await request(server, 'GET', `/api/activities/${activity.id}/members`, { token: stranger.token })).status).toBe(404);
    const strangerFeed = await request(server, 'GET', '/api/activities?limit=100', { token: stranger.token });
    expect(strangerFeed.body.items.map((a: { id: string }) => a.id)).not.toContain(activity.id);

    const notOwnerInvite = await request(server, 'POST', `/api/activities/${activity.id}/invites`, {
      token: stranger.token,
      body: { userId: stranger.id },
    });
    expect(notOwnerInvite.status).toBe(404);

    const invite = await request(server, 'POST', `/api/activities/${activity.id}/invites`, {
      token: owner.token,
      body: { userId: invitee.id },
    });
    expect(invite.status).toBe(201);
    const seen = await request(server, 'GET', `/api/activities/${activity.id}`, { token: invitee.token });
    expect(seen.body).toMatchObject({ title: 'Secret dinner', viewer: { invited: true, joined: false } });
    const joined = await request(server, 'POST', `/api/activities/${activity.id}/join`, { token: invitee.token });
    expect(joined.status).toBe(200);
    expect(joined.body.memberCount).toBe(2);
  });

  it('pages the feed newest first with an opaque cursor', async () => {
    const pager = await registerUser(server, 'Pager');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createActivity(pager, { title: `Paged ${i}` })).id);
    const mine = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/activities?scope=owned-by&userId=${pager.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await request(server, 'GET', query, { token: other.token });
      expect(page.status).toBe(200);
      mine.push(...page.body.items.map((a: { id: string }) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(mine).toEqual([...ids].reverse());
  });

  it('lists "mine" as what the user owns or joined', async () => {
    const me = await registerUser(server, 'Mine');
    const own = await createActivity(me, { title: 'Own' });
    const theirs = await createActivity(owner, { title: 'Theirs' });
    const unrelated = await createActivity(owner, { title: 'Unrelated' });
    await request(server, 'POST', `/api/activities/${theirs.id}/join`, { token: me.token });
    const mine = await request(server, 'GET', '/api/activities?scope=mine&limit=100', { token: me.token });
    const ids = mine.body.items.map((a: { id: string }) => a.id);
    expect(ids).toEqual(expect.arrayContaining([own.id, theirs.id]));
    expect(ids).not.toContain(unrelated.id);
  });

  it('serves public profiles and finds users by name', async () => {
    const profile = await request(server, 'GET', `/api/users/${owner.id}`, { token: other.token });
    expect(profile.body).toMatchObject({ id: owner.id, displayName: 'Owner' });
    expect(profile.body.email).toBeUndefined();
    const found = await request(server, 'GET', '/api/users?q=own', { token: other.token });
    expect(found.body.items.map((u: { id: string }) => u.id)).toContain(owner.id);
    const percent = await request(server, 'GET', '/api/users?q=%25', { token: other.token });
    expect(percent.body.items).toEqual([]);
  });
});
