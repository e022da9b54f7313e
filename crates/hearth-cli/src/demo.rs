//! `hearth demo`: a small household to look around in.

use hearth_app::{Actor, App, AppError, ChoreInput, RewardInput, Verdict};
use hearth_domain::Role;

/// Creates the demo household (unless this data dir has one) and shows it.
pub async fn run(app: &App, json: bool) -> anyhow::Result<()> {
    match app.household().await {
        Ok(_) => {}
        Err(AppError::NotInitialized) => create(app).await?,
        Err(e) => return Err(e.into()),
    }
    let today = app.today(None, None).await?;
    let balances = app.balances(None).await?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "today": today, "balances": balances })
            )?
        );
        return Ok(());
    }
    let h = app.household().await?;
    println!("{} ({})\n\nToday:", h.name, h.timezone);
    for o in &today {
        println!(
            "  {:<8} {:<20} {:<6} {}",
            o.status,
            o.title,
            o.due_time.clone().unwrap_or_else(|| "today".into()),
            o.assignee.clone().unwrap_or_else(|| "anyone".into())
        );
    }
    println!("\nPoints:");
    for b in &balances {
        println!(
            "  {:<8} {:>4} spendable  {:>4} earned",
            b.member, b.spendable, b.earned
        );
    }
    let me = std::env::args().next().unwrap_or_else(|| "hearth".into());
    println!("\nTry: {me} today   ·   {me} done \"Tidy room\" --by Sam   ·   {me} balance");
    Ok(())
}

async fn create(app: &App) -> anyhow::Result<()> {
    let parent = Actor::default();
    app.init("The Demo Family", "Europe/Berlin", "Alex", None)
        .await?;
    app.add_member(&parent, "Sam", Role::Child, None).await?;
    app.add_member(&parent, "Robin", Role::Child, None).await?;
    let chore =
        |title: &str, points: i64, every: &str, at: Option<&str>, assign: &str, approval: bool| {
            ChoreInput {
                title: title.into(),
                points,
                every: every.into(),
                at: at.map(Into::into),
                assign: Some(assign.into()),
                approval,
                ..ChoreInput::default()
            }
        };
    app.add_chore(
        &parent,
        chore(
            "Feed the cat",
            5,
            "day",
            Some("07:30"),
            "rotate:Sam,Robin",
            false,
        ),
    )
    .await?;
    app.add_chore(
        &parent,
        chore("Tidy room", 10, "day", None, "everyone:Sam,Robin", false),
    )
    .await?;
    app.add_chore(
        &parent,
        chore("Empty the dishwasher", 15, "day", None, "anyone", true),
    )
    .await?;
    app.add_reward(
        &parent,
        RewardInput {
            title: "Ice cream".into(),
            cost: 30,
            ..RewardInput::default()
        },
    )
    .await?;
    app.add_reward(
        &parent,
        RewardInput {
            title: "Movie night pick".into(),
            cost: 100,
            approval: true,
            ..RewardInput::default()
        },
    )
    .await?;
    let c = app
        .done(&parent, "Empty the dishwasher", "Sam", None)
        .await?;
    app.review(&parent, &c.key, Verdict::Approve).await?;
    app.done(&parent, "Tidy room", "Robin", None).await?;
    Ok(())
}
