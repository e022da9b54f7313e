// The rewards store for the active member: what they can afford, their
// savings goal, their requests; parents add, change and withdraw rewards
// and handle requests right here too.
import { useState } from "preact/hooks";
import * as api from "../api";
import type { RedemptionView, RewardInput, RewardView } from "../api";
import { useLoad, useSession } from "../app/session";
import { Dialog } from "../components/Dialog";
import { Balance, Empty, LoadError, Loading, ProgressBar, StatusChip } from "../components/bits";
import { Icon } from "../components/Icon";
import { affordability, openRequestsOf, redemptionWords, storeOrder } from "../logic/rewards";
import { relativeTime } from "../logic/time";
import { requested, toFulfil } from "../logic/approvals";
import { RequestRow } from "./Approvals";

export function Rewards() {
  const s = useSession();
  const me = s.active?.name ?? null;
  const { data, error, loading } = useLoad(() => Promise.all([api.rewards(me), api.redemptions()]), [me]);
  const [editing, setEditing] = useState<RewardView | "new" | null>(null);
  const [withdrawing, setWithdrawing] = useState<RewardView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const balance = me ? s.balanceOf(me) : undefined;
  const spendable = balance?.spendable ?? 0;
  const goalId = s.active?.goal ?? null;
  const [rewards, redemptions] = data ?? [[], []];
  const mine = me ? openRequestsOf(redemptions, me) : [];
  const parentHint = s.activeIsParent ? "" : " (ask a parent)";

  const request = async (r: RewardView) => {
    if (!me) return;
    setBusy(r.id);
    const out = await s.run("self", (actor) => api.redeem(actor, r.id, me), { purpose: `ask for “${r.title}”` });
    setBusy(null);
    if (out) s.toastInfo(out.status === "requested" ? `Asked for “${r.title}”. A parent will look at it.` : `“${r.title}” is yours!`);
  };

  const setGoal = (r: RewardView | null) =>
    me &&
    s.run("self", (actor) => api.setGoal(actor, me, r ? r.id : null), {
      success: r ? `Saving up for “${r.title}”.` : "Goal cleared.",
      purpose: "change the savings goal",
    });

  const withdraw = async (r: RewardView) => {
    setWithdrawing(null);
    const out = await s.run("parent", (actor) => api.archiveReward(actor, r.id), {
      success: `“${r.title}” is withdrawn from the store.`,
      purpose: `withdraw “${r.title}”`,
    });
    if (out !== undefined && editing !== "new" && editing?.id === r.id) setEditing(null);
  };

  const cancel = (r: RedemptionView) =>
    s.run("self", (actor) => api.moveRedemption(actor, r.id, "cancelled"), { success: `Cancelled “${r.reward}”.` });

  return (
    <section class="screen rewards" aria-labelledby="rewards-title">
      <div class="screen-head">
        <h1 id="rewards-title">Rewards</h1>
        {!editing && (
          <button id="new-reward" type="button" class="button primary big" onClick={() => setEditing("new")}>
            + New reward{parentHint}
          </button>
        )}
      </div>

      {me && (
        <div class="panel wallet">
          <div>
            <p class="subtle">{me} can spend</p>
            <Balance member={me} points={spendable} big />
          </div>
          {balance?.goal ? (
            <div class="goal">
              <p>
                Saving for <strong>{balance.goal.reward}</strong> ({balance.goal.cost} points)
              </p>
              <ProgressBar percent={balance.goal.percent} label={`Savings goal ${balance.goal.percent}%`} />
              <p class="subtle">
                {balance.goal.percent >= 100 ? "Enough saved!" : `${Math.max(0, balance.goal.cost - spendable)} more points to go`}
                {" · "}
                <button type="button" class="link-button" id="clear-goal" onClick={() => setGoal(null)}>
                  Clear goal
                </button>
              </p>
            </div>
          ) : (
            <p class="subtle">Pick a reward to save for with “Save for this”.</p>
          )}
        </div>
      )}

      {editing && (
        <RewardEditor
          key={editing === "new" ? "new" : editing.id}
          reward={editing === "new" ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}

      <LoadError error={error} />
      <Loading show={loading && !data} />
      {data && !rewards.length && <Empty>No rewards yet. {s.activeIsParent ? "Add one the children can save for." : "A parent can add some."}</Empty>}
      <ul class="reward-grid">
        {storeOrder(rewards, spendable).map((r) => {
          const a = affordability(spendable, r);
          const isGoal = goalId === r.id || balance?.goal?.reward === r.title;
          return (
            <li key={r.id} class={`card reward ${a.affordable ? "affordable" : ""}`} data-reward={r.title}>
              <h2 class="card-title">{r.title}</h2>
              <p class="cost">
                <span class="cost-number">{r.cost}</span> points
              </p>
              {r.left !== null && <p class="subtle">{r.left > 0 ? `${r.left} left` : "None left"}</p>}
              <p class={`afford ${a.affordable ? "yes" : "no"}`}>{a.label}</p>
              {!a.outOfStock && <ProgressBar percent={a.percent} label={`${r.title}: ${a.percent}% saved`} />}
              <p class="subtle">{r.requires_approval ? "A parent says yes first" : "Yours straight away"}</p>
              <div class="row wrap">
                <button type="button" class="button primary request-button" disabled={!a.affordable || busy === r.id || !me} onClick={() => request(r)}>
                  {a.affordable ? "Get it!" : "Not yet"}
                </button>
                {isGoal ? (
                  <span class="chip goal-chip">
                    <Icon name="star" size={14} /> Goal
                  </span>
                ) : (
                  <button type="button" class="button secondary goal-button" disabled={!me} onClick={() => setGoal(r)}>
                    Save for this
                  </button>
                )}
              </div>
              {s.activeIsParent && (
                <div class="row wrap reward-admin">
                  <button type="button" class="button secondary edit-reward" aria-label={`Edit ${r.title}`} onClick={() => setEditing(r)}>
                    Edit
                  </button>
                  <button type="button" class="button secondary withdraw-reward" aria-label={`Withdraw ${r.title}`} onClick={() => setWithdrawing(r)}>
                    Withdraw
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>

      {withdrawing && (
        <Dialog title={`Withdraw “${withdrawing.title}”?`} onClose={() => setWithdrawing(null)} class="narrow">
          <p>It leaves the store and nobody can ask for it any more. Past requests and points stay in the history.</p>
          <div class="row end">
            <button type="button" class="button secondary" onClick={() => setWithdrawing(null)}>
              Keep it
            </button>
            <button type="button" id="confirm-withdraw" class="button danger" onClick={() => withdraw(withdrawing)}>
              Withdraw
            </button>
          </div>
        </Dialog>
      )}

      {me && mine.length > 0 && (
        <section class="panel" aria-labelledby="my-requests-title">
          <h2 id="my-requests-title">{me}’s requests</h2>
          <ul class="list">
            {mine.map((r) => (
              <li key={r.id} class="list-row" data-my-request={r.id}>
                <div class="list-main">
                  <strong>{r.reward}</strong> · {r.cost} points · {relativeTime(r.requested_at, s.now)}
                </div>
                <StatusChip status={r.status} label={redemptionWords(r.status)} />
                {r.status === "requested" && (
                  <button type="button" class="button secondary cancel-button" onClick={() => cancel(r)}>
                    Cancel
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {s.activeIsParent && data && (requested(redemptions).length > 0 || toFulfil(redemptions).length > 0) && (
        <section class="panel" aria-labelledby="requests-title">
          <h2 id="requests-title">Requests to handle</h2>
          <ul class="list">
            {[...requested(redemptions), ...toFulfil(redemptions)].map((r) => (
              <RequestRow key={r.id} r={r} />
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

/** The reward form: empty for a new reward, prefilled to change one. */
function RewardEditor(props: { reward: RewardView | null; onDone: () => void }) {
  const s = useSession();
  const editing = props.reward;
  const [title, setTitle] = useState(editing?.title ?? "");
  const [cost, setCost] = useState(editing ? String(editing.cost) : "");
  const [stockOn, setStockOn] = useState(editing?.stock != null);
  const [stock, setStock] = useState(editing?.stock != null ? String(editing.stock) : "1");
  const [approval, setApproval] = useState(editing?.requires_approval ?? false);
  const [visible, setVisible] = useState<string[]>(editing?.visible_to ?? []);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    const c = Number(cost);
    const st = Number(stock);
    if (!title.trim()) return setProblem("Give the reward a name.");
    if (cost.trim() === "" || !Number.isInteger(c) || c < 0 || c > 1_000_000) return setProblem("The cost is a whole number of points.");
    if (stockOn && (!Number.isInteger(st) || st < 0)) return setProblem("The stock is a whole number.");
    setProblem(null);
    const form: RewardInput = { title: title.trim(), cost: c, stock: stockOn ? st : null, approval, visible_to: visible };
    setSaving(true);
    const out = await s.run(
      "parent",
      (actor) => (editing ? api.updateReward(actor, editing.id, form) : api.addReward(actor, form)),
      editing
        ? { success: `Saved “${form.title}”.`, purpose: "change a reward" }
        : { success: `Added “${form.title}”.`, purpose: "add a reward" },
    );
    setSaving(false);
    if (out) props.onDone();
  };

  return (
    <form class="panel reward-form" onSubmit={save} aria-labelledby="reward-form-title">
      <h2 id="reward-form-title">{editing ? `Edit “${editing.title}”` : "New reward"}</h2>
      <div class="grid two">
        <div class="field">
          <label for="reward-title">Reward</label>
          <input id="reward-title" maxLength={80} placeholder="Pizza night" autofocus value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="reward-cost">Cost in points</label>
          <input id="reward-cost" type="number" min={0} step={1} placeholder="50" value={cost} onInput={(e) => setCost(e.currentTarget.value)} />
        </div>
      </div>
      <label class="check">
        <input id="reward-approval" type="checkbox" checked={approval} onChange={(e) => setApproval(e.currentTarget.checked)} />
        <span>A parent approves each request</span>
      </label>
      <div class="row wrap">
        <label class="check">
          <input id="reward-stock-on" type="checkbox" checked={stockOn} onChange={(e) => setStockOn(e.currentTarget.checked)} />
          <span>Only a limited number</span>
        </label>
        {stockOn && (
          <>
            <label for="reward-stock" class="sr-only">
              How many
            </label>
            <input id="reward-stock" type="number" min={0} class="short" value={stock} onInput={(e) => setStock(e.currentTarget.value)} />
          </>
        )}
      </div>
      <div class="field" role="group" aria-labelledby="reward-visible-label">
        <span id="reward-visible-label" class="label">
          Who can see it (none ticked: everyone)
        </span>
        <div class="checks">
          {s.members.map((m) => (
            <label key={m.id} class="check pill">
              <input
                type="checkbox"
                data-visible-member={m.name}
                checked={visible.includes(m.name)}
                onChange={(e) => setVisible(e.currentTarget.checked ? [...visible, m.name] : visible.filter((v) => v !== m.name))}
              />
              <span>{m.name}</span>
            </label>
          ))}
        </div>
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <div class="row end">
        <button type="button" class="button secondary" onClick={props.onDone}>
          Cancel
        </button>
        <button id="save-reward" type="submit" class="button primary" disabled={saving}>
          {saving ? "Saving…" : editing ? "Save changes" : "Add reward"}
        </button>
      </div>
    </form>
  );
}
