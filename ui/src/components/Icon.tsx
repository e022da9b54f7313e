// A few line icons drawn inline: the app is offline and cannot count on an
// emoji font being installed.
const PATHS = {
  today: "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4",
  chores: "M10 6h10M10 12h10M10 18h10M3.5 6l1.5 1.5L7.5 5M3.5 12l1.5 1.5L7.5 11M3.5 18l1.5 1.5L7.5 17",
  rewards: "M3 8h18v4H3zM5 12v9h14v-9M12 8v13M12 8C10 4 6 4 6 6.5S10 8 12 8zM12 8c2-4 6-4 6-1.5S14 8 12 8z",
  approvals: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM8 12.5l2.5 2.5L16 9.5",
  history: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 7v5l3 2",
  stats: "M4 20h16M7 16v-5M12 16V7M17 16V9",
  household: "M3 11l9-7l9 7M5 10v10h14V10M10 20v-6h4v6",
  lock: "M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3",
  star: "M12 3l2.6 5.6l6 .7l-4.5 4.1l1.2 6L12 16.5L6.7 19.4l1.2-6L3.4 9.3l6-.7z",
} as const;

export type IconName = keyof typeof PATHS | "flame";

export function Icon(props: { name: IconName; size?: number; class?: string; label?: string }) {
  const size = props.size ?? 22;
  const a11y = props.label ? { role: "img" as const, "aria-label": props.label } : { "aria-hidden": "true" as const };
  if (props.name === "flame") {
    return (
      <svg class={`icon flame ${props.class ?? ""}`} width={size} height={size} viewBox="0 0 24 24" {...a11y}>
        <path fill="currentColor" d="M12 2c1 3 5.5 5.5 5.5 10.5a5.5 5.5 0 0 1-11 0c0-2.8 1.6-4.5 2.7-5.5c.2 1.8 1 2.9 2.1 3.3C11.9 7.9 11 5 12 2z" />
      </svg>
    );
  }
  return (
    <svg
      class={`icon ${props.class ?? ""}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width={2}
      stroke-linecap="round"
      stroke-linejoin="round"
      {...a11y}
    >
      <path d={PATHS[props.name]} />
    </svg>
  );
}
