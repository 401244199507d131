//! Measuring the engine on a labelled corpus: per-rule precision, recall and F1, and the list
//! of items it got wrong. Pure: the caller supplies the items and the policies.
//!
//! Corpus lines are JSON: `{"department":"MT-DOC","context":"PUBLIC_COMMENT","text":"…",
//! "expected":["PPI_SSN"]}`. Labels say what the directive means to catch in the text; only
//! the rules that are ON for the item's department and context count as expected.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::{Context, RuleCode, ScreeningPolicy, screen};

/// Precision every PPI rule must reach.
pub const PPI_MIN_PRECISION: f64 = 0.98;
/// Recall every PPI rule must reach.
pub const PPI_MIN_RECALL: f64 = 0.97;
/// Precision every other rule must reach.
pub const MIN_PRECISION: f64 = 0.90;
/// Recall every other rule must reach.
pub const MIN_RECALL: f64 = 0.85;

/// One labelled text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusItem {
    /// Department code, e.g. `MT-DOC`.
    pub department: String,
    /// Where the text is published.
    pub context: Context,
    /// The text.
    pub text: String,
    /// Rules that should fire.
    pub expected: Vec<RuleCode>,
}

/// Parses a JSON-lines corpus; blank lines are skipped, errors name the line.
pub fn parse_corpus(jsonl: &str) -> Result<Vec<CorpusItem>, String> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("corpus line {}: {e}", n + 1)))
        .collect()
}

/// Counts and scores of one rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleStats {
    /// The rule.
    pub rule: RuleCode,
    /// Expected and found.
    pub tp: usize,
    /// Found but not expected.
    pub fp: usize,
    /// Expected but not found.
    pub fn_: usize,
    /// tp / (tp + fp); 1 when nothing was found.
    pub precision: f64,
    /// tp / (tp + fn); 1 when nothing was expected.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

/// An item where expected and found rules differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// Index of the item in the corpus (0-based).
    pub item: usize,
    /// The item's text.
    pub text: String,
    /// Expected rules that are on in the item's context.
    pub expected: Vec<RuleCode>,
    /// Rules found.
    pub got: Vec<RuleCode>,
}

/// The result of [`evaluate`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalReport {
    /// Items evaluated.
    pub items: usize,
    /// Items with no expected rule in their context.
    pub clean: usize,
    /// Items whose department had no policy (not evaluated).
    pub unknown_department: Vec<usize>,
    /// Rules with at least one expected or found item, in code order.
    pub rules: Vec<RuleStats>,
    /// Items the engine got wrong.
    pub confusions: Vec<Confusion>,
}

/// Screens every item with its department's policy (rules only) and scores each rule.
pub fn evaluate<'p>(
    items: &[CorpusItem],
    policy_for: impl Fn(&str) -> Option<&'p ScreeningPolicy>,
) -> EvalReport {
    let found: Vec<BTreeSet<RuleCode>> = items
        .iter()
        .map(|item| match policy_for(&item.department) {
            Some(policy) => screen(policy, item.context, &item.text)
                .findings
                .iter()
                .map(|f| f.rule)
                .collect(),
            None => BTreeSet::new(),
        })
        .collect();
    score(items, policy_for, &found)
}

/// Scores what a stage `found` in each item (same order as `items`) against the labels.
pub fn score<'p>(
    items: &[CorpusItem],
    policy_for: impl Fn(&str) -> Option<&'p ScreeningPolicy>,
    found: &[BTreeSet<RuleCode>],
) -> EvalReport {
    let mut counts = [(0usize, 0usize, 0usize); RuleCode::ALL.len()];
    let mut report = EvalReport {
        items: 0,
        clean: 0,
        unknown_department: vec![],
        rules: vec![],
        confusions: vec![],
    };
    for (i, (item, got)) in items.iter().zip(found).enumerate() {
        let Some(policy) = policy_for(&item.department) else {
            report.unknown_department.push(i);
            continue;
        };
        report.items += 1;
        let expected: BTreeSet<RuleCode> = item
            .expected
            .iter()
            .copied()
            .filter(|r| policy.severity(*r, item.context).is_some())
            .collect();
        if expected.is_empty() {
            report.clean += 1;
        }
        for (k, rule) in RuleCode::ALL.iter().enumerate() {
            match (expected.contains(rule), got.contains(rule)) {
                (true, true) => counts[k].0 += 1,
                (false, true) => counts[k].1 += 1,
                (true, false) => counts[k].2 += 1,
                (false, false) => {}
            }
        }
        if &expected != got {
            report.confusions.push(Confusion {
                item: i,
                text: item.text.clone(),
                expected: expected.into_iter().collect(),
                got: got.iter().copied().collect(),
            });
        }
    }
    for (k, rule) in RuleCode::ALL.into_iter().enumerate() {
        let (tp, fp, fn_) = counts[k];
        if tp + fp + fn_ == 0 {
            continue;
        }
        let (precision, recall, f1) = precision_recall_f1(tp, fp, fn_);
        report.rules.push(RuleStats {
            rule,
            tp,
            fp,
            fn_,
            precision,
            recall,
            f1,
        });
    }
    report
}

impl EvalReport {
    /// Mean F1 of the content rules (neither PPI nor the website link) that were evaluated.
    pub fn content_macro_f1(&self) -> f64 {
        let content: Vec<f64> = self
            .rules
            .iter()
            .filter(|s| !s.rule.is_ppi() && s.rule != RuleCode::MissingWebsiteLink)
            .map(|s| s.f1)
            .collect();
        if content.is_empty() {
            0.0
        } else {
            content.iter().sum::<f64>() / content.len() as f64
        }
    }

    /// A readable table of the scores, followed by the confusion list.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let share = if self.items == 0 {
            0.0
        } else {
            100.0 * self.clean as f64 / self.items as f64
        };
        let _ = writeln!(out, "{} items, {} clean ({share:.1}%)", self.items, self.clean);
        let _ = writeln!(
            out,
            "{:<24} {:>4} {:>4} {:>4} {:>9} {:>7} {:>6}",
            "rule", "tp", "fp", "fn", "precision", "recall", "f1"
        );
        for s in &self.rules {
            let _ = writeln!(
                out,
                "{:<24} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>6.3}",
                s.rule.as_str(),
                s.tp,
                s.fp,
                s.fn_,
                s.precision,
                s.recall,
                s.f1
            );
        }
        if !self.confusions.is_empty() {
            let _ = writeln!(out, "\nconfusions (item: expected -> got):");
            for c in &self.confusions {
                let names = |v: &[RuleCode]| v.iter().map(RuleCode::as_str).collect::<Vec<_>>().join(",");
                let _ = writeln!(
                    out,
                    "  #{}: [{}] -> [{}]  {}",
                    c.item,
                    names(&c.expected),
                    names(&c.got),
                    c.text
                );
            }
        }
        out
    }

    /// The rules below their thresholds (PPI rules: [`PPI_MIN_PRECISION`] and
    /// [`PPI_MIN_RECALL`]; others: [`MIN_PRECISION`] and [`MIN_RECALL`]), and items whose
    /// department had no policy. Empty when the corpus passes.
    pub fn failures(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .rules
            .iter()
            .filter_map(|s| {
                let (p, r) = if s.rule.is_ppi() {
                    (PPI_MIN_PRECISION, PPI_MIN_RECALL)
                } else {
                    (MIN_PRECISION, MIN_RECALL)
                };
                (s.precision < p || s.recall < r).then(|| {
                    format!(
                        "{}: precision {:.3} (min {p}), recall {:.3} (min {r})",
                        s.rule.as_str(),
                        s.precision,
                        s.recall
                    )
                })
            })
            .collect();
        if !self.unknown_department.is_empty() {
            out.push(format!(
                "{} items name a department with no policy",
                self.unknown_department.len()
            ));
        }
        out
    }
}

/// Precision, recall and F1 of true positives, false positives and false negatives (an empty
/// side counts as perfect: no predictions are all right, no positives are all found).
pub fn precision_recall_f1(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let ratio = |a: usize, b: usize| {
        if a + b == 0 {
            1.0
        } else {
            a as f64 / (a + b) as f64
        }
    };
    let (p, r) = (ratio(tp, fp), ratio(tp, fn_));
    let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_only_rules_that_are_on() {
        let policies = crate::policy::screening::tests::policies();
        let lookup = |code: &str| policies.iter().find(|(c, _)| c == code).map(|(_, p)| p);
        let items = vec![
            CorpusItem {
                department: "MT-DOC".into(),
                context: Context::PublicComment,
                text: "SSN 523-41-7788".into(),
                expected: vec![RuleCode::PpiSsn],
            },
            // RESTRICTED_TOPIC is off for public comments: expected but not counted.
            CorpusItem {
                department: "MT-DOC".into(),
                context: Context::PublicComment,
                text: "the lawsuit".into(),
                expected: vec![RuleCode::RestrictedTopic],
            },
            CorpusItem {
                department: "IL-DOC".into(),
                context: Context::PublicComment,
                text: "all good".into(),
                expected: vec![RuleCode::Obscene],
            },
            CorpusItem {
                department: "XX-DOC".into(),
                context: Context::PublicComment,
                text: "x".into(),
                expected: vec![],
            },
        ];
        let report = evaluate(&items, lookup);
        assert_eq!(
            (report.items, report.clean, report.unknown_department.clone()),
            (3, 1, vec![3])
        );
        let ssn = report.rules.iter().find(|s| s.rule == RuleCode::PpiSsn).unwrap();
        assert_eq!((ssn.tp, ssn.fp, ssn.fn_, ssn.f1), (1, 0, 0, 1.0));
        let obscene = report.rules.iter().find(|s| s.rule == RuleCode::Obscene).unwrap();
        assert_eq!((obscene.tp, obscene.fn_, obscene.recall), (0, 1, 0.0));
        assert!(!report.rules.iter().any(|s| s.rule == RuleCode::RestrictedTopic));
        assert_eq!(report.confusions.len(), 1);
        let failures = report.failures();
        assert!(
            failures.iter().any(|f| f.starts_with("OBSCENE")) && failures.len() == 2,
            "{failures:?}"
        );
        assert!(report.render().contains("PPI_SSN"));
    }
}
