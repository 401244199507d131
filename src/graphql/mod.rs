//! The GraphQL API: schema assembly, request context, roots, types and loaders.

pub mod context;
pub mod ids;
pub mod loaders;
pub mod mutation;
pub mod paging;
pub mod prefetch;
pub mod query;
pub mod scalars;
pub mod subscription;
pub mod types;

use async_graphql::Schema;

use crate::state::AppState;

/// The schema type.
pub type AppSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

/// Nesting depth of selections allowed.
pub const MAX_DEPTH: usize = 12;
/// Nesting depth allowed to operations that select only introspection (see
/// [`crate::http::introspection`]): the standard introspection query needs 13, graphql-js 17's
/// deeper `ofType` chain 15.
pub const INTROSPECTION_MAX_DEPTH: usize = 20;
/// async-graphql complexity budget (every field counts 1, connections multiply).
pub const MAX_COMPLEXITY: usize = 2_000;

/// The schema for introspection-only operations, which differs only in its depth limit.
#[derive(Clone)]
pub struct IntrospectionSchema(pub AppSchema);

/// Builds the schema; `state` is absent when only the SDL is wanted.
pub fn build_schema(state: Option<AppState>, introspection: bool) -> AppSchema {
    build_schema_with_depth(state, introspection, MAX_DEPTH)
}

/// Both schemas: the ordinary one, and the one introspection-only operations run on (the same
/// schema when introspection is off).
pub fn build_schemas(state: AppState, introspection: bool) -> (AppSchema, IntrospectionSchema) {
    let main = build_schema(Some(state.clone()), introspection);
    let own = if introspection {
        build_schema_with_depth(Some(state), true, INTROSPECTION_MAX_DEPTH)
    } else {
        main.clone()
    };
    (main, IntrospectionSchema(own))
}

fn build_schema_with_depth(state: Option<AppState>, introspection: bool, depth: usize) -> AppSchema {
    let mut builder = Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        subscription::Subscription,
    )
    .limit_depth(depth)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(32)
    .limit_directives(8)
    .extension(crate::http::inputs::InputLimits)
    .extension(crate::http::reply::ValidationCodes)
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
