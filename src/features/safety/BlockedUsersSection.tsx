import { useBlockedUsers } from '../../data/block-queries';
import { useOutbox } from '../../outbox/outbox-context';
import { Avatar } from '../../ui/Avatar';
import { writeBlock } from './safety-writes';
import './safety.css';

/** Settings: the people this user blocks, each with Unblock (synced to every device of theirs). */
export function BlockedUsersSection() {
  const blocked = useBlockedUsers();
  const outbox = useOutbox();
  return (
    <section className="card settings-card" aria-labelledby="blocked-heading" data-testid="blocked-users">
      <h2 id="blocked-heading" className="settings-legend">
        Blocked people
      </h2>
      {blocked === undefined ? null : blocked.length === 0 ? (
        <p className="muted">You haven’t blocked anyone. Block someone from a chat, a message’s menu or their profile.</p>
      ) : (
        <ul className="blocked-list">
          {blocked.map((person) => (
            <li key={person.userId} className="blocked-person">
              <Avatar userId={person.userId} name={person.displayName} size="sm" />
              <span className="blocked-name" dir="auto">
                {person.displayName || 'Someone'}
              </span>
              <button type="button" className="button button-secondary" onClick={() => writeBlock(outbox, person.userId, false)}>
                Unblock<span className="visually-hidden"> {person.displayName}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
