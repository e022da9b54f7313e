//! `hearth exercise` (hidden): a stream of small edits for the crash test.
//!
//! Each edit goes through `hearth-app`; only after its call has returned (so
//! the edit is committed and durable) does one line `ack <edit>` go to
//! stdout, flushed. An `<edit>` names what the test can look for afterwards:
//!
//! - `adjust:<tag>-<i>`: an adjustment of `member` with that reason,
//! - `reward:<tag>-<i>`, `chore:<tag>-<i>`, `member:<tag>-<i>`: a reward,
//!   chore or child member with that name,
//! - `done:<chore>`, `undo:<chore>`: the chore's completion by `member`,
//!   and its undo.

use std::io::Write;

use hearth_app::{Actor, App, ChoreInput, RewardInput};
use hearth_domain::Role;

pub async fn run(app: &App, edits: u64, tag: &str, member: &str) -> anyhow::Result<()> {
    let parent = Actor::default();
    // The chore added last, and the key of its completion.
    let mut chore: Option<String> = None;
    let mut completion: Option<String> = None;
    for i in 0..edits {
        let name = format!("{tag}-{i}");
        let edit = match i % 6 {
            0 => {
                let points = if i % 12 == 0 { 3 } else { -1 };
                app.adjust(&parent, member, points, &name).await?;
                format!("adjust:{name}")
            }
            1 => {
                app.add_reward(
                    &parent,
                    RewardInput {
                        title: name.clone(),
                        cost: 1,
                        ..RewardInput::default()
                    },
                )
                .await?;
                format!("reward:{name}")
            }
            2 => {
                app.add_chore(
                    &parent,
                    ChoreInput {
                        title: name.clone(),
                        points: 2,
                        every: "day".into(),
                        ..ChoreInput::default()
                    },
                )
                .await?;
                chore = Some(name.clone());
                format!("chore:{name}")
            }
            3 => {
                let title = chore.as_deref().unwrap_or_default();
                let c = app.done(&parent, title, member, None).await?;
                completion = Some(c.key);
                format!("done:{title}")
            }
            4 => {
                let title = chore.take().unwrap_or_default();
                let key = completion.take().unwrap_or_default();
                app.undo(&parent, &key).await?;
                format!("undo:{title}")
            }
            _ => {
                app.add_member(&parent, &name, Role::Child, None).await?;
                format!("member:{name}")
            }
        };
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "ack {edit}")?;
        stdout.flush()?;
    }
    Ok(())
}
