//! Fine-tuning the encoder on the training corpus (candle autograd, AdamW), and writing a model
//! directory: f16 weights, config, tokenizer, and reference embeddings of the f32 weights.
//!
//! Heads over the stock encoder miss too much (embeddings made for sentence similarity do not
//! separate a veiled threat from an idiom linearly), so the encoder is tuned with a temporary
//! linear layer per content rule on top of its pooled, normalised embedding and a weighted
//! binary cross-entropy over the rules that apply in each item's context. The word-embedding
//! table stays frozen (a small corpus would only overfit it). One item in five
//! ([`held_out`]) is kept out of tuning so that thresholds can later be chosen on texts the
//! encoder never saw.
//!
//! candle's `BertModel` fuses layer normalisation into an operation without a gradient, so
//! tuning runs its own forward pass of the same architecture over the same tensors; a test
//! checks that both give the same embeddings.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{D, DType, Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use candle_transformers::models::bert::{Config, HiddenAct};
use serde::{Deserialize, Serialize};

use super::super::eval::CorpusItem;
use super::super::policy::ScreeningPolicy;
use super::MODEL_RULES;
use super::encoder::Encoder;
use super::files::ModelFiles;

/// FNV-1a of a text: fixes folds and the tuning split independently of corpus order.
pub fn text_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Whether an item is kept out of tuning (one in five, by hash).
pub fn held_out(text: &str) -> bool {
    text_hash(text).is_multiple_of(5)
}

/// Settings of a tuning run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TuneOptions {
    /// Passes over the tuning split.
    pub epochs: usize,
    /// Peak learning rate of the encoder (linear warm-up and decay).
    pub learning_rate: f64,
    /// Learning rate of the temporary heads.
    pub head_learning_rate: f64,
    /// Items per step.
    pub batch_size: usize,
    /// Tokens per item (longer texts are cut).
    pub max_tokens: usize,
    /// Weight of a positive label in the loss (positives are rare for each rule).
    pub positive_weight: f64,
    /// Seed of the shuffles.
    pub seed: u64,
}

impl Default for TuneOptions {
    fn default() -> Self {
        Self {
            epochs: 3,
            learning_rate: 5e-5,
            head_learning_rate: 2e-3,
            batch_size: 16,
            max_tokens: 128,
            positive_weight: 3.0,
            seed: 0x9E37_79B9_7F4A_7C15,
        }
    }
}

/// Reports progress of a tuning run.
pub trait TuneProgress {
    /// After each step: step number, total steps, mean loss since the last report.
    fn step(&mut self, step: usize, total: usize, loss: f64);
}

/// The tensors of a model, by name.
type Weights = HashMap<String, Tensor>;

/// Loads every float tensor of a model as f32.
pub fn load_weights(files: &ModelFiles) -> Result<Weights, String> {
    let raw = candle_core::safetensors::load_buffer(&files.weights, &Device::Cpu)
        .map_err(|e| format!("{}: model.safetensors: {e}", files.origin))?;
    let mut out = HashMap::new();
    for (name, t) in raw {
        if t.dtype().is_float() {
            out.insert(name, t.to_dtype(DType::F32).map_err(|e| e.to_string())?);
        }
    }
    Ok(out)
}

/// Tunes the encoder of `files` on the items outside [`held_out`]; returns the tuned weights.
pub fn tune<'p>(
    files: &ModelFiles,
    items: &[CorpusItem],
    policy_for: impl Fn(&str) -> Option<&'p ScreeningPolicy>,
    opts: &TuneOptions,
    progress: &mut dyn TuneProgress,
) -> Result<Weights, String> {
    let config: Config = serde_json::from_slice(&files.config).map_err(|e| format!("config.json: {e}"))?;
    let tokenizer = super::encoder::tokenizer(files, opts.max_tokens.min(config.max_position_embeddings))?;
    let weights = load_weights(files)?;
    let net = Net::new(&config, weights)?;
    let mut batches_src = Vec::new();
    for item in items.iter().filter(|i| !held_out(&i.text)) {
        let policy = policy_for(&item.department)
            .ok_or_else(|| format!("corpus names department {} with no profile", item.department))?;
        let enc = tokenizer
            .encode(item.text.as_str(), true)
            .map_err(|e| format!("tokenizing: {e}"))?;
        let ids = enc.get_ids().to_vec();
        let ctx = item.context as usize;
        let labels: Vec<(f32, f32)> = MODEL_RULES
            .iter()
            .map(|r| {
                let applies = policy.severity(*r, item.context).is_some();
                (
                    f32::from(u8::from(item.expected.contains(r))),
                    f32::from(u8::from(applies)),
                )
            })
            .collect();
        batches_src.push(Sample { ids, ctx, labels });
    }
    run(&net, &batches_src, opts, progress).map_err(|e| format!("tuning: {e}"))?;
    Ok(net.into_weights())
}

/// One tuning item.
struct Sample {
    ids: Vec<u32>,
    ctx: usize,
    /// (label, applies) per rule of [`MODEL_RULES`].
    labels: Vec<(f32, f32)>,
}

/// Deterministic xorshift for shuffling.
struct Shuffle(u64);

impl Shuffle {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

fn run(
    net: &Net,
    samples: &[Sample],
    opts: &TuneOptions,
    progress: &mut dyn TuneProgress,
) -> candle_core::Result<()> {
    let dev = Device::Cpu;
    let rules = MODEL_RULES.len();
    let head_w = Var::zeros((net.hidden + 3, rules), DType::F32, &dev)?;
    let head_b = Var::from_tensor(&Tensor::full(-2f32, rules, &dev)?)?;
    let batch = opts.batch_size.max(1);
    let steps_per_epoch = samples.len().div_ceil(batch);
    let total = steps_per_epoch * opts.epochs;
    let params = ParamsAdamW {
        lr: opts.learning_rate,
        weight_decay: 0.01,
        ..Default::default()
    };
    let mut opt_encoder = AdamW::new(net.trainable(), params)?;
    let head_params = ParamsAdamW {
        lr: opts.head_learning_rate,
        weight_decay: 0.0,
        ..Default::default()
    };
    let mut opt_head = AdamW::new(vec![head_w.clone(), head_b.clone()], head_params)?;
    let mut rng = Shuffle(opts.seed | 1);
    let (mut step, mut acc, mut count) = (0usize, 0f64, 0usize);
    for _ in 0..opts.epochs {
        let mut order: Vec<usize> = (0..samples.len()).collect();
        rng.shuffle(&mut order);
        // Similar lengths per batch waste less on padding.
        for chunk in order.chunks_mut(batch * 16) {
            chunk.sort_by_key(|&i| samples[i].ids.len());
        }
        let mut batches: Vec<Vec<usize>> = order.chunks(batch).map(<[usize]>::to_vec).collect();
        rng.shuffle(&mut batches);
        for b in batches {
            let group: Vec<&Sample> = b.iter().map(|&i| &samples[i]).collect();
            let (ids, mask, ctx, y, applies) = tensors(&group, rules, &dev)?;
            let emb = net.forward(&ids, &mask)?;
            let feats = Tensor::cat(&[&emb, &ctx], 1)?;
            let logits = feats
                .matmul(head_w.as_tensor())?
                .broadcast_add(head_b.as_tensor())?;
            // Weighted BCE with logits; softplus(x) = relu(x) + ln(1 + e^-|x|).
            let softplus = (logits.relu()? + (logits.abs()?.neg()?.exp()? + 1.0)?.log()?)?;
            let per = (softplus - (&y * &logits)?)?;
            let weight = ((&y * (opts.positive_weight - 1.0))? + 1.0)?;
            let n = applies.sum_all()?.to_scalar::<f32>()?.max(1.0);
            let loss = ((per * weight)? * &applies)?
                .sum_all()?
                .affine(1.0 / f64::from(n), 0.0)?;
            let remaining = 1.0 - step as f64 / total.max(1) as f64;
            let warm = ((step + 1) as f64 / 30.0).min(1.0);
            opt_encoder.set_learning_rate(opts.learning_rate * remaining * warm);
            opt_head.set_learning_rate(opts.head_learning_rate * remaining.max(0.1));
            let grads = loss.backward()?;
            opt_encoder.step(&grads)?;
            opt_head.step(&grads)?;
            acc += f64::from(loss.to_scalar::<f32>()?);
            count += 1;
            step += 1;
            if step % 10 == 0 || step == total {
                progress.step(step, total, acc / count as f64);
                (acc, count) = (0.0, 0);
            }
        }
    }
    Ok(())
}

type BatchTensors = (Tensor, Tensor, Tensor, Tensor, Tensor);

fn tensors(group: &[&Sample], rules: usize, dev: &Device) -> candle_core::Result<BatchTensors> {
    let len = group.iter().map(|s| s.ids.len()).max().unwrap_or(1).max(1);
    let n = group.len();
    let (mut ids, mut mask) = (vec![0u32; n * len], vec![0u32; n * len]);
    let (mut ctx, mut y, mut applies) = (
        vec![0f32; n * 3],
        Vec::with_capacity(n * rules),
        Vec::with_capacity(n * rules),
    );
    for (row, s) in group.iter().enumerate() {
        ids[row * len..row * len + s.ids.len()].copy_from_slice(&s.ids);
        mask[row * len..row * len + s.ids.len()].fill(1);
        ctx[row * 3 + s.ctx] = 1.0;
        for &(label, on) in &s.labels {
            y.push(label);
            applies.push(on);
        }
    }
    Ok((
        Tensor::from_vec(ids, (n, len), dev)?,
        Tensor::from_vec(mask, (n, len), dev)?,
        Tensor::from_vec(ctx, (n, 3), dev)?,
        Tensor::from_vec(y, (n, rules), dev)?,
        Tensor::from_vec(applies, (n, rules), dev)?,
    ))
}

/// BERT with differentiable layer norm over named tensors (trainable ones as `Var`s).
struct Net {
    vars: HashMap<String, Var>,
    frozen: HashMap<String, Tensor>,
    prefix: String,
    layers: usize,
    heads: usize,
    hidden: usize,
    eps: f64,
}

impl Net {
    fn new(config: &Config, weights: Weights) -> Result<Self, String> {
        if !matches!(config.hidden_act, HiddenAct::Gelu) {
            return Err("tuning supports BERT models with the exact GELU activation".into());
        }
        let prefix = if weights.contains_key("bert.embeddings.word_embeddings.weight") {
            "bert."
        } else {
            ""
        };
        let (mut vars, mut frozen) = (HashMap::new(), HashMap::new());
        for (name, t) in weights {
            if name.contains("word_embeddings") || name.starts_with("pooler") || name.contains(".pooler.") {
                frozen.insert(name, t);
            } else {
                vars.insert(name, Var::from_tensor(&t).map_err(|e| e.to_string())?);
            }
        }
        Ok(Self {
            vars,
            frozen,
            prefix: prefix.into(),
            layers: config.num_hidden_layers,
            heads: config.num_attention_heads,
            hidden: config.hidden_size,
            eps: config.layer_norm_eps,
        })
    }

    /// Trainable tensors in name order (so the optimiser's order is fixed).
    fn trainable(&self) -> Vec<Var> {
        let mut names: Vec<&String> = self.vars.keys().collect();
        names.sort();
        names
            .into_iter()
            .filter_map(|n| self.vars.get(n).cloned())
            .collect()
    }

    fn into_weights(self) -> Weights {
        let mut out: Weights = self
            .vars
            .into_iter()
            .map(|(k, v)| (k, v.as_tensor().clone()))
            .collect();
        out.extend(self.frozen);
        out
    }

    fn get(&self, name: &str) -> candle_core::Result<&Tensor> {
        let full = format!("{}{name}", self.prefix);
        self.vars
            .get(&full)
            .map(Var::as_tensor)
            .or_else(|| self.frozen.get(&full))
            .ok_or_else(|| candle_core::Error::Msg(format!("missing tensor {full}")))
    }

    fn norm(&self, x: &Tensor, name: &str) -> candle_core::Result<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let centred = x.broadcast_sub(&mean)?;
        let var = centred.sqr()?.mean_keepdim(D::Minus1)?;
        let normed = centred.broadcast_div(&(var + self.eps)?.sqrt()?)?;
        normed
            .broadcast_mul(self.get(&format!("{name}.weight"))?)?
            .broadcast_add(self.get(&format!("{name}.bias"))?)
    }

    fn linear(&self, x: &Tensor, name: &str) -> candle_core::Result<Tensor> {
        let (b, l, k) = x.dims3()?;
        x.reshape((b * l, k))?
            .matmul(&self.get(&format!("{name}.weight"))?.t()?)?
            .broadcast_add(self.get(&format!("{name}.bias"))?)?
            .reshape((b, l, ()))
    }

    /// Pooled, normalised embeddings of a padded batch.
    fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (b, l) = ids.dims2()?;
        let (h, heads) = (self.hidden, self.heads);
        let dh = h / heads;
        let words = self
            .get("embeddings.word_embeddings.weight")?
            .index_select(&ids.flatten_all()?, 0)?;
        let pos = self
            .get("embeddings.position_embeddings.weight")?
            .narrow(0, 0, l)?;
        let types = self
            .get("embeddings.token_type_embeddings.weight")?
            .narrow(0, 0, 1)?;
        let x = words
            .reshape((b, l, h))?
            .broadcast_add(&pos)?
            .broadcast_add(&types)?;
        let mut x = self.norm(&x, "embeddings.LayerNorm")?;
        let maskf = mask.to_dtype(DType::F32)?;
        let bias = ((maskf.ones_like()? - &maskf)? * -1e4)?.reshape((b, 1, 1, l))?;
        for i in 0..self.layers {
            let p = format!("encoder.layer.{i}");
            let split = |t: Tensor| t.reshape((b, l, heads, dh))?.transpose(1, 2)?.contiguous();
            let q = split(self.linear(&x, &format!("{p}.attention.self.query"))?)?;
            let k = split(self.linear(&x, &format!("{p}.attention.self.key"))?)?;
            let v = split(self.linear(&x, &format!("{p}.attention.self.value"))?)?;
            let scores = (q.matmul(&k.t()?.contiguous()?)? / (dh as f64).sqrt())?.broadcast_add(&bias)?;
            let attn = candle_nn::ops::softmax(&scores, D::Minus1)?;
            let ctx = attn
                .matmul(&v)?
                .transpose(1, 2)?
                .contiguous()?
                .reshape((b, l, h))?;
            let out = self.linear(&ctx, &format!("{p}.attention.output.dense"))?;
            let x1 = self.norm(&(out + &x)?, &format!("{p}.attention.output.LayerNorm"))?;
            let up = self.linear(&x1, &format!("{p}.intermediate.dense"))?.gelu_erf()?;
            let down = self.linear(&up, &format!("{p}.output.dense"))?;
            x = self.norm(&(down + &x1)?, &format!("{p}.output.LayerNorm"))?;
        }
        let m = maskf.unsqueeze(2)?;
        let mean = x.broadcast_mul(&m)?.sum(1)?.broadcast_div(&m.sum(1)?)?;
        mean.broadcast_div(&mean.sqr()?.sum_keepdim(1)?.sqrt()?)
    }
}

/// Sentences whose f32 embeddings are stored beside a written model, to check the stored weights.
pub const REFERENCE_SENTENCES: [&str; 8] = [
    "This is an example sentence",
    "Visiting hours at Deer Lodge are posted on cor.mt.gov every Monday.",
    "you better watch your back when you leave the parking lot tonight",
    "Officer Brandt sells pills to the guys on 4-gallery, everybody knows it.",
    "Congratulations to the 42 graduates of the welding program at Stateville! 🎓",
    "¿Cuándo puedo visitar a mi hijo? Gracias.",
    "The count clears at 4:15 and only two officers work the east yard overnight.",
    "Use code FREEDOM20 for 20% off your first inmate care package!",
];

/// One reference embedding.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reference {
    /// The sentence.
    pub text: String,
    /// Its embedding computed with the f32 weights.
    pub embedding: Vec<f32>,
}

/// Writes a model directory: `model.safetensors` in f16, `config.json`, `tokenizer.json` and
/// `reference.json` (embeddings of [`REFERENCE_SENTENCES`] with the f32 weights). Returns the
/// hash of the written model.
pub fn write_model(weights: &Weights, files: &ModelFiles, out: &Path) -> Result<String, String> {
    let io = |e: std::io::Error| format!("{}: {e}", out.display());
    std::fs::create_dir_all(out).map_err(io)?;
    let f32_bytes = serialise(weights, DType::F32)?;
    let reference_files = ModelFiles {
        weights: f32_bytes.into(),
        ..files.clone()
    };
    let encoder = Encoder::load(&reference_files)?;
    let vectors = encoder.embed(&REFERENCE_SENTENCES)?;
    let reference: Vec<Reference> = REFERENCE_SENTENCES
        .iter()
        .zip(vectors)
        .map(|(t, e)| Reference {
            text: (*t).to_owned(),
            embedding: e,
        })
        .collect();
    let stored = ModelFiles {
        weights: serialise(weights, DType::F16)?.into(),
        ..files.clone()
    };
    let write = |name: &str, bytes: &[u8]| std::fs::write(out.join(name), bytes).map_err(io);
    write("model.safetensors", &stored.weights)?;
    write("config.json", &files.config)?;
    write("tokenizer.json", &files.tokenizer)?;
    let mut json = serde_json::to_vec_pretty(&reference).map_err(|e| e.to_string())?;
    json.push(b'\n');
    write("reference.json", &json)?;
    Ok(stored.hash())
}

/// Safetensors bytes of `weights` in `dtype`, tensors sorted by name.
fn serialise(weights: &Weights, dtype: DType) -> Result<Vec<u8>, String> {
    let mut converted: Vec<(String, Tensor)> = Vec::with_capacity(weights.len());
    for (name, t) in weights {
        converted.push((name.clone(), t.to_dtype(dtype).map_err(|e| e.to_string())?));
    }
    converted.sort_by(|a, b| a.0.cmp(&b.0));
    safetensors::serialize(converted.iter().map(|(n, t)| (n.as_str(), t)), None).map_err(|e| e.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_split_is_by_text_and_about_one_in_five() {
        let held = (0..1000)
            .filter(|i| held_out(&format!("comment number {i}")))
            .count();
        assert!((150..250).contains(&held), "{held}");
        assert_eq!(held_out("same text"), held_out("same text"));
    }

    #[test]
    fn the_tuning_forward_pass_matches_candles_bert() {
        let files = ModelFiles::embedded();
        let config: Config = serde_json::from_slice(&files.config).unwrap();
        let net = Net::new(&config, load_weights(&files).unwrap()).unwrap();
        let encoder = super::super::shipped_encoder().unwrap();
        let tokenizer = super::super::encoder::tokenizer(&files, 128).unwrap();
        let text = "you better watch your back when you leave the parking lot tonight";
        let ids = tokenizer.encode(text, true).unwrap().get_ids().to_vec();
        assert!(ids.len() < 20, "no padding: {ids:?}");
        let n = ids.len();
        let ids = Tensor::from_vec(ids, (1, n), &Device::Cpu).unwrap();
        let mask = Tensor::ones((1, n), DType::U32, &Device::Cpu).unwrap();
        let ours: Vec<f32> = net
            .forward(&ids, &mask)
            .unwrap()
            .squeeze(0)
            .unwrap()
            .to_vec1()
            .unwrap();
        let theirs = &encoder.embed(&[text]).unwrap()[0];
        let cos: f32 = ours.iter().zip(theirs).map(|(a, b)| a * b).sum();
        assert!(cos > 0.99999, "{cos}");
    }
}
