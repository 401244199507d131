//! The shipped model against its reference embeddings, and documents.

#![allow(clippy::unwrap_used)]

use super::tune::Reference;
use super::*;

/// Quality floors of a test: what the shipped engine holds today, so that a regression fails.
/// The targets are higher ([`crate::policy::screening::eval::MIN_PRECISION`] and
/// [`crate::policy::screening::eval::MIN_RECALL`] for every rule of the evaluation corpus;
/// content recall 0.75 at precision 0.85 on unseen text); the README lists where the engine
/// stands against them.
#[derive(Clone, Copy)]
struct Floors {
    ppi_f1: f64,
    precision: f64,
    recall: f64,
    macro_f1: f64,
}

/// The evaluation corpus (`tests/screening_corpus.jsonl`).
const EVALUATION_FLOORS: Floors = Floors {
    ppi_f1: 0.99,
    precision: 0.88,
    recall: 0.95,
    macro_f1: 0.97,
};

/// The held-out set (`tests/screening_heldout.jsonl`).
const HELD_OUT_FLOORS: Floors = Floors {
    ppi_f1: 0.97,
    precision: 0.85,
    recall: 0.75,
    macro_f1: 0.89,
};

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

#[test]
fn stored_weights_reproduce_the_f32_reference_embeddings() {
    let reference: Vec<Reference> = serde_json::from_str(include_str!("minilm/reference.json")).unwrap();
    assert!(reference.len() >= 8);
    let encoder = shipped_encoder().unwrap();
    let texts: Vec<&str> = reference.iter().map(|r| r.text.as_str()).collect();
    let got = encoder.embed(&texts).unwrap();
    for (r, v) in reference.iter().zip(&got) {
        let cos = cosine(&r.embedding, v);
        assert!(cos >= 0.999, "{}: cosine {cos}", r.text);
    }
}

#[test]
fn documents_hold_unit_vectors_per_sentence_and_for_the_whole() {
    let encoder = shipped_encoder().unwrap();
    let text = "Thanks for the update on visiting. You better watch your back tonight.";
    for pooling in [SentencePooling::Separate, SentencePooling::InContext] {
        let docs = encoder.documents(&[text, ""], pooling).unwrap();
        assert_eq!(docs[0].sentences.len(), 2);
        for v in docs[0].vectors.iter().chain([&docs[0].whole]) {
            let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-4, "{pooling:?}: {norm}");
        }
        // The whole text sits between its sentences.
        let c0 = cosine(&docs[0].whole, &docs[0].vectors[0]);
        let c1 = cosine(&docs[0].whole, &docs[0].vectors[1]);
        assert!(c0 > 0.5 && c1 > 0.5, "{pooling:?}: {c0} {c1}");
        // An empty text is one empty sentence, not an error.
        assert_eq!(docs[1].sentences, vec![(0, 0)]);
        // Batched and single embeddings agree.
        let single = encoder.documents(&[text], pooling).unwrap();
        assert!(cosine(&single[0].whole, &docs[0].whole) > 0.99999);
        assert!(cosine(&single[0].vectors[1], &docs[0].vectors[1]) > 0.99999);
    }
}

#[test]
fn sentences_pooled_in_context_stay_nearest_their_own_meaning() {
    let encoder = shipped_encoder().unwrap();
    let text = "Visiting on Saturday starts at nine and the lobby opens early. \
                I know where your kids go to school, officer, and I will be waiting.";
    let apart = &encoder.documents(&[text], SentencePooling::Separate).unwrap()[0];
    let within = &encoder.documents(&[text], SentencePooling::InContext).unwrap()[0];
    assert_eq!(apart.sentences, within.sentences);
    // One sequence either way for the whole text.
    assert!(cosine(&apart.whole, &within.whole) > 0.99999);
    for i in 0..2 {
        let own = cosine(&within.vectors[i], &apart.vectors[i]);
        let other = cosine(&within.vectors[i], &apart.vectors[1 - i]);
        assert!(own > other, "sentence {i}: {own} to itself, {other} to the other");
    }
    // A one-sentence text is its whole.
    let one = &encoder
        .documents(&["Is the lobby open on holidays?"], SentencePooling::InContext)
        .unwrap()[0];
    assert_eq!(one.vectors, vec![one.whole.clone()]);
}

#[test]
fn a_text_past_the_token_limit_is_read_to_its_end_in_context_too() {
    let encoder = shipped_encoder().unwrap();
    let mut text = "The visiting room was clean and the staff were polite to everyone. ".repeat(40);
    text.push_str("I will hurt the officer at the gate tonight.");
    let apart = &encoder.documents(&[&text], SentencePooling::Separate).unwrap()[0];
    let within = &encoder.documents(&[&text], SentencePooling::InContext).unwrap()[0];
    assert_eq!(within.sentences, apart.sentences);
    let last = within.vectors.len() - 1;
    assert!(cosine(&within.vectors[last], &apart.vectors[last]) > 0.99999);
}

#[test]
fn heads_trained_on_another_model_are_refused() {
    let encoder = shipped_encoder().unwrap();
    let (mut heads, _) = Heads::embedded().unwrap();
    assert!(check_pairing(&encoder, &heads).is_ok());
    heads.model = "sha256:0000".into();
    let err = check_pairing(&encoder, &heads).unwrap_err();
    assert!(
        err.contains("sha256:0000") && err.contains(encoder.hash()),
        "{err}"
    );
}

#[test]
fn the_training_corpus_shares_no_item_with_the_evaluation_sets() {
    use crate::policy::screening::eval::parse_corpus;
    use std::collections::HashSet;
    let key = |t: &str| {
        t.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let training = parse_corpus(include_str!("../training/corpus.jsonl")).unwrap();
    assert!(training.len() >= 4000);
    let seen: HashSet<String> = training.iter().map(|i| key(&i.text)).collect();
    for set in [
        include_str!("../../../../tests/screening_corpus.jsonl"),
        include_str!("../../../../tests/screening_heldout.jsonl"),
    ] {
        for item in parse_corpus(set).unwrap() {
            assert!(
                !seen.contains(&key(&item.text)),
                "evaluation item in training: {}",
                item.text
            );
        }
    }
}

/// Rules, model and combined reports of the shipped engine on an evaluation set.
fn stages_on(jsonl: &str) -> StageReports {
    let items = crate::policy::screening::eval::parse_corpus(jsonl).unwrap();
    let policies = crate::policy::screening::tests::policies();
    let (heads, _) = Heads::embedded().unwrap();
    let encoder = shipped_encoder().unwrap();
    evaluate_stages(
        &encoder,
        &items,
        |code| policies.iter().find(|(c, _)| c == code).map(|(_, p)| p),
        |_| &heads,
        |_, _| {},
    )
    .unwrap()
}

#[test]
#[allow(clippy::print_stdout)]
fn the_evaluation_corpus_meets_the_floors_on_the_combined_engine() {
    let reports = stages_on(include_str!("../../../../tests/screening_corpus.jsonl"));
    let combined = &reports.combined;
    println!("{}", combined.render());
    assert!(combined.items >= 400, "the corpus needs at least 400 items");
    assert!(
        combined.clean * 100 >= combined.items * 30,
        "about 35% of the corpus should be clean"
    );
    let misses = below(combined, EVALUATION_FLOORS);
    assert!(misses.is_empty(), "{misses:#?}");
}

/// Rules under the floors (PPI F1, content precision, content recall, content macro-F1).
fn below(report: &crate::policy::screening::eval::EvalReport, floors: Floors) -> Vec<String> {
    let mut misses = Vec::new();
    for s in &report.rules {
        if s.rule.is_ppi() {
            if s.f1 < floors.ppi_f1 {
                misses.push(format!("{}: F1 {:.3}", s.rule.as_str(), s.f1));
            }
        } else if s.precision < floors.precision || s.recall < floors.recall {
            misses.push(format!(
                "{}: precision {:.3}, recall {:.3}",
                s.rule.as_str(),
                s.precision,
                s.recall
            ));
        }
    }
    let macro_f1 = report.content_macro_f1();
    if macro_f1 < floors.macro_f1 {
        misses.push(format!("content macro-F1 {macro_f1:.3}"));
    }
    misses
}

/// The held-out set, written by a separate hand to the labelling conventions and never trained
/// or tuned on, against [`HELD_OUT_FLOORS`].
#[test]
#[allow(clippy::print_stdout)]
fn the_held_out_set_meets_the_floors_on_the_combined_engine() {
    let reports = stages_on(include_str!("../../../../tests/screening_heldout.jsonl"));
    println!("{}", reports.combined.render());
    let misses = below(&reports.combined, HELD_OUT_FLOORS);
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn the_tuned_flag_matches_the_shipped_files() {
    let tuning = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/policy/screening/model/minilm/tuning.json");
    assert_eq!(SHIPPED_TUNED, tuning.exists());
}
