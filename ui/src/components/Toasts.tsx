// Error and info toasts: errors are announced (role="alert") and show the
// shell's message.
export interface Toast {
  id: number;
  kind: "error" | "info";
  message: string;
}

export function Toasts(props: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div class="toasts" aria-live="polite">
      {props.toasts.map((t) => (
        <div key={t.id} class={`toast ${t.kind}`} role={t.kind === "error" ? "alert" : "status"}>
          <span class="toast-icon" aria-hidden="true">
            {t.kind === "error" ? "⚠" : "✓"}
          </span>
          <span class="toast-message">{t.message}</span>
          <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => props.onDismiss(t.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
