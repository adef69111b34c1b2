import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiRequest, ApiError } from '../../net/api';
import { InlineError } from '../../ui/feedback';
import { TextAreaField, TextField } from '../../ui/Field';
import { useDocumentTitle } from '../../ui/use-document-title';
import { AdminData, retryUnlessForbidden } from './AdminData';
import { adminFlagsKey, fetchAdminFlags } from './admin-queries';
import { draftOf, targetingOf, type AdminFlag, type DraftErrors, type FlagDraft, type VariantDraft } from './flag-form';
import './admin.css';

/**
 * Feature flags for the people named in ADMIN_USER_IDS: each flag's targeting (on/off, what "on"
 * means, a share of people by a stable hash, people always on, A/B variants by weight). A save
 * reaches every connected page within moments (`flags:changed`) and the rest at their next poll.
 * The list is the server's: it needs the network, as any administration does.
 */
export function FlagsAdminScreen() {
  useDocumentTitle('Feature flags');
  const flags = useQuery({ queryKey: adminFlagsKey, queryFn: fetchAdminFlags, retry: retryUnlessForbidden });
  return (
    <section className="page page-narrow admin" aria-labelledby="admin-flags-title">
      <h1 id="admin-flags-title">Feature flags</h1>
      <AdminData query={flags} refusedTitle="Only administrators can change feature flags" loadingLabel="Loading flags…">
        {(data) => data.flags.map((flag) => <FlagEditor key={flag.key} flag={flag} />)}
      </AdminData>
    </section>
  );
}

function FlagEditor({ flag }: { flag: AdminFlag }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<FlagDraft>(() => draftOf(flag));
  const [errors, setErrors] = useState<DraftErrors>({});
  const save = useMutation({
    mutationFn: (targeting: unknown) => apiRequest(`/api/admin/flags/${encodeURIComponent(flag.key)}`, { method: 'PUT', body: { targeting } }),
    onSuccess: () => client.invalidateQueries({ queryKey: adminFlagsKey }),
  });
  const change = (patch: Partial<FlagDraft>) => {
    setDraft({ ...draft, ...patch });
    save.reset();
  };
  const setVariant = (index: number, patch: Partial<VariantDraft>) => change({ variants: draft.variants.map((v, i) => (i === index ? { ...v, ...patch } : v)) });
  const submit = () => {
    const result = targetingOf(flag, draft);
    if ('errors' in result) return setErrors(result.errors);
    setErrors({});
    save.mutate(result.targeting);
  };
  const serverFields = save.error instanceof ApiError ? save.error.fields : {};
  const titleId = `flag-${flag.key}`;

  return (
    <form className="card form admin-flag" aria-labelledby={titleId} data-testid="admin-flag" onSubmit={(event) => (event.preventDefault(), submit())} noValidate>
      <div className="admin-flag-head">
        <h2 id={titleId} className="admin-flag-key">
          {flag.key}
        </h2>
        <label className="switch-row">
          <span className="switch-label">On</span>
          <input type="checkbox" role="switch" className="switch" checked={draft.enabled} onChange={(event) => change({ enabled: event.target.checked })} />
        </label>
      </div>
      <p className="muted">
        {flag.description} Default {String(flag.defaultValue)} ({flag.type}).
      </p>
      <TextField label="Value when on" value={draft.onValue} onChange={(event) => change({ onValue: event.target.value })} error={errors.onValue ?? serverFields['targeting.onValue']} hint={flag.type === 'boolean' ? 'true or false' : undefined} />
      <TextField
        label="Share of people (%)"
        inputMode="decimal"
        value={draft.rolloutPercent}
        onChange={(event) => change({ rolloutPercent: event.target.value })}
        error={errors.rolloutPercent ?? serverFields['targeting.rolloutPercent']}
        hint="The same people keep it while the share grows."
      />
      <TextAreaField label="Always on for (user ids, one per line)" value={draft.userIds} onChange={(event) => change({ userIds: event.target.value })} rows={3} />
      <fieldset className="admin-variants">
        <legend>A/B variants</legend>
        {draft.variants.map((variant, index) => (
          <div key={index} className="admin-variant" data-testid="admin-variant">
            <TextField label="Name" value={variant.name} onChange={(event) => setVariant(index, { name: event.target.value })} />
            <TextField label="Value" value={variant.value} onChange={(event) => setVariant(index, { value: event.target.value })} />
            <TextField label="Weight" inputMode="decimal" value={variant.weight} onChange={(event) => setVariant(index, { weight: event.target.value })} />
            <button type="button" className="button button-ghost button-compact" onClick={() => change({ variants: draft.variants.filter((_, i) => i !== index) })}>
              Remove
            </button>
          </div>
        ))}
        {errors.variants && (
          <p className="field-error" role="alert">
            {errors.variants}
          </p>
        )}
        <button type="button" className="button button-secondary button-compact" onClick={() => change({ variants: [...draft.variants, { name: '', value: draft.onValue, weight: '1' }] })}>
          Add variant
        </button>
      </fieldset>
      <div className="admin-actions">
        <p className="muted admin-saved" role="status">
          {save.isSuccess ? 'Saved: connected pages have it now.' : ''}
        </p>
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
      <InlineError message={save.error?.message ?? null} />
    </form>
  );
}
