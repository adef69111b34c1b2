import { useEffect, useState } from 'react';
import { describeError } from '../../net/api-error';
import { Avatar } from '../../ui/Avatar';
import { TextField } from '../../ui/Field';
import { useUserSearch } from '../profile/queries';
import { useInviteUser } from './use-invite-user';
import './activity-detail.css';

const SEARCH_DELAY_MS = 250;

function useDebounced(value: string, delayMs: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** For the organizer: find people by name and invite them (to a private activity, or back after a removal). */
export function InvitePanel({ activityId, memberIds }: { activityId: string; memberIds: ReadonlySet<string> }) {
  const [query, setQuery] = useState('');
  const results = useUserSearch(useDebounced(query, SEARCH_DELAY_MS));
  const invite = useInviteUser(activityId);
  const [invited, setInvited] = useState<ReadonlySet<string>>(new Set());

  function inviteUser(userId: string) {
    invite.mutate(userId, { onSuccess: () => setInvited((current) => new Set(current).add(userId)) });
  }

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite people</h2>
      <TextField
        label="Search people by name"
        type="search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder="Start typing a name"
        autoComplete="off"
      />
      {invite.isError && (
        <p className="inline-error" role="alert">
          {describeError(invite.error)}
        </p>
      )}
      {results.data && results.data.length === 0 && query.trim() !== '' && <p className="muted">No one by that name.</p>}
      {results.data && results.data.length > 0 && (
        <ul className="invite-results" aria-label="People found">
          {results.data.map((user) => {
            const alreadyIn = memberIds.has(user.id);
            const done = invited.has(user.id);
            return (
              <li key={user.id}>
                <Avatar userId={user.id} name={user.displayName} size="sm" />
                <span className="member-name" dir="auto">
                  {user.displayName}
                </span>
                {alreadyIn ? (
                  <span className="muted">Going</span>
                ) : (
                  <button
                    type="button"
                    className="button button-secondary button-compact"
                    onClick={() => inviteUser(user.id)}
                    disabled={done || (invite.isPending && invite.variables === user.id)}
                  >
                    {done ? 'Invited' : 'Invite'}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
