//! Per-rule heads: one logistic classifier per content rule over a sentence's embedding, the
//! whole text's embedding and the context, with a threshold chosen for precision.
//!
//! A text's score for a rule is the highest score of its sentences (each scored together with
//! the whole text) and of the whole text on its own. A finding covers every sentence at or above
//! the threshold; when only the whole text is, it covers the highest-scoring sentence.
//!
//! Heads files are JSON, written by `policy-admin screening train`, committed and embedded. They
//! record the model they were trained on, the corpus, the date and their cross-validated scores.

use serde::{Deserialize, Serialize};

use super::super::rules::{Context, RuleCode};
use super::encoder::{Document, SentencePooling};
use super::files::sha256_tag;

/// The heads shipped in the binary, trained on the shipped corpus and model.
static EMBEDDED: &[u8] = include_bytes!("heads.json");

/// Version of the heads file format.
pub const FORMAT: u32 = 1;

/// A heads file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heads {
    /// [`FORMAT`].
    pub format: u32,
    /// Hash of the model the heads were trained on.
    pub model: String,
    /// SHA-256 of the training corpus (and, for a department, of its decisions).
    pub corpus: String,
    /// Items in the corpus.
    pub items: usize,
    /// Day of training (`SOURCE_DATE_EPOCH` when set, for reproducible files).
    pub trained_at: String,
    /// What the heads were trained for: `shipped` or a department code.
    pub scope: String,
    /// Embedding width of the model.
    pub dim: usize,
    /// How sentence vectors were made for training (and so must be for scoring). Files from
    /// before this field embedded sentences separately.
    #[serde(default)]
    pub sentence_pooling: SentencePooling,
    /// One head per content rule.
    pub heads: Vec<Head>,
}

/// One rule's classifier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    /// The rule.
    pub rule: RuleCode,
    /// Probability at or above which a text is flagged.
    pub threshold: f32,
    /// Intercept.
    pub bias: f32,
    /// `2 * dim + 3` weights: sentence, whole text, context one-hot.
    pub weights: Vec<f32>,
    /// Cross-validated quality of the combined engine for this rule on the training corpus.
    pub cv: CvScores,
}

/// Out-of-fold scores measured while choosing the threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CvScores {
    /// Training items with the rule.
    pub positives: usize,
    /// Precision of rules and model together.
    pub precision: f32,
    /// Recall of rules and model together.
    pub recall: f32,
}

/// A model finding in byte offsets of the original text.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelHit {
    /// The rule.
    pub rule: RuleCode,
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// The head's probability for that sentence (or for the text, when higher).
    pub score: f32,
}

impl Heads {
    /// The shipped heads and their hash.
    pub fn embedded() -> Result<(Self, String), String> {
        Self::parse(EMBEDDED).map(|h| (h, sha256_tag(EMBEDDED)))
    }

    /// Reads and checks a heads file.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let heads: Heads = serde_json::from_slice(bytes).map_err(|e| format!("heads file: {e}"))?;
        if heads.format != FORMAT {
            return Err(format!(
                "heads file format {} is not supported (expected {FORMAT})",
                heads.format
            ));
        }
        for head in &heads.heads {
            if head.weights.len() != feature_len(heads.dim) {
                return Err(format!(
                    "heads file: {} has {} weights, expected {}",
                    head.rule,
                    head.weights.len(),
                    feature_len(heads.dim)
                ));
            }
        }
        Ok(heads)
    }

    /// The file's bytes: compact JSON and a newline.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        let mut out = serde_json::to_vec(self).map_err(|e| e.to_string())?;
        out.push(b'\n');
        Ok(out)
    }

    /// Scores `doc` (screened in `ctx`) with every head whose rule `on` accepts.
    pub fn score(&self, doc: &Document, ctx: Context, on: impl Fn(RuleCode) -> bool) -> Vec<ModelHit> {
        let mut hits = Vec::new();
        let instances: Vec<Vec<f32>> = doc.vectors.iter().map(|v| features(v, &doc.whole, ctx)).collect();
        let whole = features(&doc.whole, &doc.whole, ctx);
        for head in self.heads.iter().filter(|h| on(h.rule)) {
            let scores: Vec<f32> = instances.iter().map(|x| head.probability(x)).collect();
            let text_score = head.probability(&whole);
            let best = scores.iter().copied().fold(text_score, f32::max);
            if best < head.threshold {
                continue;
            }
            let mut any = false;
            for (i, &s) in scores.iter().enumerate() {
                if s >= head.threshold {
                    any = true;
                    let (start, end) = doc.sentences[i];
                    hits.push(ModelHit {
                        rule: head.rule,
                        start,
                        end,
                        score: s,
                    });
                }
            }
            if !any {
                let i = argmax(&scores);
                let (start, end) = doc.sentences[i];
                hits.push(ModelHit {
                    rule: head.rule,
                    start,
                    end,
                    score: best,
                });
            }
        }
        hits
    }
}

impl Head {
    /// σ(w·x + b).
    pub fn probability(&self, x: &[f32]) -> f32 {
        let z: f32 = self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f32>() + self.bias;
        1.0 / (1.0 + (-z).exp())
    }
}

/// Length of a feature vector for embedding width `dim`.
pub fn feature_len(dim: usize) -> usize {
    2 * dim + 3
}

/// The features of one sentence: its embedding, the whole text's, and the context one-hot.
pub fn features(sentence: &[f32], whole: &[f32], ctx: Context) -> Vec<f32> {
    let mut x = Vec::with_capacity(sentence.len() + whole.len() + 3);
    x.extend_from_slice(sentence);
    x.extend_from_slice(whole);
    x.extend(
        [
            Context::PublicComment,
            Context::OfficialPost,
            Context::StaffContent,
        ]
        .map(|c| if c == ctx { 1.0 } else { 0.0 }),
    );
    x
}

fn argmax(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, x) in v.iter().enumerate() {
        if *x > v[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn doc() -> Document {
        // Two sentences in a 2-dimensional toy space.
        Document {
            sentences: vec![(0, 10), (11, 30)],
            vectors: vec![vec![1.0, 0.0], vec![0.0, 1.0]],
            whole: vec![std::f32::consts::FRAC_1_SQRT_2; 2],
        }
    }

    fn head(weights: Vec<f32>, threshold: f32) -> Heads {
        Heads {
            format: FORMAT,
            model: "sha256:x".into(),
            corpus: "sha256:y".into(),
            items: 2,
            trained_at: "2026-12-01".into(),
            scope: "shipped".into(),
            dim: 2,
            sentence_pooling: SentencePooling::InContext,
            heads: vec![Head {
                rule: RuleCode::ThreatHarassment,
                threshold,
                bias: 0.0,
                weights,
                cv: CvScores {
                    positives: 1,
                    precision: 1.0,
                    recall: 1.0,
                },
            }],
        }
    }

    #[test]
    fn a_finding_covers_the_sentence_that_scores() {
        // Weight on the second sentence dimension only.
        let heads = head(vec![0.0, 8.0, 0.0, 0.0, 0.0, 0.0, 0.0], 0.9);
        let hits = heads.score(&doc(), Context::PublicComment, |_| true);
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].start, hits[0].end), (11, 30));
        assert!(hits[0].score > 0.99);
    }

    #[test]
    fn a_text_level_score_points_at_the_best_sentence() {
        // Only the whole-text slot carries weight: every sentence scores the same as the
        // text's own instance except through the sentence slot.
        let heads = head(vec![0.0, 0.5, 3.0, 3.0, 0.0, 0.0, 0.0], 0.99);
        let hits = heads.score(&doc(), Context::PublicComment, |_| true);
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].start, hits[0].end), (11, 30));
    }

    #[test]
    fn rules_that_are_off_and_scores_below_threshold_give_nothing() {
        let heads = head(vec![0.0, 8.0, 0.0, 0.0, 0.0, 0.0, 0.0], 0.9);
        assert!(heads.score(&doc(), Context::PublicComment, |_| false).is_empty());
        let heads = head(vec![0.0; 7], 0.9);
        assert!(heads.score(&doc(), Context::PublicComment, |_| true).is_empty());
    }

    #[test]
    fn malformed_heads_files_are_refused() {
        let mut heads = head(vec![0.0; 7], 0.5);
        let ok = heads.to_bytes().unwrap();
        assert_eq!(Heads::parse(&ok).unwrap(), heads);
        heads.heads[0].weights.pop();
        assert!(
            Heads::parse(&heads.to_bytes().unwrap())
                .unwrap_err()
                .contains("weights")
        );
        heads.format = 9;
        assert!(
            Heads::parse(&heads.to_bytes().unwrap())
                .unwrap_err()
                .contains("format")
        );
        assert!(Heads::parse(b"{").is_err());
    }

    #[test]
    fn the_shipped_heads_parse() {
        let (heads, hash) = Heads::embedded().unwrap();
        assert!(hash.starts_with("sha256:"));
        assert!(!heads.heads.is_empty());
    }
}
