import type { ReactNode } from 'react';
import { messageOf } from '../api/api-error';

/** Loading, empty and error states, the same on every page. */
export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}…
    </p>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p>{messageOf(error)}</p>
      {retry ? (
        <button type="button" className="button secondary" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/** A refusal of an action, in the API's words, next to the control that caused it. */
export function ActionError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="action-error" role="alert">
      {messageOf(error)}
    </p>
  );
}
