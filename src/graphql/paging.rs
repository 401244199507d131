//! Connections: the arguments `first`/`after` and `last`/`before`, and `totalCount`.
//!
//! Every list of the API is a Relay connection over a keyset: cursors name a row's key, a page
//! has at most [`MAX_PAGE`] rows, and the count of the whole filtered list is read only when a
//! client selects `totalCount`.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, OutputType, SimpleObject};

use crate::error::{AppError, AppResult};
use crate::graphql::ids::{self, MAX_PAGE};
use crate::service::paging::{Page, Window};

/// What a connection adds to Relay's `edges` and `pageInfo`.
#[derive(SimpleObject)]
pub struct ListSize {
    /// Items in the whole list with its filters, whatever the page's cursors and size.
    pub total_count: u64,
}

/// A connection with cursors and a total count.
pub type Paged<N> = Connection<String, N, ListSize>;

/// Page size when a client gives neither `first` nor `last`.
const DEFAULT_PAGE: u64 = 20;

/// The window that the four paging arguments of a connection field ask for.
///
/// `first` and `last` together are refused (the Relay specification discourages them, and no
/// client needs them); either above [`MAX_PAGE`] is an error rather than a silently shorter
/// page.
pub fn window(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> AppResult<Window> {
    let (size, from_end) = match (first, last) {
        (Some(_), Some(_)) => {
            return Err(AppError::BadUserInput("give `first` or `last`, not both".into()));
        }
        (Some(n), None) => (size_of("first", n)?, false),
        (None, Some(n)) => (size_of("last", n)?, true),
        (None, None) => (DEFAULT_PAGE, false),
    };
    Ok(Window {
        after: after.as_deref().map(ids::decode_cursor).transpose()?,
        before: before.as_deref().map(ids::decode_cursor).transpose()?,
        size,
        from_end,
        count: ctx.look_ahead().field("totalCount").exists(),
    })
}

fn size_of(name: &str, n: i32) -> AppResult<u64> {
    match u64::try_from(n) {
        Err(_) => Err(AppError::BadUserInput(format!("`{name}` must not be negative"))),
        Ok(_) if n > MAX_PAGE => Err(AppError::BadUserInput(format!(
            "`{name}` must be at most {MAX_PAGE}; page with `after` or `before`"
        ))),
        Ok(size) => Ok(size),
    }
}

/// The connection of a page: each row's cursor from its key, each node wrapped.
pub fn connection<M, N: OutputType>(
    page: Page<M>,
    key: impl Fn(&M) -> i64,
    wrap: impl Fn(M) -> N,
) -> Paged<N> {
    let size = ListSize {
        total_count: page.total.unwrap_or(0),
    };
    let mut conn = Connection::with_additional_fields(page.has_previous, page.has_next, size);
    conn.edges.extend(
        page.rows
            .into_iter()
            .map(|r| Edge::new(ids::cursor(key(&r)), wrap(r))),
    );
    conn
}
