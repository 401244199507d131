//! Training the heads: a logistic regression per content rule (`linfa-logistic`), with the
//! threshold chosen by cross-validation for precision.
//!
//! Labels belong to texts, but heads score sentences, so training follows the multiple-instance
//! recipe: a first fit on whole texts; then, for each positive text, its highest-scoring
//! sentence (or the whole text) is the positive instance, and every sentence of a negative text
//! is a negative one; then a second fit. Items whose context has the rule OFF (a public comment
//! about a lawsuit) say nothing about that rule and are left out of its head.
//!
//! The threshold is the lowest at which rules and model *together* keep the target precision
//! on out-of-fold scores, which maximises recall at that precision. Folds are fixed by a hash of
//! each text and the optimiser is deterministic, so the same corpus and model give the same
//! heads. When the encoder was itself tuned on part of the corpus, only the items it never saw
//! ([`super::tune::held_out`]) choose thresholds: scores of items it learned are optimistic.

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};

use super::super::eval::{CorpusItem, precision_recall_f1};
use super::super::policy::ScreeningPolicy;
use super::super::rules::RuleCode;
use super::super::screen;
use super::encoder::{Document, Encoder, SentencePooling};
use super::heads::{CvScores, FORMAT, Head, Heads, features};
use super::{MODEL_RULES, tune};

/// Settings of a training run.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Cross-validation folds.
    pub folds: u64,
    /// Precision the combined engine must keep on out-of-fold scores.
    pub target_precision: f64,
    /// Recall a rule should reach: when `target_precision` leaves it below this, the threshold
    /// is lowered until it does, as long as precision stays at `floor_precision`.
    pub recall_floor: f64,
    /// Precision a rule may fall to in order to reach `recall_floor`.
    pub floor_precision: f64,
    /// L2 penalty of the logistic regressions.
    pub alpha: f64,
    /// Choose thresholds only on items the encoder was not tuned on.
    pub tuned_encoder: bool,
    /// How sentence vectors are made.
    pub sentence_pooling: SentencePooling,
    /// `shipped` or a department code.
    pub scope: String,
    /// Day written into the file.
    pub trained_at: String,
    /// Hash of the corpus (and decisions).
    pub corpus_hash: String,
}

/// Progress of a long run, for the command line.
pub trait Progress {
    /// `done` of `total` texts embedded.
    fn embedded(&mut self, done: usize, total: usize);
    /// Starting the head of `rule`, the `n`th of `of`.
    fn rule(&mut self, rule: RuleCode, n: usize, of: usize);
}

/// A text of the corpus as training sees it.
struct Example<'a> {
    item: &'a CorpusItem,
    doc: Document,
    /// Rules the rule stage finds in it.
    rule_found: Vec<RuleCode>,
    fold: u64,
}

/// Trains every head on `items` (screened under their department's policy).
pub fn train<'p>(
    encoder: &Encoder,
    items: &[CorpusItem],
    policy_for: impl Fn(&str) -> Option<&'p ScreeningPolicy>,
    opts: &TrainOptions,
    progress: &mut dyn Progress,
) -> Result<Heads, String> {
    let mut examples = Vec::with_capacity(items.len());
    for chunk in items.chunks(64) {
        let texts: Vec<&str> = chunk.iter().map(|i| i.text.as_str()).collect();
        for (item, doc) in chunk
            .iter()
            .zip(encoder.documents(&texts, opts.sentence_pooling)?)
        {
            let policy = policy_for(&item.department)
                .ok_or_else(|| format!("corpus names department {} with no profile", item.department))?;
            let rule_found = screen(policy, item.context, &item.text)
                .findings
                .iter()
                .map(|f| f.rule)
                .collect();
            let fold = tune::text_hash(&item.text) % opts.folds.max(2);
            examples.push(Example {
                item,
                doc,
                rule_found,
                fold,
            });
        }
        progress.embedded(examples.len(), items.len());
    }
    let mut heads = Vec::new();
    for (n, rule) in MODEL_RULES.into_iter().enumerate() {
        progress.rule(rule, n + 1, MODEL_RULES.len());
        let on: Vec<&Example> = examples
            .iter()
            .filter(|e| {
                policy_for(&e.item.department).is_some_and(|p| p.severity(rule, e.item.context).is_some())
            })
            .collect();
        if let Some(head) = train_rule(rule, &on, opts)? {
            heads.push(head);
        }
    }
    Ok(Heads {
        format: FORMAT,
        model: encoder.hash().to_owned(),
        corpus: opts.corpus_hash.clone(),
        items: items.len(),
        trained_at: opts.trained_at.clone(),
        scope: opts.scope.clone(),
        dim: encoder.dim(),
        sentence_pooling: opts.sentence_pooling,
        heads,
    })
}

/// One rule's head, or `None` when the corpus has no positive (or no negative) for it.
fn train_rule(rule: RuleCode, on: &[&Example], opts: &TrainOptions) -> Result<Option<Head>, String> {
    let gold: Vec<bool> = on.iter().map(|e| e.item.expected.contains(&rule)).collect();
    let positives = gold.iter().filter(|g| **g).count();
    if positives == 0 || positives == gold.len() {
        return Ok(None);
    }
    let mut oof: Vec<Option<f64>> = vec![None; on.len()];
    for fold in 0..opts.folds.max(2) {
        let fit: Vec<usize> = (0..on.len()).filter(|&i| on[i].fold != fold).collect();
        let (w, b) = fit_mil(on, &gold, &fit, opts.alpha)?;
        for i in (0..on.len()).filter(|&i| on[i].fold == fold) {
            oof[i] = Some(text_score(&w, b, on[i]));
        }
    }
    let calibrating: Vec<usize> = (0..on.len())
        .filter(|&i| !opts.tuned_encoder || tune::held_out(&on[i].item.text))
        .collect();
    let scored: Vec<(f64, bool, bool)> = calibrating
        .iter()
        .filter_map(|&i| oof[i].map(|s| (s, gold[i], on[i].rule_found.contains(&rule))))
        .collect();
    let (threshold, precision, recall) = choose_threshold_with_floor(&scored, opts);
    let all: Vec<usize> = (0..on.len()).collect();
    let (w, b) = fit_mil(on, &gold, &all, opts.alpha)?;
    Ok(Some(Head {
        rule,
        threshold: threshold as f32,
        bias: b as f32,
        weights: w.iter().map(|x| *x as f32).collect(),
        cv: CvScores {
            positives,
            precision: precision as f32,
            recall: recall as f32,
        },
    }))
}

/// Fits a head on the examples `idx` with one multiple-instance refinement: first on whole
/// texts, then a positive contributes only its best-scoring instance (a sentence or the whole)
/// and a negative all of them, starting from the first fit.
fn fit_mil(on: &[&Example], gold: &[bool], idx: &[usize], alpha: f64) -> Result<(Vec<f64>, f64), String> {
    let whole: Vec<Vec<f32>> = idx.iter().map(|&i| whole_features(on[i])).collect();
    let labels: Vec<bool> = idx.iter().map(|&i| gold[i]).collect();
    let (w, b) = fit(&whole, &labels, alpha, None)?;
    let mut rows = Vec::new();
    let mut ys = Vec::new();
    for &i in idx {
        let e = on[i];
        let mut instances = sentence_features(e);
        instances.push(whole_features(e));
        if gold[i] {
            let best = instances
                .iter()
                .map(|x| dot(&w, x) + b)
                .enumerate()
                .fold((0, f64::MIN), |acc, (k, z)| if z > acc.1 { (k, z) } else { acc })
                .0;
            rows.push(instances.swap_remove(best));
            ys.push(true);
        } else {
            ys.extend(std::iter::repeat_n(false, instances.len()));
            rows.extend(instances);
        }
    }
    fit(&rows, &ys, alpha, Some((&w, b)))
}

/// One L2-regularised logistic regression (summed log-loss, so the gradient tolerance grows
/// with the rows); weights and intercept for P(true). `start` warm-starts the solver.
fn fit(
    rows: &[Vec<f32>],
    ys: &[bool],
    alpha: f64,
    start: Option<(&[f64], f64)>,
) -> Result<(Vec<f64>, f64), String> {
    let dims = rows.first().map_or(0, Vec::len);
    let x = Array2::from_shape_fn((rows.len(), dims), |(r, c)| rows[r][c]);
    let y = Array1::from_vec(ys.to_vec());
    let mut params = LogisticRegression::<f32>::default()
        .alpha(alpha as f32)
        .max_iterations(200)
        .gradient_tolerance(1e-4 * rows.len().max(1) as f32);
    if let Some((w, b)) = start {
        // The solver's parameters are for its positive class: the more frequent label (on a
        // tie, the first seen).
        let trues = ys.iter().filter(|y| **y).count();
        let falses = ys.len() - trues;
        let pos_is_true = if trues == falses {
            ys.first() == Some(&true)
        } else {
            trues > falses
        };
        let sign = if pos_is_true { 1.0 } else { -1.0 };
        params = params.initial_params(w.iter().chain([&b]).map(|v| (sign * v) as f32).collect());
    }
    let model = params
        .fit(&Dataset::new(x, y))
        .map_err(|e| format!("fitting a head: {e}"))?;
    let sign = if model.labels().pos.class { 1.0 } else { -1.0 };
    Ok((
        model.params().iter().map(|v| sign * f64::from(*v)).collect(),
        sign * f64::from(model.intercept()),
    ))
}

/// Picks the lowest threshold that keeps precision `target` on `scored` (score, gold, rule stage
/// found it) ([`keeps`]). Returns the threshold (a probability) with the precision and recall of
/// rules and model together that it gives.
fn choose_threshold(scored: &[(f64, bool, bool)], target: f64) -> (f64, f64, f64) {
    let candidates = candidates(scored);
    let reachable = reachable(scored, &candidates, target);
    let t = candidates
        .iter()
        .copied()
        .find(|&t| keeps(scored, t, target, reachable))
        .unwrap_or(1.0);
    let (p, r, _) = precision_recall_at(scored, t);
    (t, p, r)
}

/// Every score, ascending, once.
fn candidates(scored: &[(f64, bool, bool)]) -> Vec<f64> {
    let mut candidates: Vec<f64> = scored.iter().map(|s| s.0).collect();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    candidates
}

/// Whether some threshold lets rules and model together reach precision `target`.
fn reachable(scored: &[(f64, bool, bool)], candidates: &[f64], target: f64) -> bool {
    candidates
        .iter()
        .any(|&t| precision_recall_at(scored, t).0 >= target)
}

/// Whether threshold `t` keeps precision `target` for what the model adds to the rules (the
/// findings a moderator sees as the model's alone), and for rules and model together when some
/// threshold can reach it there (`reachable`; the rule stage's own false positives may hold it
/// below the target at any threshold). Where the rules are strong, the combined figure alone
/// would let a head add findings of any precision; taking the best F1 where the target cannot
/// be had let a head flag anything at all.
fn keeps(scored: &[(f64, bool, bool)], t: f64, target: f64, reachable: bool) -> bool {
    if reachable && precision_recall_at(scored, t).0 < target {
        return false;
    }
    let (mut tp, mut fp) = (0usize, 0usize);
    for &(s, gold, rule) in scored {
        if !rule && s >= t {
            if gold {
                tp += 1;
            } else {
                fp += 1;
            }
        }
    }
    precision_recall_f1(tp, fp, 0).0 >= target
}

/// [`choose_threshold`] for the target precision; when its recall is below the floor, the
/// highest threshold that reaches the floor while keeping the floor precision (or, when none
/// does, the most recall that precision allows). A rule's misses cost as much as its false
/// alarms once recall is this low: a moderator can clear a false alarm, not see a miss.
fn choose_threshold_with_floor(scored: &[(f64, bool, bool)], opts: &TrainOptions) -> (f64, f64, f64) {
    let strict = choose_threshold(scored, opts.target_precision);
    if strict.2 >= opts.recall_floor || opts.floor_precision >= opts.target_precision {
        return strict;
    }
    let all = candidates(scored);
    let reach = reachable(scored, &all, opts.floor_precision);
    let relaxed = choose_threshold(scored, opts.floor_precision);
    if !keeps(scored, relaxed.0, opts.floor_precision, reach) || relaxed.2 <= strict.2 {
        return strict; // the floor precision is out of reach, or it buys no recall
    }
    // Thresholds from the strict one down to the relaxed one: the first to reach the floor.
    let mut between: Vec<f64> = all
        .into_iter()
        .filter(|&t| t < strict.0 && t >= relaxed.0)
        .collect();
    between.reverse();
    for t in between {
        let (p, r, _) = precision_recall_at(scored, t);
        if r >= opts.recall_floor && keeps(scored, t, opts.floor_precision, reach) {
            return (t, p, r);
        }
    }
    relaxed
}

/// Precision, recall and F1 of rules plus model at threshold `t`.
fn precision_recall_at(scored: &[(f64, bool, bool)], t: f64) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for &(s, gold, rule) in scored {
        match (s >= t || rule, gold) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => {}
        }
    }
    precision_recall_f1(tp, fp, fn_)
}

/// The score of a text: its best sentence or the whole text, as a probability.
fn text_score(w: &[f64], b: f64, e: &Example) -> f64 {
    let mut best = dot(w, &whole_features(e)) + b;
    for x in sentence_features(e) {
        best = best.max(dot(w, &x) + b);
    }
    1.0 / (1.0 + (-best).exp())
}

fn sentence_features(e: &Example) -> Vec<Vec<f32>> {
    e.doc
        .vectors
        .iter()
        .map(|v| features(v, &e.doc.whole, e.item.context))
        .collect()
}

fn whole_features(e: &Example) -> Vec<f32> {
    features(&e.doc.whole, &e.doc.whole, e.item.context)
}

fn dot(w: &[f64], x: &[f32]) -> f64 {
    w.iter().zip(x).map(|(a, b)| a * f64::from(*b)).sum()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_keeps_precision_and_maximises_recall() {
        // (score, gold, found by rules)
        let scored = vec![
            (0.95, true, false),
            (0.90, true, false),
            (0.85, false, false),
            (0.80, true, false),
            (0.70, false, false),
            (0.60, true, false),
            (0.10, false, false),
        ];
        let (t, p, r) = choose_threshold(&scored, 0.75);
        assert_eq!(t, 0.80);
        assert!((p - 0.75).abs() < 1e-9 && (r - 0.75).abs() < 1e-9);
    }

    fn options(target: f64, floor: f64, floor_precision: f64) -> TrainOptions {
        TrainOptions {
            folds: 5,
            target_precision: target,
            recall_floor: floor,
            floor_precision,
            alpha: 1.0,
            tuned_encoder: false,
            sentence_pooling: SentencePooling::InContext,
            scope: "shipped".into(),
            trained_at: "2026-12-02".into(),
            corpus_hash: String::new(),
        }
    }

    #[test]
    fn a_low_recall_buys_recall_with_precision_down_to_the_floor() {
        // Ten positives, ten negatives; at precision 1.0 only 3 positives are caught.
        let mut scored: Vec<(f64, bool, bool)> = [0.99, 0.98, 0.97, 0.80, 0.79, 0.78, 0.77, 0.60, 0.50, 0.40]
            .iter()
            .map(|s| (*s, true, false))
            .collect();
        scored.extend([0.96, 0.70].iter().map(|s| (*s, false, false)));
        scored.extend(std::iter::repeat_n((0.30, false, false), 8));
        let strict = choose_threshold_with_floor(&scored, &options(0.99, 0.0, 0.8));
        assert_eq!((strict.1, strict.2), (1.0, 0.3), "{strict:?}");
        let floored = choose_threshold_with_floor(&scored, &options(0.99, 0.7, 0.8));
        assert!(floored.2 >= 0.7 && floored.1 >= 0.8, "{floored:?}");
        // The highest such threshold: the first that reaches the floor.
        assert_eq!(floored.0, 0.77, "{floored:?}");
        // A floor precision that cannot be had keeps the strict threshold.
        let kept = choose_threshold_with_floor(&scored, &options(0.99, 1.0, 0.98));
        assert_eq!(kept, strict);
    }

    #[test]
    fn rule_stage_false_positives_count_against_the_model() {
        let scored = vec![(0.9, true, false), (0.1, false, true), (0.2, false, true)];
        // Rules alone are at 0/2 precision; no threshold reaches 0.9 for both together, so the
        // model's own additions must keep it: its one addition, the positive, does.
        let (t, p, r) = choose_threshold(&scored, 0.9);
        assert!(p < 0.9 && r == 1.0);
        assert!(t <= 0.9, "{t}");
    }

    #[test]
    fn when_the_rules_cap_precision_the_model_adds_only_what_keeps_it() {
        // (score, gold, found by rules): the rules flag two negatives, so rules and model
        // together never reach 0.9. Below 0.7 the model's additions are mostly false alarms,
        // which the best F1 would have taken.
        let mut scored = vec![(0.05, false, true), (0.05, false, true)];
        scored.extend([0.95, 0.9, 0.8, 0.7].iter().map(|s| (*s, true, false)));
        scored.extend([0.5, 0.5, 0.4].iter().map(|s| (*s, false, false)));
        scored.extend([0.45, 0.3].iter().map(|s| (*s, true, false)));
        let (t, p, r) = choose_threshold(&scored, 0.9);
        assert_eq!(t, 0.7, "{t} {p} {r}");
        // Strong rules do not carry weak additions: together they keep 0.9 at any threshold
        // (10 of 11), but below 0.6 what the model adds is right only two times in three.
        let mut strong: Vec<(f64, bool, bool)> = std::iter::repeat_n((0.05, true, true), 8).collect();
        strong.extend([(0.9, true, false), (0.6, true, false), (0.4, false, false)]);
        assert_eq!(precision_recall_at(&strong, 0.4).0, 10.0 / 11.0);
        assert_eq!(choose_threshold(&strong, 0.9).0, 0.6);
        // Nothing the model adds keeps the target: it adds nothing.
        let poor = vec![(0.9, false, false), (0.8, true, false), (0.1, false, true)];
        assert_eq!(choose_threshold(&poor, 0.9).0, 1.0);
    }

    #[test]
    fn fitting_is_deterministic_and_separates_a_toy_problem() {
        let rows: Vec<Vec<f32>> = (0..40)
            .map(|i| vec![if i % 2 == 0 { 1.0 } else { -1.0 }, (i as f32 * 0.37).sin()])
            .collect();
        let ys: Vec<bool> = (0..40).map(|i| i % 2 == 0).collect();
        let a = fit(&rows, &ys, 1.0, None).unwrap();
        let b = fit(&rows, &ys, 1.0, None).unwrap();
        assert_eq!(a, b);
        assert!(a.0[0] > 1.0, "{a:?}");
        let flipped: Vec<bool> = ys.iter().map(|y| !y).collect();
        let c = fit(&rows, &flipped, 1.0, None).unwrap();
        assert!(c.0[0] < -1.0, "{c:?}");
    }
}
