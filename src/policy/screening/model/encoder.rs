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
use serde::{Deserialize, Serialize};
use tokenizers::{Encoding, Tokenizer, TruncationParams};

use super::files::ModelFiles;
use super::sentences;

/// Tokens per sequence, as the model was trained (sentence-transformers' `max_seq_length`).
pub const MAX_TOKENS: usize = 256;

/// Padded tokens per forward pass at most: bounds memory.
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

/// How the vectors of a text's sentences are made (heads record the way they were trained on).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentencePooling {
    /// Each sentence is a sequence of its own, besides the whole text: two passes per text.
    #[default]
    Separate,
    /// Each sentence is the mean of its tokens' states in the whole text's pass: one pass per
    /// text, half the work. A text longer than [`MAX_TOKENS`] tokens is embedded as with
    /// [`SentencePooling::Separate`], so that no sentence past the limit goes unread.
    InContext,
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

    /// Splits each text into sentences and embeds them as `pooling` says, and each whole text
    /// as one sequence (a one-sentence text is embedded once), all in shared batches.
    pub fn documents(&self, texts: &[&str], pooling: SentencePooling) -> Result<Vec<Document>, String> {
        match pooling {
            SentencePooling::Separate => self.documents_separate(texts),
            SentencePooling::InContext => self.documents_in_context(texts),
        }
    }

    /// [`SentencePooling::Separate`].
    fn documents_separate(&self, texts: &[&str]) -> Result<Vec<Document>, String> {
        let mut spans: Vec<Vec<(usize, usize)>> = Vec::with_capacity(texts.len());
        let mut pieces: Vec<&str> = Vec::new();
        for text in texts {
            let s = sentence_spans(text);
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

    /// [`SentencePooling::InContext`].
    fn documents_in_context(&self, texts: &[&str]) -> Result<Vec<Document>, String> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| format!("tokenizing: {e}"))?;
        let mut docs: Vec<Option<Document>> = vec![None; texts.len()];
        let cut: Vec<usize> = (0..texts.len())
            .filter(|&i| !encodings[i].get_overflowing().is_empty())
            .collect();
        if !cut.is_empty() {
            let long: Vec<&str> = cut.iter().map(|&i| texts[i]).collect();
            for (&i, doc) in cut.iter().zip(self.documents_separate(&long)?) {
                docs[i] = Some(doc);
            }
        }
        let rest: Vec<usize> = (0..texts.len()).filter(|&i| docs[i].is_none()).collect();
        for group in by_length(&encodings, rest) {
            for (&i, states) in group
                .iter()
                .zip(self.forward_states(&ids_of(&encodings, &group))?)
            {
                docs[i] = Some(self.in_context(texts[i], &encodings[i], &states));
            }
        }
        docs.into_iter()
            .map(|d| d.ok_or_else(|| "a text was left out of every batch".to_owned()))
            .collect()
    }

    /// A document from the token states (`tokens × dim`, row-major) of its one pass.
    fn in_context(&self, text: &str, encoding: &Encoding, states: &[f32]) -> Document {
        let dim = self.dim;
        let rows: Vec<&[f32]> = states.chunks_exact(dim).collect();
        let mut sum = vec![0.0f32; dim];
        for row in &rows {
            add(&mut sum, row);
        }
        let whole = unit(&sum, rows.len());
        let spans = sentence_spans(text);
        if spans.len() == 1 {
            return Document {
                sentences: spans,
                vectors: vec![whole.clone()],
                whole,
            };
        }
        let special = encoding.get_special_tokens_mask();
        let offsets = encoding.get_offsets();
        let vectors = spans
            .iter()
            .map(|&(start, end)| {
                let mut sum = vec![0.0f32; dim];
                let mut n = 0;
                for (t, row) in rows.iter().enumerate() {
                    let from = offsets.get(t).map_or(usize::MAX, |o| o.0);
                    if special.get(t) == Some(&0) && from >= start && from < end {
                        add(&mut sum, row);
                        n += 1;
                    }
                }
                if n == 0 { whole.clone() } else { unit(&sum, n) }
            })
            .collect();
        Document {
            sentences: spans,
            vectors,
            whole,
        }
    }

    /// Runs the model over every sequence, in batches of similar length ([`batches`]).
    fn pool(&self, texts: &[&str]) -> Result<Vec<Pooled>, String> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| format!("tokenizing: {e}"))?;
        let mut out = vec![
            Pooled {
                sum: Vec::new(),
                tokens: 0
            };
            texts.len()
        ];
        for group in by_length(&encodings, (0..texts.len()).collect()) {
            for (&i, pooled) in group.iter().zip(self.forward(&ids_of(&encodings, &group))?) {
                out[i] = pooled;
            }
        }
        Ok(out)
    }

    /// One forward pass over a padded batch; each sequence's token states without padding
    /// (`tokens × dim`, row-major).
    fn forward_states(&self, batch: &[&[u32]]) -> Result<Vec<Vec<f32>>, String> {
        let (ids, mask, len) = padded(batch);
        let run = || -> candle_core::Result<Vec<Vec<Vec<f32>>>> {
            let ids = Tensor::from_vec(ids, (batch.len(), len), &self.device)?;
            let mask = Tensor::from_vec(mask, (batch.len(), len), &self.device)?;
            self.model
                .forward(&ids, &ids.zeros_like()?, Some(&mask))?
                .to_vec3::<f32>()
        };
        let states = run().map_err(|e| format!("running the model: {e}"))?;
        Ok(states
            .into_iter()
            .zip(batch)
            .map(|(rows, seq)| rows.into_iter().take(seq.len()).flatten().collect())
            .collect())
    }

    /// One forward pass over a padded batch; sums of the unmasked token states.
    fn forward(&self, batch: &[&[u32]]) -> Result<Vec<Pooled>, String> {
        let (ids, mask, len) = padded(batch);
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

/// The sequences `which` of `encodings`, sorted by length and grouped into [`batches`].
fn by_length(encodings: &[Encoding], mut which: Vec<usize>) -> Vec<Vec<usize>> {
    which.sort_by_key(|&i| encodings[i].get_ids().len());
    let lengths: Vec<usize> = which.iter().map(|&i| encodings[i].get_ids().len()).collect();
    batches(&lengths).into_iter().map(|r| which[r].to_vec()).collect()
}

/// The token ids of the sequences `group` of `encodings`.
fn ids_of<'e>(encodings: &'e [Encoding], group: &[usize]) -> Vec<&'e [u32]> {
    group.iter().map(|&i| encodings[i].get_ids()).collect()
}

/// A batch padded to its longest sequence: ids, attention mask and that length.
fn padded(batch: &[&[u32]]) -> (Vec<u32>, Vec<u32>, usize) {
    let len = batch.iter().map(|ids| ids.len()).max().unwrap_or(0).max(1);
    let mut ids = vec![0u32; batch.len() * len];
    let mut mask = vec![0u32; batch.len() * len];
    for (row, seq) in batch.iter().enumerate() {
        ids[row * len..row * len + seq.len()].copy_from_slice(seq);
        mask[row * len..row * len + seq.len()].fill(1);
    }
    (ids, mask, len)
}

/// The sentences of a text, or the whole text as one when it has none.
fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut s = sentences::split(text);
    if s.is_empty() {
        s.push((0, text.len()));
    }
    s
}

/// `sum += row`.
fn add(sum: &mut [f32], row: &[f32]) {
    for (a, b) in sum.iter_mut().zip(row) {
        *a += b;
    }
}

/// What one forward pass costs beyond its tokens, in tokens: the fixed work of a pass (about
/// 150 small tensor operations) is worth about this many tokens of matrix multiplication.
const PASS_COST_TOKENS: usize = 4;

/// Splits sequences sorted by length into consecutive batches of least total cost, a batch
/// costing [`PASS_COST_TOKENS`] plus its padded size (every sequence padded to its longest),
/// and holding at most [`BATCH_TOKENS`] padded tokens. Padding is computed like any token, so
/// a short sentence batched with a long text would cost as much as the text: a comment's
/// sentences and its whole text usually go in separate passes.
fn batches(sorted_lengths: &[usize]) -> Vec<std::ops::Range<usize>> {
    let n = sorted_lengths.len();
    // best[j]: least cost of the first j sequences, and where its last batch starts.
    let mut best: Vec<(usize, usize)> = vec![(0, 0); n + 1];
    for j in 1..=n {
        let longest = sorted_lengths[j - 1].max(1);
        let mut choice = (usize::MAX, j - 1);
        let mut i = j;
        while i > 0 && (j - i + 1) * longest <= BATCH_TOKENS.max(longest) {
            i -= 1;
            let cost = best[i].0 + PASS_COST_TOKENS + (j - i) * longest;
            if cost < choice.0 {
                choice = (cost, i);
            }
        }
        best[j] = choice;
    }
    let mut ranges = Vec::new();
    let mut j = n;
    while j > 0 {
        let i = best[j].1;
        ranges.push(i..j);
        j = i;
    }
    ranges.reverse();
    ranges
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

#[cfg(test)]
mod tests {
    use super::*;

    fn padded(lengths: &[usize]) -> (usize, usize) {
        let ranges = batches(lengths);
        let covered: usize = ranges.iter().map(|r| r.len()).sum();
        assert_eq!(covered, lengths.len(), "every sequence in one batch");
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].end, pair[1].start, "consecutive");
        }
        let tokens = ranges.iter().map(|r| r.len() * lengths[r.end - 1]).sum();
        (ranges.len(), tokens)
    }

    #[test]
    fn short_sentences_are_not_padded_to_the_whole_text() {
        // Three sentences of a comment and the comment itself.
        let (passes, tokens) = padded(&[18, 19, 19, 48]);
        assert_eq!((passes, tokens), (2, 3 * 19 + 48));
    }

    #[test]
    fn equal_lengths_share_one_pass_and_batches_stay_bounded() {
        assert_eq!(padded(&[20; 10]), (1, 200));
        let long = vec![256; 40];
        let ranges = batches(&long);
        assert!(ranges.iter().all(|r| r.len() * 256 <= BATCH_TOKENS));
        assert_eq!(padded(&[]), (0, 0));
        // A sequence longer than a batch still runs, alone.
        assert_eq!(padded(&[BATCH_TOKENS + 1]), (1, BATCH_TOKENS + 1));
    }
}
