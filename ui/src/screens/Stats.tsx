// Stats: points per week per member, the leaderboard and streaks.
import * as api from "../api";
import { useLoad, useSession } from "../app/session";
import { BarChart } from "../components/BarChart";
import { Avatar, LoadError, Loading } from "../components/bits";
import { Icon } from "../components/Icon";
import { chartGeometry, leaderboard, streaks } from "../logic/stats";
import { isoWeek, localDate } from "../logic/time";


export function Stats() {
  const s = useSession();
  const tz = s.household?.timezone ?? "UTC";
  const today = localDate(s.now, tz);
  const { data, error, loading } = useLoad(() => Promise.all([api.stats(), api.balances(), api.history(null, 1000)]));
  const [weeks, balances, history] = data ?? [[], [], []];
  const chart = chartGeometry(weeks, s.members.map((m) => m.name), { width: 640, height: 260, weeks: 8, today });
  const runs = streaks(history, tz, today);
  const board = leaderboard(weeks, balances, runs, isoWeek(today));

  return (
    <section class="screen stats" aria-labelledby="stats-title">
      <div class="screen-head">
        <h1 id="stats-title">Stats</h1>
      </div>
      <LoadError error={error} />
      <Loading show={loading && !data} />
      {data && (
        <>
          <section class="panel" aria-labelledby="leader-title">
            <h2 id="leader-title">This week</h2>
            <ol class="leaderboard">
              {board.map((r) => (
                <li key={r.member} class="leader" data-leader={r.member}>
                  <span class={`rank r${r.rank}`} aria-label={`rank ${r.rank}`}>
                    {r.rank}
                  </span>
                  <Avatar name={r.member} size="big" />
                  <span class="leader-name">{r.member}</span>
                  <span class="leader-week">
                    <span class="big-number">{r.week}</span> this week
                  </span>
                  <span class="leader-earned">{r.earned} all-time</span>
                  <span class="streak" data-streak={r.streak} title="Days in a row with a chore done">
                    {r.streak > 0 ? (
                      <>
                        <Icon name="flame" size={18} /> {r.streak} day{r.streak === 1 ? "" : "s"} in a row
                      </>
                    ) : (
                      "No streak yet"
                    )}
                  </span>
                </li>
              ))}
            </ol>
          </section>
          <section class="panel" aria-labelledby="chart-title">
            <h2 id="chart-title">Points per week</h2>
            <BarChart chart={chart} title="Points per week per member" />
          </section>
        </>
      )}
    </section>
  );
}
