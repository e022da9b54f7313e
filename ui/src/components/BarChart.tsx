// Points per week per member, drawn by hand in SVG: grouped bars, a y axis
// with round ticks, a legend, and the same numbers as a table.
import { chartSummary, type Chart } from "../logic/stats";
import { colourSlot } from "../logic/profile";

export function BarChart(props: { chart: Chart; title: string }) {
  const c = props.chart;
  const summary = chartSummary(c);
  return (
    <figure class="chart">
      <svg
        class="bar-chart"
        viewBox={`0 0 ${c.width} ${c.height}`}
        role="img"
        aria-label={`${props.title}. ${summary}`}
        preserveAspectRatio="xMidYMid meet"
      >
        {c.ticks.map((t) => (
          <g key={t.value} class="tick">
            <line x1={c.plot.left} x2={c.plot.right} y1={t.y} y2={t.y} class="grid-line" />
            <text x={c.plot.left - 6} y={t.y + 4} text-anchor="end" class="axis-label">
              {t.value}
            </text>
          </g>
        ))}
        {c.groups.map((g) => (
          <g key={g.week} class="week">
            {g.bars.map((b) =>
              b.height > 0 ? (
                <rect key={b.member} x={b.x} y={b.y} width={b.width} height={b.height} rx={3} class={`bar c${colourSlot(b.member)}`}>
                  <title>
                    {b.member}, {g.week}: {b.points} points
                  </title>
                </rect>
              ) : null,
            )}
            <text x={g.cx} y={c.height - 8} text-anchor="middle" class="axis-label">
              {g.label}
            </text>
          </g>
        ))}
        <line x1={c.plot.left} x2={c.plot.right} y1={c.plot.bottom} y2={c.plot.bottom} class="axis" />
      </svg>
      <figcaption>
        <ul class="legend">
          {c.members.map((m) => (
            <li key={m}>
              <span class={`swatch c${colourSlot(m)}`} aria-hidden="true" />
              {m}
            </li>
          ))}
        </ul>
        <details>
          <summary>Show the numbers</summary>
          <table class="chart-table">
            <caption class="sr-only">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">Week</th>
                {c.members.map((m) => (
                  <th key={m} scope="col">
                    {m}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {c.groups.map((g) => (
                <tr key={g.week}>
                  <th scope="row">{g.week}</th>
                  {g.bars.map((b) => (
                    <td key={b.member}>{b.points}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
