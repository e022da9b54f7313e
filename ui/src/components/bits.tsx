// Small shared pieces: avatar, progress bar, balance, empty and error states,
// a dialog form's end.
import type { ComponentChildren } from "preact";
import { colourSlot, initial } from "../logic/profile";

export function Avatar(props: { name: string; size?: "small" | "big" }) {
  return (
    <span class={`avatar c${colourSlot(props.name)} ${props.size ?? ""}`} aria-hidden="true">
      {initial(props.name)}
    </span>
  );
}

export function ProgressBar(props: { percent: number; label: string }) {
  const p = Math.max(0, Math.min(100, Math.round(props.percent)));
  return (
    <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p} aria-label={props.label}>
      <div class="progress-fill" style={{ width: `${p}%` }} />
    </div>
  );
}

/** A member's spendable balance: `[data-balance][data-points]` for the end-to-end tests. */
export function Balance(props: { member: string; points: number; big?: boolean }) {
  return (
    <span class={`balance ${props.big ? "big" : ""}`} data-balance={props.member} data-points={String(props.points)}>
      <span class="balance-number">{props.points}</span>
      <span class="balance-unit">{props.points === 1 ? "point" : "points"}</span>
    </span>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

export function LoadError(props: { error: string | null }) {
  return props.error ? (
    <p class="load-error" role="alert">
      Couldn’t load this: {props.error}
    </p>
  ) : null;
}

export function Loading(props: { show: boolean }) {
  return props.show ? <p class="loading">Loading…</p> : null;
}

export function StatusChip(props: { status: string; label?: string }) {
  return <span class={`chip status-${props.status}`}>{props.label ?? props.status}</span>;
}

/** The end of a dialog's form: its problem, if any, then Cancel and the submit button. */
export function FormEnd(props: { problem: string | null; onCancel: () => void; submitId: string; submit: ComponentChildren; danger?: boolean }) {
  return (
    <>
      {props.problem && (
        <p class="field-error" role="alert">
          {props.problem}
        </p>
      )}
      <div class="row end">
        <button type="button" class="button secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button id={props.submitId} type="submit" class={props.danger ? "button danger" : "button primary"}>
          {props.submit}
        </button>
      </div>
    </>
  );
}
