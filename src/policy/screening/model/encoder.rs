//! The sentence encoder: a BERT-family model run in process with candle, mean-pooled over the
//! attention mask and L2-normalised (the sentence-transformers recipe).
//!
//! Weights are stored in f16 or f32 and computed in f32 (f16 arithmetic overflows to NaN in
//! this model). The matrices of the encoder's linear layers are kept transposed in memory, so
//! the matrix multiply reads them row by row instead of packing them on every call; the model
//! code is candle's own `BertModel`.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationParams};

use super::files::ModelFiles;
use super::sentences;

/// Tokens per sequence, as the model was trained (sentence-transformers' `max_seq_length`).
pub const MAX_TOKENS: usize = 256;

/// Padded tokens per forward pass: bounds memory while keeping the matrices large enough to be
/// efficient.
const BATCH_TOKENS: usize = 4096;

/// A loaded model.
pub struct Encoder {
    model: BertModel,
    tokenizer: Tokenizer,
    hash: String,
    dim: usize,
    device: Device,
}

/// A text as the heads see it: its sentences and their embeddings, and the whole text.
#[derive(Clone, Debug)]
pub struct Document {
    /// Byte ranges of the sentences in the text.
    pub sentences: Vec<(usize, usize)>,
    /// One unit vector per sentence.
    pub vectors: Vec<Vec<f32>>,
    /// The whole text embedded as one sequence (its first [`MAX_TOKENS`] tokens).
    pub whole: Vec<f32>,
}

/// Pooled token states of one sequence, before normalisation.
#[derive(Clone)]
struct Pooled {
    sum: Vec<f32>,
    tokens: usize,
}

/// The model's tokenizer without padding (a sentence-transformers `tokenizer.json` pads every
/// sequence to a fixed length, which would pool padding into the embedding) and truncating at
/// `max_tokens`, special tokens included.
pub(crate) fn tokenizer(files: &ModelFiles, max_tokens: usize) -> Result<Tokenizer, String> {
    let origin = &files.origin;
    let mut tokenizer = Tokenizer::from_bytes(files.tokenizer.as_ref())
        .map_err(|e| format!("{origin}: tokenizer.json: {e}"))?;
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: max_tokens,
            ..Default::default()
        }))
        .map_err(|e| format!("{origin}: tokenizer.json: {e}"))?;
    Ok(tokenizer)
}

impl Encoder {
    /// Loads a model; any malformed file is an error naming it.
    pub fn load(files: &ModelFiles) -> Result<Self, String> {
        let origin = &files.origin;
        let config: Config =
            serde_json::from_slice(&files.config).map_err(|e| format!("{origin}: config.json: {e}"))?;
        let device = Device::Cpu;
        let raw = candle_core::safetensors::load_buffer(&files.weights, &device)
            .map_err(|e| format!("{origin}: model.safetensors: {e}"))?;
        let mut tensors = std::collections::HashMap::with_capacity(raw.len());
        for (name, tensor) in raw {
            if !tensor.dtype().is_float() {
                continue; // integer buffers such as position ids are not weights
            }
            let mut t = tensor
                .to_dtype(DType::F32)
                .map_err(|e| format!("{origin}: {name}: {e}"))?;
            if t.rank() == 2 && name.contains("encoder.") && name.ends_with(".weight") {
                t = t
                    .t()
                    .and_then(|x| x.contiguous())
                    .and_then(|x| x.t())
                    .map_err(|e| format!("{origin}: {name}: {e}"))?;
            }
            tensors.insert(name, t);
        }
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let model = BertModel::load(vb, &config).map_err(|e| format!("{origin}: not a BERT model: {e}"))?;
        let tokenizer = tokenizer(files, MAX_TOKENS.min(config.max_position_embeddings))?;
        let encoder = Self {
            model,
            tokenizer,
            hash: files.hash(),
            dim: config.hidden_size,
            device,
        };
        let probe = encoder.embed(&["This is an example sentence"])?;
        if probe.iter().flatten().any(|x| !x.is_finite()) {
            return Err(format!("{origin}: the model computes non-finite embeddings"));
        }
        Ok(encoder)
    }

    /// The model's identity ([`ModelFiles::hash`]).
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// Embedding width.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// One unit vector per text (each text one sequence, truncated at [`MAX_TOKENS`]).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        Ok(self
            .pool(texts)?
            .into_iter()
            .map(|p| unit(&p.sum, p.tokens))
            .collect())
    }

    /// Splits each text into sentences and embeds them, and each whole text as one sequence
    /// (a one-sentence text is embedded once), all in shared batches.
    pub fn documents(&self, texts: &[&str]) -> Result<Vec<Document>, String> {
        let mut spans: Vec<Vec<(usize, usize)>> = Vec::with_capacity(texts.len());
        let mut pieces: Vec<&str> = Vec::new();
        for text in texts {
            let mut s = sentences::split(text);
            if s.is_empty() {
                s.push((0, text.len()));
            }
            pieces.extend(s.iter().map(|&(a, b)| &text[a..b]));
            if s.len() > 1 {
                pieces.push(text);
            }
            spans.push(s);
        }
        let vectors = self.embed(&pieces)?;
        let mut at = 0;
        Ok(spans
            .into_iter()
            .map(|sentences| {
                let n = sentences.len();
                let mine = &vectors[at..at + n];
                let whole = if n > 1 {
                    vectors[at + n].clone()
                } else {
                    mine[0].clone()
                };
                at += if n > 1 { n + 1 } else { n };
                Document {
                    vectors: mine.to_vec(),
                    whole,
                    sentences,
                }
            })
            .collect())
    }

    /// Runs the model over every sequence, in batches of similar length.
    fn pool(&self, texts: &[&str]) -> Result<Vec<Pooled>, String> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| format!("tokenizing: {e}"))?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| encodings[i].get_ids().len());
        let mut out = vec![
            Pooled {
                sum: Vec::new(),
                tokens: 0
            };
            texts.len()
        ];
        let mut start = 0;
        while start < order.len() {
            // Sorted by length: the last sequence of a batch is its longest.
            let mut end = start + 1;
            while end < order.len()
                && (end + 1 - start) * encodings[order[end]].get_ids().len() <= BATCH_TOKENS
            {
                end += 1;
            }
            let batch: Vec<&[u32]> = order[start..end]
                .iter()
                .map(|&i| encodings[i].get_ids())
                .collect();
            for (k, pooled) in self.forward(&batch)?.into_iter().enumerate() {
                out[order[start + k]] = pooled;
            }
            start = end;
        }
        Ok(out)
    }

    /// One forward pass over a padded batch; sums of the unmasked token states.
    fn forward(&self, batch: &[&[u32]]) -> Result<Vec<Pooled>, String> {
        let len = batch.iter().map(|ids| ids.len()).max().unwrap_or(0).max(1);
        let mut ids = vec![0u32; batch.len() * len];
        let mut mask = vec![0u32; batch.len() * len];
        for (row, seq) in batch.iter().enumerate() {
            ids[row * len..row * len + seq.len()].copy_from_slice(seq);
            mask[row * len..row * len + seq.len()].fill(1);
        }
        let run = || -> candle_core::Result<Vec<Vec<f32>>> {
            let ids = Tensor::from_vec(ids, (batch.len(), len), &self.device)?;
            let mask = Tensor::from_vec(mask, (batch.len(), len), &self.device)?;
            let states = self.model.forward(&ids, &ids.zeros_like()?, Some(&mask))?;
            let weights = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            states.broadcast_mul(&weights)?.sum(1)?.to_vec2::<f32>()
        };
        let sums = run().map_err(|e| format!("running the model: {e}"))?;
        Ok(sums
            .into_iter()
            .zip(batch)
            .map(|(sum, seq)| Pooled {
                sum,
                tokens: seq.len(),
            })
            .collect())
    }
}

/// `sum / tokens`, scaled to unit length (a zero vector stays zero).
fn unit(sum: &[f32], tokens: usize) -> Vec<f32> {
    let n = tokens.max(1) as f32;
    let mean: Vec<f32> = sum.iter().map(|x| x / n).collect();
    let norm = mean.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        mean.iter().map(|x| x / norm).collect()
    } else {
        mean
    }
}
