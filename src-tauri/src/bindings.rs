//! `ui/src/bindings.ts` is generated from the Rust types that cross the
//! window boundary; this test fails when it is out of date
//! (`UPDATE_EXPECT=1 cargo test -p hearth-desktop bindings` rewrites it).

use hearth_app::sync::{DeviceView, InviteView, Link, SyncReport, SyncStatus};
use hearth_app::{
    BalanceView, ChoreView, CompletionView, GoalView, HistoryView, HouseholdView, MemberView,
    OccurrenceView, RedemptionView, RewardInput, RewardView, StreakView, WeekView,
};
use ts_rs::{Config, TS};

use crate::commands::{
    ActorArg, AppState, ChoreForm, Completed, Described, ErrorBody, Invite, JoinInput,
    NewHousehold, NewMember, SettingsForm,
};
use crate::{PullProgress, SyncEvent};

fn decl<T: TS>(cfg: &Config) -> String {
    format!("export {}\n", T::decl(cfg))
}

fn bindings() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        decl::<StreakView>(&cfg),
        decl::<HouseholdView>(&cfg),
        decl::<MemberView>(&cfg),
        decl::<ChoreView>(&cfg),
        decl::<RewardView>(&cfg),
        decl::<OccurrenceView>(&cfg),
        decl::<CompletionView>(&cfg),
        decl::<RedemptionView>(&cfg),
        decl::<GoalView>(&cfg),
        decl::<BalanceView>(&cfg),
        decl::<HistoryView>(&cfg),
        decl::<WeekView>(&cfg),
        decl::<Link>(&cfg),
        decl::<InviteView>(&cfg),
        decl::<DeviceView>(&cfg),
        decl::<SyncStatus>(&cfg),
        decl::<SyncReport>(&cfg),
        decl::<serde_json::Value>(&cfg),
        decl::<ErrorBody>(&cfg),
        decl::<ActorArg>(&cfg),
        decl::<AppState>(&cfg),
        decl::<NewHousehold>(&cfg),
        decl::<JoinInput>(&cfg),
        decl::<NewMember>(&cfg),
        decl::<ChoreForm>(&cfg),
        decl::<RewardInput>(&cfg),
        decl::<SettingsForm>(&cfg),
        decl::<Described>(&cfg),
        decl::<Invite>(&cfg),
        decl::<Completed>(&cfg),
        decl::<SyncEvent>(&cfg),
        decl::<PullProgress>(&cfg),
    ];
    format!(
        "// Generated from the Rust types by `UPDATE_EXPECT=1 cargo test -p hearth-desktop bindings`. Do not edit.\n\n{}",
        decls.join("\n")
    )
}

#[test]
fn bindings_are_current() {
    expect_test::expect_file!["../../ui/src/bindings.ts"].assert_eq(&bindings());
}
