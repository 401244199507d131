//! The subscription root: live moderation events of the caller's department.

use async_graphql::{Context, Subscription as SubscriptionObject};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::context::{principal, state};
use super::types::moderation::ModerationEvent;
use crate::auth::permissions;
use crate::service::comments;

/// Subscriptions (over `graphql-transport-ws` at `/graphql/ws`).
#[derive(Default)]
pub struct Subscription;

#[SubscriptionObject]
impl Subscription {
    /// Comment ingested, comment decided, appeal filed — for moderators of the department,
    /// emitted after the change committed.
    async fn moderation_events(
        &self,
        ctx: &Context<'_>,
        department_code: String,
    ) -> async_graphql::Result<impl Stream<Item = ModerationEvent> + use<>> {
        let p = principal(ctx)?;
        let st = state(ctx)?;
        permissions::require_own_department(p, &department_code)?;
        comments::moderator(&st.db, &st.profiles, p).await?;
        let department_id = p.department_id;
        let rx = st.events.subscribe();
        Ok(futures_util::stream::unfold(rx, move |mut rx| async move {
            loop {
                match rx.recv().await {
                    Ok(ev) if ev.department_id == department_id => match ModerationEvent::try_from(ev) {
                        Ok(ev) => return Some((ev, rx)),
                        Err(e) => tracing::warn!(error = %e, "moderation event skipped"),
                    },
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }
}
