// Chores: the list, and the form to add or change one (parents; a child
// gets "Ask a parent").
import { useState } from "preact/hooks";
import * as api from "../api";
import type { ChoreView } from "../api";
import { useLoad, useSession } from "../app/session";
import { Dialog } from "../components/Dialog";
import { Empty, LoadError, Loading } from "../components/bits";
import { assignWords, fromMissedSpec } from "../logic/assign";
import { ChoreEditor } from "./ChoreEditor";

export function Chores() {
  const s = useSession();
  const { data, error, loading } = useLoad(() => api.chores());
  const [editing, setEditing] = useState<ChoreView | "new" | null>(null);
  const [archiving, setArchiving] = useState<ChoreView | null>(null);
  const parentHint = s.activeIsParent ? "" : " (ask a parent)";

  const archive = async (c: ChoreView) => {
    setArchiving(null);
    await s.run("parent", (actor) => api.archiveChore(actor, c.id), { success: `“${c.title}” is archived.`, purpose: "archive a chore" });
    if (editing !== "new" && editing?.id === c.id) setEditing(null);
  };

  return (
    <section class="screen chores" aria-labelledby="chores-title">
      <div class="screen-head">
        <h1 id="chores-title">Chores</h1>
        {!editing && (
          <button id="new-chore" type="button" class="button primary big" onClick={() => setEditing("new")}>
            + New chore{parentHint}
          </button>
        )}
      </div>
      {editing && (
        <ChoreEditor
          key={editing === "new" ? "new" : editing.id}
          chore={editing === "new" ? null : editing}
          onSaved={() => setEditing(null)}
          onCancel={() => setEditing(null)}
        />
      )}
      <LoadError error={error} />
      <Loading show={loading && !data} />
      {data && !data.length && <Empty>No chores yet. {s.activeIsParent ? "Add the first one!" : "A parent can add some."}</Empty>}
      {data && data.length > 0 && (
        <ul class="list">
          {data.map((c) => (
            <li key={c.id} class="list-row chore-row" data-chore={c.title}>
              <div class="list-main">
                <h2 class="list-title">{c.title}</h2>
                <p class="subtle">
                  {capitalise(c.schedule)}
                  {c.due_time ? ` by ${c.due_time}` : ""} · {plainAssignment(c)}
                  {c.requires_approval ? " · a parent approves" : ""}
                  {fromMissedSpec(c.missed).policy === "overdue" ? ` · stays open when late${fromMissedSpec(c.missed).penalty ? ` (−${fromMissedSpec(c.missed).penalty})` : ""}` : ""}
                  {c.rolling ? " · counts from completion" : ""}
                </p>
                {c.notes.trim() && <p class="subtle small chore-notes">{c.notes}</p>}
              </div>
              <span class="points big">+{c.points}</span>
              <div class="row">
                <button type="button" class="button secondary edit-chore" aria-label={`Edit ${c.title}`} onClick={() => setEditing(c)}>
                  Edit
                </button>
                <button type="button" class="button secondary archive-chore" aria-label={`Archive ${c.title}`} onClick={() => setArchiving(c)}>
                  Archive
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {archiving && (
        <Dialog title={`Archive “${archiving.title}”?`} onClose={() => setArchiving(null)} class="narrow">
          <p>It stops coming up. Its history and points stay.</p>
          <div class="row end">
            <button type="button" class="button secondary" onClick={() => setArchiving(null)}>
              Keep it
            </button>
            <button type="button" id="confirm-archive" class="button danger" onClick={() => archive(archiving)}>
              Archive{parentHint}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

/** The shell's plain words when it sends them (`assignment`), else words made from the spec. */
function plainAssignment(c: ChoreView & { assignment?: string }): string {
  return c.assignment ?? assignWords(c.assign);
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
