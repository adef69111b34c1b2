import { useState } from 'react';
import { SafetyDialog, type SafetyStep } from './SafetyDialog';

/** "⋯" beside a person (a direct chat's header, their profile): block, unblock or report them. */
export function PersonSafetyButton({ person }: { person: { userId: string; displayName: string } }) {
  const [step, setStep] = useState<SafetyStep | null>(null);
  return (
    <>
      <button
        type="button"
        className="icon-button safety-button"
        aria-label={`More for ${person.displayName || 'this person'}: block or report`}
        aria-haspopup="dialog"
        data-testid="person-safety"
        onClick={() => setStep('menu')}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      <SafetyDialog target={{ person }} step={step} onStep={setStep} onClose={() => setStep(null)} />
    </>
  );
}
