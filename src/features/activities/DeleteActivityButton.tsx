import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../ui/feedback';
import { useWrite } from './mutations';
import './activity-detail.css';

/** Two steps, in the page itself: "Delete" arms it, "Confirm delete" does it. */
export function DeleteActivityButton({ activityId }: { activityId: string }) {
  const navigate = useNavigate();
  const write = useWrite();
  const [armed, setArmed] = useState(false);

  async function confirm() {
    // Gone from the device at once; the server hears of it when it can.
    const handle = await write.start({ name: 'activity.delete', args: { id: activityId } });
    if (handle) void navigate('/', { replace: true });
  }

  if (!armed) {
    return (
      <button type="button" className="button button-danger-ghost" onClick={() => setArmed(true)}>
        Delete
      </button>
    );
  }
  return (
    <div className="confirm-delete">
      <button type="button" className="button button-danger" onClick={() => void confirm()} autoFocus>
        Confirm delete
      </button>
      <button type="button" className="button button-ghost" onClick={() => setArmed(false)}>
        Cancel
      </button>
      {write.error && <ErrorAlert>{write.error}</ErrorAlert>}
    </div>
  );
}
