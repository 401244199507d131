//! Pure hash-chain arithmetic: the canonical encoding of an event and its SHA-256 link.
//!
//! The encoding is length-prefixed (`name:len:value\n`), so no choice of field contents can make
//! two different events encode alike; absent values encode as `name:-\n`.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// `prev_hash` of the first event of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Version tag that starts every encoding.
const VERSION: &[u8] = b"policy-admin-audit-v1\n";

/// The hashed fields of one event.
#[derive(Clone, Debug)]
pub struct EventFields<'a> {
    /// Chain key.
    pub chain_key: &'a str,
    /// Sequence number.
    pub seq: i64,
    /// Department id.
    pub department_id: Option<i64>,
    /// Actor.
    pub actor_user_id: Option<i64>,
    /// Designee-of.
    pub on_behalf_of_user_id: Option<i64>,
    /// Action.
    pub action: &'a str,
    /// Outcome.
    pub outcome: &'a str,
    /// Subject type.
    pub subject_type: Option<&'a str>,
    /// Subject id.
    pub subject_id: Option<&'a str>,
    /// Time (microsecond precision).
    pub occurred_at: DateTime<Utc>,
    /// Request id.
    pub request_id: Option<&'a str>,
    /// Client address.
    pub client_addr: Option<&'a str>,
    /// Detail JSON text as stored.
    pub detail: &'a str,
}

fn put(out: &mut Vec<u8>, name: &str, value: Option<&str>) {
    out.extend_from_slice(name.as_bytes());
    out.push(b':');
    match value {
        Some(v) => {
            out.extend_from_slice(v.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(v.as_bytes());
        }
        None => out.push(b'-'),
    }
    out.push(b'\n');
}

/// The canonical byte encoding of an event.
pub fn canonical(f: &EventFields<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + f.detail.len());
    out.extend_from_slice(VERSION);
    let num = |v: Option<i64>| v.map(|n| n.to_string());
    put(&mut out, "chain", Some(f.chain_key));
    put(&mut out, "seq", Some(&f.seq.to_string()));
    put(&mut out, "department", num(f.department_id).as_deref());
    put(&mut out, "actor", num(f.actor_user_id).as_deref());
    put(&mut out, "on_behalf_of", num(f.on_behalf_of_user_id).as_deref());
    put(&mut out, "action", Some(f.action));
    put(&mut out, "outcome", Some(f.outcome));
    put(&mut out, "subject_type", f.subject_type);
    put(&mut out, "subject_id", f.subject_id);
    put(&mut out, "occurred_at", Some(&format_time(f.occurred_at)));
    put(&mut out, "request_id", f.request_id);
    put(&mut out, "client_addr", f.client_addr);
    put(&mut out, "detail", Some(f.detail));
    out
}

/// The time as hashed: RFC 3339, UTC, exactly six fractional digits.
pub fn format_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The hash of an event linked to its predecessor: hex SHA-256 of `prev_hash \n canonical`.
pub fn link_hash(prev_hash: &str, fields: &EventFields<'_>) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical(fields));
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ev(detail: &str) -> EventFields<'_> {
        EventFields {
            chain_key: "MT-DOC",
            seq: 1,
            department_id: Some(1),
            actor_user_id: Some(2),
            on_behalf_of_user_id: None,
            action: "auth.login",
            outcome: "SUCCESS",
            subject_type: Some("User"),
            subject_id: Some("2"),
            occurred_at: Utc.with_ymd_and_hms(2026, 11, 22, 1, 2, 3).unwrap(),
            request_id: Some("r1"),
            client_addr: None,
            detail,
        }
    }

    #[test]
    fn the_hash_is_stable_and_covers_every_field() {
        let base = link_hash(GENESIS, &ev("{}"));
        assert_eq!(base, link_hash(GENESIS, &ev("{}")));
        assert_ne!(base, link_hash(GENESIS, &ev("{\"a\":1}")));
        assert_ne!(base, link_hash(&"1".repeat(64), &ev("{}")));
        let mut other = ev("{}");
        other.actor_user_id = Some(3);
        assert_ne!(base, link_hash(GENESIS, &other));
        let mut other = ev("{}");
        other.client_addr = Some("");
        assert_ne!(base, link_hash(GENESIS, &other), "absent and empty differ");
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let mut a = ev("{}");
        a.subject_type = Some("Us");
        a.subject_id = Some("er2");
        let mut b = ev("{}");
        b.subject_type = Some("User");
        b.subject_id = Some("2");
        assert_ne!(canonical(&a), canonical(&b));
    }

    #[test]
    fn time_has_six_fraction_digits() {
        let t = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(format_time(t), "2026-01-02T03:04:05.000000Z");
    }
}
