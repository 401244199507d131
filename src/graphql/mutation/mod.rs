//! The mutation root, merged from one object per area.

mod auth;
mod governance;
mod moderation;
mod people;
mod posting;
mod records;

use async_graphql::MergedObject;

/// Write operations.
#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    governance::GovernanceMutation,
    posting::PostingMutation,
    moderation::ModerationMutation,
    people::PeopleMutation,
    records::RecordsMutation,
);
