// Error and info toasts (`.toast`, closed with `.toast-close`): errors are
// announced (role="alert"), show the shell's message and stay until closed;
// success toasts (role="status") go by themselves.
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
          <button type="button" class="icon-button toast-close" aria-label="Dismiss" onClick={() => props.onDismiss(t.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
