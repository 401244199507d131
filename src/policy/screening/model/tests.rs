//! The shipped model against its reference embeddings, and documents.

#![allow(clippy::unwrap_used)]

use super::tune::Reference;
use super::*;

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

#[test]
fn stored_weights_reproduce_the_f32_reference_embeddings() {
    let reference: Vec<Reference> =
        serde_json::from_str(include_str!("minilm/reference.json")).unwrap();
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
    let docs = encoder.documents(&[text, ""]).unwrap();
    assert_eq!(docs[0].sentences.len(), 2);
    for v in docs[0].vectors.iter().chain([&docs[0].whole]) {
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    }
    // The whole text sits between its sentences.
    let c0 = cosine(&docs[0].whole, &docs[0].vectors[0]);
    let c1 = cosine(&docs[0].whole, &docs[0].vectors[1]);
    assert!(c0 > 0.5 && c1 > 0.5, "{c0} {c1}");
    // An empty text is one empty sentence, not an error.
    assert_eq!(docs[1].sentences, vec![(0, 0)]);
    // Batched and single embeddings agree.
    let single = encoder.documents(&[text]).unwrap();
    assert!(cosine(&single[0].whole, &docs[0].whole) > 0.99999);
}

#[test]
fn heads_trained_on_another_model_are_refused() {
    let encoder = shipped_encoder().unwrap();
    let (mut heads, _) = Heads::embedded().unwrap();
    assert!(check_pairing(&encoder, &heads).is_ok());
    heads.model = "sha256:0000".into();
    let err = check_pairing(&encoder, &heads).unwrap_err();
    assert!(err.contains("sha256:0000") && err.contains(encoder.hash()), "{err}");
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
            assert!(!seen.contains(&key(&item.text)), "evaluation item in training: {}", item.text);
        }
    }
}
