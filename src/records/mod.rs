//! Records: the append-only, hash-chained audit log (IL 01.02.400 II.G.1.e).

pub mod anchor;
pub mod audit;
pub mod chain;
pub mod export;
pub mod export_rows;
pub mod export_scope;
pub mod holds;
pub mod outbound;
pub mod retention;
pub mod verify;
pub mod webhooks;

pub use audit::{NewEvent, Outcome, RequestMeta};
