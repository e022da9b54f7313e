// Boot (app_state), first run, then the app: header, navigation and the
// current screen.
import { useEffect, useState } from "preact/hooks";
import * as api from "../api";
import type { AppState } from "../api";
import { Header, type ScreenId } from "../components/Header";
import { Icon } from "../components/Icon";
import { Approvals } from "../screens/Approvals";
import { Chores } from "../screens/Chores";
import { FirstRun } from "../screens/FirstRun";
import { History } from "../screens/History";
import { Household } from "../screens/Household";
import { Rewards } from "../screens/Rewards";
import { Stats } from "../screens/Stats";
import { Today } from "../screens/Today";
import { errorMessage, SessionProvider, useSession } from "./session";

type Boot =
  | { kind: "loading" }
  | { kind: "error"; message: string }
  | { kind: "first-run" }
  | { kind: "ready"; state: AppState; pin: { member: string; pin: string } | null; role: string | null };

export function App() {
  const [boot, setBoot] = useState<Boot>({ kind: "loading" });

  const load = async (pin: { member: string; pin: string } | null = null, role: string | null = null) => {
    try {
      const state = await api.appState();
      setBoot(state.initialized ? { kind: "ready", state, pin, role } : { kind: "first-run" });
    } catch (e) {
      setBoot({ kind: "error", message: errorMessage(e) });
    }
  };

  useEffect(() => {
    load();
  }, []);

  switch (boot.kind) {
    case "loading":
      return (
        <main data-screen="loading" class="boot" id="main">
          <Icon name="flame" class="logo" size={64} />
          <p class="loading">Warming up the hearth…</p>
        </main>
      );
    case "error":
      return (
        <main data-screen="error" class="boot" id="main">
          <h1>Hearth couldn’t start</h1>
          <p role="alert">{boot.message}</p>
          <button type="button" class="button primary big" onClick={() => (setBoot({ kind: "loading" }), load())}>
            Try again
          </button>
        </main>
      );
    case "first-run":
      return (
        <FirstRun
          onCreated={(parent, pin) => load(pin ? { member: parent, pin } : null)}
          onJoined={(role) => load(null, role)}
        />
      );
    case "ready":
      return (
        <SessionProvider initial={boot.state} initialPin={boot.pin} deviceRole={boot.role}>
          <Shell />
        </SessionProvider>
      );
  }
}

const SCREEN_COMPONENTS: Record<ScreenId, () => preact.JSX.Element> = {
  today: Today,
  chores: Chores,
  rewards: Rewards,
  approvals: Approvals,
  history: History,
  stats: Stats,
  household: Household,
};

export function Shell(props: { initialScreen?: ScreenId }) {
  const [screen, setScreen] = useState<ScreenId>(props.initialScreen ?? "today");
  const s = useSession();
  const Screen = SCREEN_COMPONENTS[screen];
  return (
    <div class={`app ${s.activeIsParent ? "as-parent" : "as-child"}`}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header screen={screen} onNavigate={setScreen} />
      <main data-screen={screen} id="main" tabIndex={-1}>
        <Screen />
      </main>
    </div>
  );
}
