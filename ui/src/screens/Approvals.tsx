// What waits for a parent: completions to approve or reject, reward
// requests to approve or decline, approved rewards to hand over.
import * as api from "../api";
import type { DeviceView, RedemptionView } from "../api";
import { useLoad, useSession } from "../app/session";
import { Avatar, Empty, LoadError, Loading } from "../components/bits";
import { pendingCompletions, requested, toFulfil, type PendingCompletion } from "../logic/approvals";
import { deviceLabel } from "../logic/history";
import { formatWhen, relativeTime } from "../logic/time";

export function Approvals() {
  const s = useSession();
  const linked = !!s.sync.status?.linked;
  const { data, error, loading } = useLoad(
    () =>
      Promise.all([
        api.pendingCompletions(),
        api.redemptions(),
        api.chores(),
        linked ? api.devices().catch(() => [] as DeviceView[]) : Promise.resolve([] as DeviceView[]),
      ]),
    [linked],
  );
  const [pending, redemptions, chores, devices] = data ?? [[], [], [], []];
  const completions = pendingCompletions(pending);
  const asks = requested(redemptions);
  const handOver = toFulfil(redemptions);
  const choreById = new Map(chores.map((c) => [c.id, c]));

  return (
    <section class="screen approvals" aria-labelledby="approvals-title">
      <div class="screen-head">
        <h1 id="approvals-title">Approvals</h1>
      </div>
      {!s.activeIsParent && <p class="note">Parents decide these. A parent can approve right here — you’ll be asked for their PIN.</p>}
      <LoadError error={error} />
      <Loading show={loading && !data} />
      {data && (
        <>
          <section class="panel" aria-labelledby="pending-title">
            <h2 id="pending-title">Chores to check ({completions.length})</h2>
            {!completions.length && <Empty>Nothing to check.</Empty>}
            <ul class="list">
              {completions.map((c) => (
                <CompletionRow
                  key={c.key}
                  c={c}
                  points={c.points || (detailChore(pending, c.key, choreById)?.points ?? 0)}
                  device={deviceLabel(c.device, devices, s.household?.device_id ?? null)}
                />
              ))}
            </ul>
          </section>
          <section class="panel" aria-labelledby="asks-title">
            <h2 id="asks-title">Reward requests ({asks.length + handOver.length})</h2>
            {!asks.length && !handOver.length && <Empty>No requests.</Empty>}
            <ul class="list">
              {[...asks, ...handOver].map((r) => (
                <RequestRow key={r.id} r={r} />
              ))}
            </ul>
          </section>
        </>
      )}
    </section>
  );
}

function detailChore(
  history: Awaited<ReturnType<typeof api.pendingCompletions>>,
  key: string,
  chores: Map<string, Awaited<ReturnType<typeof api.chores>>[number]>,
) {
  const h = history.find((x) => x.kind === "completion" && x.entry === key);
  const d = h?.detail as { chore_id?: string } | null | undefined;
  return d?.chore_id ? chores.get(d.chore_id) : undefined;
}

function CompletionRow(props: { c: PendingCompletion; points: number; device: string | null }) {
  const s = useSession();
  const { c } = props;
  const review = (verdict: "approve" | "reject") =>
    s.run("parent", (actor) => api.review(actor, c.key, verdict), {
      success: verdict === "approve" ? `Approved ${c.member}’s “${c.chore}”.` : `Rejected ${c.member}’s “${c.chore}”.`,
      purpose: `${verdict} ${c.member}’s “${c.chore}”`,
    });
  return (
    <li class="list-row approval" data-approval={c.key}>
      <Avatar name={c.member} />
      <div class="list-main">
        <strong>
          {c.member}: {c.chore}
        </strong>
        <p class="subtle">
          <span title={formatWhen(c.at, s.household?.timezone ?? "UTC")}>{relativeTime(c.at, s.now)}</span>
          {props.device ? ` · on ${props.device}` : ""}
          {c.dueDate ? ` · due ${c.dueDate}` : ""}
        </p>
      </div>
      {props.points > 0 && <span class="points">+{props.points}</span>}
      <div class="row">
        <button type="button" class="button primary approve" onClick={() => review("approve")}>
          Approve
        </button>
        <button type="button" class="button danger reject" onClick={() => review("reject")}>
          Reject
        </button>
      </div>
    </li>
  );
}

/** A reward request with the parent's buttons (`[data-request]`): approve/decline, or fulfil once approved. */
export function RequestRow(props: { r: RedemptionView }) {
  const s = useSession();
  const { r } = props;
  const move = (to: "approved" | "declined" | "fulfilled", words: string) =>
    s.run("parent", (actor) => api.moveRedemption(actor, r.id, to), {
      success: `${words}: ${r.member}’s “${r.reward}”.`,
      purpose: `${words.toLowerCase()} ${r.member}’s “${r.reward}”`,
    });
  return (
    <li class="list-row request" data-request={r.id} data-status={r.status}>
      <Avatar name={r.member} />
      <div class="list-main">
        <strong>
          {r.member}: {r.reward}
        </strong>
        <p class="subtle">
          {r.cost} points · asked {relativeTime(r.requested_at, s.now)}
          {r.status === "approved" ? " · approved, to hand over" : ""}
        </p>
      </div>
      <div class="row">
        {r.status === "requested" && (
          <button type="button" class="button primary approve" onClick={() => move("approved", "Approved")}>
            Approve
          </button>
        )}
        {r.status === "approved" && (
          <button type="button" class="button primary fulfil" onClick={() => move("fulfilled", "Handed over")}>
            Handed over
          </button>
        )}
        <button type="button" class="button danger decline" onClick={() => move("declined", "Declined")}>
          Decline
        </button>
      </div>
    </li>
  );
}
