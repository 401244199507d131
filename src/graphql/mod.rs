//! The GraphQL API: schema assembly, request context, roots, types and loaders.

pub mod context;
pub mod ids;
pub mod loaders;
pub mod mutation;
pub mod prefetch;
pub mod query;
pub mod subscription;
pub mod types;

use async_graphql::Schema;

use crate::state::AppState;

/// The schema type.
pub type AppSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

/// Nesting depth of selections allowed.
pub const MAX_DEPTH: usize = 12;
/// async-graphql complexity budget (every field counts 1, connections multiply).
pub const MAX_COMPLEXITY: usize = 2_000;

/// Builds the schema; `state` is absent when only the SDL is wanted.
pub fn build_schema(state: Option<AppState>, introspection: bool) -> AppSchema {
    let mut builder = Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        subscription::Subscription,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(32)
    .limit_directives(8)
    .extension(crate::http::inputs::InputLimits)
    .disable_suggestions();
    if !introspection {
        builder = builder.disable_introspection();
    }
    if let Some(state) = state {
        builder = builder.data(state);
    }
    builder.finish()
}

/// The SDL as committed in `schema.graphql`.
pub fn sdl() -> String {
    build_schema(None, true).sdl()
}
