import { useEffect, useId, useRef, useState } from 'react';
import { REPORT_REASONS, REPORT_TEXT_MAX, type ReportReason } from '../../../protocol';
import { useIsBlocked } from '../../data/block-queries';
import { useOutbox } from '../../outbox/outbox-context';
import { REASON_LABELS, writeBlock, writeReport } from './safety-writes';
import './safety.css';

export type SafetyStep = 'menu' | 'confirm-block' | 'report' | 'reported';

export interface SafetyTarget {
  person: { userId: string; displayName: string };
  /** A message of theirs, when reporting it. */
  message?: { id: string; body: string } | undefined;
}

/**
 * Block, unblock and report one person (or one of their messages), in one modal dialog: the
 * menu, "Block …?" asked once more before it is done, and the report form (a reason from the
 * fixed list and, optionally, a few words). Every choice is a write through the outbox.
 */
export function SafetyDialog({ target, step, onStep, onClose }: { target: SafetyTarget; step: SafetyStep | null; onStep: (step: SafetyStep) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const outbox = useOutbox();
  const blocked = useIsBlocked(target.person.userId);
  const titleId = useId();
  const name = target.person.displayName || 'this person';

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (step !== null && !element.open) element.showModal();
    if (step === null && element.open) element.close();
  }, [step]);

  const title =
    step === 'confirm-block' ? `Block ${name}?` : step === 'report' ? (target.message ? 'Report this message' : `Report ${name}`) : step === 'reported' ? 'Thanks for telling us' : name;

  return (
    <dialog ref={dialog} className="confirm-dialog safety-dialog" aria-labelledby={titleId} onClose={onClose} data-testid="safety-dialog">
      <h2 id={titleId} dir="auto">
        {title}
      </h2>
      {step === 'menu' && (
        <div className="safety-choices">
          {blocked ? (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                writeBlock(outbox, target.person.userId, false);
                onClose();
              }}
            >
              Unblock
            </button>
          ) : (
            <button type="button" className="button button-secondary" onClick={() => onStep('confirm-block')}>
              Block…
            </button>
          )}
          <button type="button" className="button button-secondary" onClick={() => onStep('report')}>
            Report…
          </button>
          <button type="button" className="button button-ghost" onClick={onClose}>
            Cancel
          </button>
        </div>
      )}
      {step === 'confirm-block' && (
        <>
          <p>They won’t be able to message you directly. Their messages in shared activity chats are hidden for you, and neither of you sees the other online or typing. They aren’t told.</p>
          <div className="alert-actions">
            <button type="button" className="button button-ghost" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              data-testid="confirm-block"
              onClick={() => {
                writeBlock(outbox, target.person.userId, true);
                onClose();
              }}
            >
              Block
            </button>
          </div>
        </>
      )}
      {step === 'report' && (
        <ReportForm
          quoted={target.message?.body}
          onCancel={onClose}
          onSend={(reason, text) => {
            writeReport(outbox, { userId: target.person.userId, messageId: target.message?.id, reason, text });
            onStep('reported');
          }}
        />
      )}
      {step === 'reported' && (
        <>
          <p>Our moderators will look at it. You can also block {name}, so they can’t message you.</p>
          <div className="alert-actions">
            {!blocked && (
              <button type="button" className="button button-secondary" onClick={() => onStep('confirm-block')}>
                Block…
              </button>
            )}
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}

function ReportForm({ quoted, onSend, onCancel }: { quoted: string | undefined; onSend: (reason: ReportReason, text: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const textId = useId();
  return (
    <form
      className="report-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (reason === null) {
          setMissing(true);
          return;
        }
        onSend(reason, text);
      }}
    >
      {quoted !== undefined && (
        <blockquote className="report-quote" dir="auto">
          {quoted}
        </blockquote>
      )}
      <fieldset className="report-reasons" aria-invalid={missing}>
        <legend>Why are you reporting it?</legend>
        {REPORT_REASONS.map((value) => (
          <label key={value} className="report-reason">
            <input
              type="radio"
              name="report-reason"
              value={value}
              checked={reason === value}
              onChange={() => {
                setReason(value);
                setMissing(false);
              }}
            />
            <span>{REASON_LABELS[value]}</span>
          </label>
        ))}
      </fieldset>
      {missing && (
        <p className="field-error" role="alert">
          Choose a reason
        </p>
      )}
      <label htmlFor={textId} className="report-text-label">
        Anything to add? (optional)
      </label>
      <textarea id={textId} className="report-text" value={text} maxLength={REPORT_TEXT_MAX} rows={2} onChange={(event) => setText(event.target.value)} />
      <div className="alert-actions">
        <button type="button" className="button button-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" data-testid="send-report">
          Send report
        </button>
      </div>
    </form>
  );
}
