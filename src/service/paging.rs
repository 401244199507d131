//! Keyset pages over one ordered key column: `first`/`after` read forward, `last`/`before` read
//! backward from the end, and the size of the whole filtered list is counted only when asked.
//!
//! A page is one statement (two with the count): the filter, the cursor bound, the order and
//! one row more than the page, which says whether another page follows.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use crate::error::AppResult;

/// The order in which a list is presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Smallest key first (oldest first).
    Ascending,
    /// Largest key first (newest first).
    Descending,
}

/// Which part of a list a page covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// Only keys after this one, in the list's order.
    pub after: Option<i64>,
    /// Only keys before this one, in the list's order.
    pub before: Option<i64>,
    /// Rows in the page.
    pub size: u64,
    /// The page is the last `size` rows of the range (`last`) instead of the first.
    pub from_end: bool,
    /// Count the whole filtered list (without the cursors).
    pub count: bool,
}

impl Window {
    /// The first `size` rows after `after` (the old `first`/`after` paging).
    pub fn forward(size: u64, after: Option<i64>) -> Self {
        Self {
            after,
            size,
            ..Self::default()
        }
    }
}

/// One page of rows.
#[derive(Debug)]
pub struct Page<M> {
    /// The rows, in the list's order.
    pub rows: Vec<M>,
    /// Rows precede this page.
    pub has_previous: bool,
    /// Rows follow this page.
    pub has_next: bool,
    /// Rows in the whole filtered list, when the window asked for it.
    pub total: Option<u64>,
}

/// Reads the page of `q` (already filtered, not ordered) in `window`, ordered by `key` (a column
/// of `E` or of a table joined to it).
pub(crate) async fn fetch<E, C, K>(
    db: &C,
    q: Select<E>,
    key: K,
    direction: Direction,
    window: Window,
) -> AppResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
    K: ColumnTrait,
{
    let total = if window.count {
        Some(q.clone().count(db).await?)
    } else {
        None
    };
    let mut rows = statement(q, key, direction, window).all(db).await?;
    let more = rows.len() as u64 > window.size;
    rows.truncate(usize::try_from(window.size).unwrap_or(usize::MAX));
    Ok(if window.from_end {
        rows.reverse();
        Page {
            rows,
            has_previous: more,
            has_next: window.before.is_some(),
            total,
        }
    } else {
        Page {
            rows,
            has_previous: window.after.is_some(),
            has_next: more,
            total,
        }
    })
}

/// The order a page's statement reads its key in: backwards when reading from the end.
pub fn order(direction: Direction, window: Window) -> Order {
    if (direction == Direction::Ascending) != window.from_end {
        Order::Asc
    } else {
        Order::Desc
    }
}

/// The statement of a page: `q` bounded by the window's cursors, ordered by `key` (backwards
/// when reading from the end) and limited to one row more than the page. Public so that tests
/// can `EXPLAIN` exactly what runs.
pub fn statement<E, K>(q: Select<E>, key: K, direction: Direction, window: Window) -> Select<E>
where
    E: EntityTrait,
    K: ColumnTrait,
{
    let ascending = direction == Direction::Ascending;
    let mut q = q;
    if let Some(a) = window.after {
        q = q.filter(if ascending { key.gt(a) } else { key.lt(a) });
    }
    if let Some(b) = window.before {
        q = q.filter(if ascending { key.lt(b) } else { key.gt(b) });
    }
    // Reading from the end walks the key the other way; `fetch` turns the rows round after.
    q.order_by(key, order(direction, window))
        .limit(window.size.saturating_add(1))
}
