//! Request durations by GraphQL operation name, as Prometheus histograms.
//!
//! Operation names come from clients, so the label set is bounded: names are kept only when
//! they are GraphQL names of at most 64 characters, and after [`MAX_OPERATIONS`] distinct
//! names every further one is counted as `other`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the buckets, seconds.
pub const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Distinct operation names tracked before the rest count as `other`.
pub const MAX_OPERATIONS: usize = 200;

#[derive(Clone, Default)]
struct Histogram {
    /// Observations per bucket (not cumulative), plus one for `+Inf`.
    buckets: [u64; BUCKETS.len() + 1],
    sum: f64,
    count: u64,
}

/// Durations of executed GraphQL requests by operation.
#[derive(Default)]
pub struct Latencies(Mutex<HashMap<String, Histogram>>);

fn label(operation: Option<&str>) -> &str {
    match operation {
        None => "anonymous",
        Some(n)
            if !n.is_empty()
                && n.len() <= 64
                && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !n.as_bytes()[0].is_ascii_digit() =>
        {
            n
        }
        Some(_) => "other",
    }
}

impl Latencies {
    /// Records one request.
    pub fn observe(&self, operation: Option<&str>, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut name = label(operation);
        if !map.contains_key(name) && map.len() >= MAX_OPERATIONS {
            name = "other";
        }
        let h = map.entry(name.to_owned()).or_default();
        let i = BUCKETS.iter().position(|b| secs <= *b).unwrap_or(BUCKETS.len());
        h.buckets[i] += 1;
        h.sum += secs;
        h.count += 1;
    }

    /// The Prometheus text of every histogram, operations sorted by name.
    pub fn render(&self, out: &mut String) {
        let name = "policy_admin_graphql_request_duration_seconds";
        out.push_str(&format!(
            "# HELP {name} Time to execute a GraphQL request, by operation name.\n# TYPE {name} histogram\n"
        ));
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut ops: Vec<_> = map.into_iter().collect();
        ops.sort_by(|a, b| a.0.cmp(&b.0));
        for (op, h) in ops {
            let mut cumulative = 0;
            for (i, le) in BUCKETS.iter().enumerate() {
                cumulative += h.buckets[i];
                out.push_str(&format!(
                    "{name}_bucket{{operation=\"{op}\",le=\"{le}\"}} {cumulative}\n"
                ));
            }
            cumulative += h.buckets[BUCKETS.len()];
            out.push_str(&format!(
                "{name}_bucket{{operation=\"{op}\",le=\"+Inf\"}} {cumulative}\n"
            ));
            out.push_str(&format!("{name}_sum{{operation=\"{op}\"}} {}\n", h.sum));
            out.push_str(&format!("{name}_count{{operation=\"{op}\"}} {}\n", h.count));
        }
    }
}

/// Process metrics from `/proc/self` (Linux): resident memory, CPU time, open files, start.
pub fn render_process(out: &mut String) {
    let mut gauge = |name: &str, kind: &str, help: &str, v: f64| {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}\n"
        ));
    };
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return;
    };
    // Fields after the command name, which is in parentheses and may contain spaces.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
    // `man 5 proc`: utime 14, stime 15, starttime 22 (1-based, counting pid and comm).
    let ticks = 100.0; // USER_HZ on Linux
    if let (Some(u), Some(s)) = (num(11), num(12)) {
        gauge(
            "process_cpu_seconds_total",
            "counter",
            "User and system CPU time.",
            (u + s) / ticks,
        );
    }
    let rss_kib = std::fs::read_to_string("/proc/self/status").ok().and_then(|s| {
        s.lines().find_map(|l| {
            l.strip_prefix("VmRSS:")
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
    });
    if let Some(kib) = rss_kib {
        gauge(
            "process_resident_memory_bytes",
            "gauge",
            "Resident memory.",
            kib * 1024.0,
        );
    }
    if let Ok(dir) = std::fs::read_dir("/proc/self/fd") {
        gauge(
            "process_open_fds",
            "gauge",
            "Open file descriptors.",
            dir.count() as f64,
        );
    }
    let boot = std::fs::read_to_string("/proc/stat").ok().and_then(|s| {
        s.lines().find_map(|l| {
            l.strip_prefix("btime ")
                .and_then(|v| v.trim().parse::<f64>().ok())
        })
    });
    if let (Some(boot), Some(start)) = (boot, num(19)) {
        gauge(
            "process_start_time_seconds",
            "gauge",
            "Start time, seconds since the epoch.",
            boot + start / ticks,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_labels_bounded() {
        let l = Latencies::default();
        l.observe(Some("Queue"), Duration::from_millis(3));
        l.observe(Some("Queue"), Duration::from_millis(30));
        l.observe(Some("bad name\"}"), Duration::from_millis(1));
        l.observe(None, Duration::from_secs(20));
        let mut out = String::new();
        l.render(&mut out);
        let name = "policy_admin_graphql_request_duration_seconds";
        assert!(out.contains(&format!("{name}_bucket{{operation=\"Queue\",le=\"0.005\"}} 1\n")));
        assert!(out.contains(&format!("{name}_bucket{{operation=\"Queue\",le=\"0.05\"}} 2\n")));
        assert!(
            out.contains(&format!("{name}_count{{operation=\"other\"}} 1\n")),
            "{out}"
        );
        assert!(out.contains(&format!(
            "{name}_bucket{{operation=\"anonymous\",le=\"+Inf\"}} 1\n"
        )));
        for i in 0..MAX_OPERATIONS + 5 {
            l.observe(Some(&format!("Op{i}")), Duration::from_millis(1));
        }
        assert!(l.0.lock().unwrap().len() <= MAX_OPERATIONS + 1);
    }
}
