//! Policy as data: department profiles (embedded TOML files) and the rule catalogue.
//!
//! Code here holds mechanisms; Montana's and Illinois' particulars live in `profiles/*.toml`.

pub mod profile;
pub mod quorum;
pub mod screening;

pub use profile::{Profile, Profiles};
