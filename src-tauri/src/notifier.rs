//! Native notifications: looks at the household whenever something changes
//! (and every minute, for due times) and shows what `App::take_notices`
//! hands out. Facts are recorded before they are shown, so nothing is ever
//! shown twice; a notification the desktop cannot show is logged and lost.

use std::sync::Arc;
use std::time::Duration;

use hearth_app::App;
use hearth_app::notify::{MAX_AT_ONCE, Notice, summary};
use tokio::sync::Notify;

/// Changes arriving together are looked at once.
const SETTLE: Duration = Duration::from_millis(250);
const TICK: Duration = Duration::from_secs(60);

/// The first look waits for the window to have shown itself: the window's
/// first queries and the notifier's share the household.
const FIRST_LOOK: Duration = Duration::from_secs(3);

pub fn spawn(app: Arc<App>, wake: Arc<Notify>) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FIRST_LOOK).await;
        loop {
            match app.take_notices().await {
                Ok(notices) if notices.len() > MAX_AT_ONCE => show(summary(&notices)).await,
                Ok(notices) => {
                    for n in notices {
                        show(n).await;
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot work out notifications"),
            }
            let _ = tokio::time::timeout(TICK, wake.notified()).await;
            tokio::time::sleep(SETTLE).await;
        }
    });
}

async fn show(notice: Notice) {
    let shown = tokio::task::spawn_blocking(move || {
        notify_rust::Notification::new()
            .appname("Hearth")
            .summary(&notice.title)
            .body(&notice.body)
            .icon("org.hearth.Hearth")
            .timeout(notify_rust::Timeout::Milliseconds(8000))
            .show()
            .map(|_| ())
    })
    .await;
    match shown {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot show a notification"),
        Err(e) => tracing::warn!(error = %e, "notification task failed"),
    }
}
