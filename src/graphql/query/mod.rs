//! The query root, merged from one object per area.

mod core;
mod governance;
mod moderation;
pub(crate) mod node;
mod posting;
mod records;

use async_graphql::MergedObject;

/// Read operations.
#[derive(MergedObject, Default)]
pub struct Query(
    core::CoreQuery,
    governance::GovernanceQuery,
    posting::PostingQuery,
    moderation::ModerationQuery,
    records::RecordsQuery,
);
