//! Quality of each stage on a labelled corpus: the rules alone, the model alone, both together.

use std::collections::BTreeSet;

use super::super::eval::{self, CorpusItem, EvalReport};
use super::super::policy::ScreeningPolicy;
use super::super::rules::RuleCode;
use super::super::{Provenance, screen_with_model};
use super::{Encoder, Heads, ModelJob, RuleSet, model_hits};

/// One report per stage.
pub struct StageReports {
    /// Stage one alone.
    pub rules: EvalReport,
    /// The heads alone.
    pub model: EvalReport,
    /// What the server returns.
    pub combined: EvalReport,
}

/// Screens every item with rules and model (in batches of 64) and scores each stage.
/// `progress` is told how many items are done.
pub fn evaluate_stages<'p>(
    encoder: &Encoder,
    items: &[CorpusItem],
    policy_for: impl Fn(&str) -> Option<&'p ScreeningPolicy>,
    heads_for: impl Fn(&str) -> &'p Heads,
    mut progress: impl FnMut(usize, usize),
) -> Result<StageReports, String> {
    let mut rules = Vec::with_capacity(items.len());
    let mut model = Vec::with_capacity(items.len());
    let mut combined = Vec::with_capacity(items.len());
    let mut done = 0;
    for chunk in items.chunks(64) {
        let known: Vec<(&CorpusItem, &ScreeningPolicy)> = chunk
            .iter()
            .filter_map(|i| policy_for(&i.department).map(|p| (i, p)))
            .collect();
        let jobs: Vec<ModelJob<'_>> = known
            .iter()
            .map(|(item, policy)| ModelJob {
                text: &item.text,
                context: item.context,
                rules: RuleSet::on(policy, item.context),
                heads: heads_for(&item.department),
            })
            .collect();
        let hits = model_hits(encoder, &jobs)?;
        let mut hits = hits.into_iter();
        for item in chunk {
            let Some(policy) = policy_for(&item.department) else {
                for list in [&mut rules, &mut model, &mut combined] {
                    list.push(BTreeSet::new());
                }
                continue;
            };
            let item_hits = hits.next().unwrap_or_default();
            let rule_set = |r: &super::super::ScreeningResult| -> BTreeSet<RuleCode> {
                r.findings.iter().map(|f| f.rule).collect()
            };
            rules.push(rule_set(&super::super::screen(policy, item.context, &item.text)));
            model.push(item_hits.iter().map(|h| h.rule).collect());
            let both = screen_with_model(
                policy,
                item.context,
                &item.text,
                &item_hits,
                Provenance::rules_only(),
            );
            combined.push(rule_set(&both));
        }
        done += chunk.len();
        progress(done, items.len());
    }
    Ok(StageReports {
        rules: eval::score(items, &policy_for, &rules),
        model: eval::score(items, &policy_for, &model),
        combined: eval::score(items, &policy_for, &combined),
    })
}
