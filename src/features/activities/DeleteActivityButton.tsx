import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../ui/feedback';
import { useDeleteActivity } from './mutations';

/** Two steps, in the page itself: "Delete" arms it, "Confirm delete" does it. */
export function DeleteActivityButton({ activityId }: { activityId: string }) {
  const navigate = useNavigate();
  const deleteActivity = useDeleteActivity();
  const [armed, setArmed] = useState(false);

  function confirm() {
    deleteActivity.mutate(activityId, { onSuccess: () => void navigate('/', { replace: true }) });
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
      <button type="button" className="button button-danger" onClick={confirm} disabled={deleteActivity.isPending} autoFocus>
        Confirm delete
      </button>
      <button type="button" className="button button-ghost" onClick={() => setArmed(false)}>
        Cancel
      </button>
      {deleteActivity.isError && <ErrorAlert error={deleteActivity.error} />}
    </div>
  );
}
