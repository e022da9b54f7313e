// Asking for a PIN: checked with the shell (verify_pin) before the dialog
// closes; a wrong PIN keeps it open with a message.
import { useState } from "preact/hooks";
import * as api from "../api";
import { Dialog } from "./Dialog";

export interface PinDialogProps {
  member: string;
  title: string;
  /** The verified PIN, or null when cancelled. */
  onDone: (pin: string | null) => void;
}

export function PinDialog(props: PinDialogProps) {
  const [pin, setPin] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!/^\d{4,6}$/.test(pin)) {
      setError("A PIN is 4 to 6 digits.");
      return;
    }
    setBusy(true);
    try {
      await api.verifyPin(props.member, pin);
      props.onDone(pin);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setPin("");
      setBusy(false);
    }
  };

  return (
    <Dialog title={props.title} onClose={() => props.onDone(null)} id="pin-dialog" class="narrow">
      <form onSubmit={submit} class="stack">
        <label for="pin-input">PIN for {props.member}</label>
        <input
          id="pin-input"
          class="pin-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          pattern="[0-9]*"
          maxLength={6}
          autofocus
          value={pin}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "pin-error" : undefined}
          onInput={(e) => {
            setPin((e.currentTarget as HTMLInputElement).value.replace(/\D/g, ""));
            setError(null);
          }}
        />
        {error && (
          <p id="pin-error" class="field-error" role="alert">
            {error}
          </p>
        )}
        <div class="row end">
          <button type="button" class="button secondary" onClick={() => props.onDone(null)}>
            Cancel
          </button>
          <button id="pin-submit" type="submit" class="button primary" disabled={busy}>
            {busy ? "Checking…" : "OK"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export interface ParentPickerProps {
  parents: string[];
  purpose: string;
  onDone: (name: string | null) => void;
}

/** "Ask a parent": which parent is here? */
export function ParentPicker(props: ParentPickerProps) {
  return (
    <Dialog title="Ask a parent" onClose={() => props.onDone(null)} id="parent-picker" class="narrow">
      <p>{props.purpose ? `A parent needs to ${props.purpose}.` : "This needs a parent."} Who is here?</p>
      <div class="stack">
        {props.parents.map((p) => (
          <button key={p} type="button" class="button big" data-parent={p} onClick={() => props.onDone(p)}>
            {p}
          </button>
        ))}
      </div>
    </Dialog>
  );
}
