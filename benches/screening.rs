//! Throughput of the screening engine.
//!
//! `cargo bench --bench screening -- --measurement-time 5 --warm-up-time 2`
//!
//! - Rule stage: bytes/s over a ~10 MB mixed corpus (mostly clean comments and posts, some
//!   positives, some non-ASCII), generated deterministically here, for the whole rule set and
//!   for a policy with only five rules on; the two should be close (the lexicon cost is one
//!   automaton pass whatever the rule count).
//! - Model stage: comment-sized texts per second, one at a time and in batches of 32, and the
//!   p50/p99 latency of screening one 40-word comment with rules and model (printed before the
//!   criterion groups). The encoder uses every core unless `RAYON_NUM_THREADS` says otherwise:
//!   `RAYON_NUM_THREADS=1 cargo bench --bench screening` gives the per-core figures.
#![expect(missing_docs, reason = "criterion_group! generates an undocumented function")]

use std::hint::black_box;

use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use policy_admin::policy::screening::model::{self, Heads, ModelJob, RuleSet, SentencePooling};
use policy_admin::policy::screening::{self as screening, Context, Provenance, RuleCode, ScreeningPolicy};

const TARGET_BYTES: usize = 10 * 1024 * 1024;

fn policy() -> ScreeningPolicy {
    let value: toml::Table = match toml::from_str(include_str!("../src/policy/profiles/mt-doc.toml")) {
        Ok(v) => v,
        Err(e) => panic!("mt-doc.toml: {e}"),
    };
    let mut policy: ScreeningPolicy = match value["screening"].clone().try_into() {
        Ok(p) => p,
        Err(e) => panic!("[screening]: {e}"),
    };
    policy.website_host = "cor.mt.gov".to_owned();
    policy
}

/// The same policy with only five rules on.
fn five_rules(mut policy: ScreeningPolicy) -> ScreeningPolicy {
    let keep = [
        RuleCode::PpiSsn,
        RuleCode::Obscene,
        RuleCode::PersonalAttack,
        RuleCode::ThreatHarassment,
        RuleCode::Advertising,
    ];
    for (code, rule) in policy.rules.iter_mut() {
        if !keep.contains(code) {
            rule.public_comment = None;
            rule.official_post = None;
            rule.staff_content = None;
        }
    }
    policy
}

/// A tiny deterministic generator (64-bit LCG), so every run screens the same corpus.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

const CLEAN: &[&str] = &[
    "Visiting hours at Montana State Prison change on March 1, please check the schedule before you drive.",
    "Thank you to the staff at the prerelease center for helping my brother find housing and a job.",
    "How do I get on the approved visitor list? I sent the form two weeks ago and have not heard back.",
    "The new property policy costs families more and does not make anyone safer. Please reconsider it.",
    "Congratulations to the graduates of the welding program, what an accomplishment for everyone involved.",
    "My son says the food has improved since the new kitchen manager started. Good to hear.",
    "Is the visiting room wheelchair accessible? My mother uses a walker and the parking lot is far.",
    "We drove six hours and the visit was cancelled because of a lockdown. Please post updates earlier.",
    "The risk assessment was finally completed and the case manager explained everything clearly.",
    "Call 406-444-3930 for records questions; the office answered within a day last time.",
    "The book club read Dickens this month and the discussion in the library was wonderful.",
    "I'd kill for a decent cup of coffee in the lobby while we wait, but the staff were kind.",
    "Our family day picnic had great weather and a great shot of the sunset over the yard.",
    "Where can I send a money order? The website says one address and the phone line another.",
    "Parole hearings in June were delayed; families deserve a clear timeline and an explanation.",
    "Proud of our women officers, and thank you to the chaplain for the holiday services.",
];
const POSITIVE: &[&str] = &[
    "My SSN is 523-41-7788 if that helps you find his paperwork.",
    "This visiting schedule is fucking ridiculous and the phones are sh1t.",
    "Warden Salinas is an idiot and everyone knows it.",
    "I'm going to kill you Officer Haynes when you get off shift.",
    "Visit my Etsy shop for handmade cards, 20% off with code INSIDE20.",
    "Officer Grady is stealing money from the commissary accounts.",
    "The camera by the gym has a blind spot near the back door.",
    "John Doe, driver's license number 0123456789012, please update his record.",
];
const UNICODE: &[&str] = &[
    "Merci beaucoup à l’équipe — les visites du samedi sont très appréciées ! 😊",
    "SSN ５２３－４１－７７８８ please help",
    "Gracias al personal por la ayuda con los documentos de mi hijo, ¡muy amables!",
    "f\u{200b}u\u{200b}c\u{200b}k this nonsense",
];

fn corpus() -> Vec<String> {
    let mut rng = Lcg(0x5eed);
    let mut items = Vec::new();
    let mut total = 0;
    while total < TARGET_BYTES {
        let sentences = 1 + rng.next() % 12;
        let mut item = String::new();
        for _ in 0..sentences {
            let roll = rng.next() % 100;
            let s = if roll < 3 {
                rng.pick(POSITIVE)
            } else if roll < 8 {
                rng.pick(UNICODE)
            } else {
                rng.pick(CLEAN)
            };
            item.push_str(s);
            item.push(' ');
        }
        total += item.len();
        items.push(item);
    }
    items
}

/// A 40-word public comment (a veiled threat inside an ordinary sentence).
const FORTY_WORDS: &str = "Thanks for posting the new visiting schedule for Deer Lodge, but I know which gas station you stop at after your shift, Officer Lund, and it would be a real shame if something happened to that nice truck of yours this weekend.";

/// Comment-sized texts: one or two sentences of the mixed corpus.
fn comments(n: usize) -> Vec<String> {
    let mut rng = Lcg(0xc0ffee);
    (0..n)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..1 + rng.next() % 2 {
                text.push_str(if rng.next().is_multiple_of(10) {
                    rng.pick(POSITIVE)
                } else {
                    rng.pick(CLEAN)
                });
                text.push(' ');
            }
            text
        })
        .collect()
}

/// Rules and model on one text, as the server screens it.
fn screen_full(encoder: &model::Encoder, heads: &Heads, policy: &ScreeningPolicy, text: &str) -> usize {
    let job = ModelJob {
        text,
        context: Context::PublicComment,
        rules: RuleSet::on(policy, Context::PublicComment),
        heads,
    };
    let hits = match model::model_hits(encoder, &[job]) {
        Ok(mut h) => h.pop().unwrap_or_default(),
        Err(e) => panic!("model: {e}"),
    };
    screening::screen_with_model(
        policy,
        Context::PublicComment,
        text,
        &hits,
        Provenance::rules_only(),
    )
    .findings
    .len()
}

/// p50 and p99 of screening [`FORTY_WORDS`] one request at a time.
fn latency(encoder: &model::Encoder, heads: &Heads, policy: &ScreeningPolicy) {
    let pooling = heads.sentence_pooling;
    for _ in 0..20 {
        black_box(screen_full(encoder, heads, policy, FORTY_WORDS));
    }
    let mut times: Vec<f64> = (0..300)
        .map(|_| {
            let t = Instant::now();
            black_box(screen_full(encoder, heads, policy, black_box(FORTY_WORDS)));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "screenText of a 40-word comment, rules + model ({pooling:?} sentences), {} thread(s): \
         p50 {:.2} ms, p99 {:.2} ms",
        candle_core::utils::get_num_threads(),
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
}

fn bench_model(c: &mut Criterion, policy: &ScreeningPolicy) {
    let encoder = match model::shipped_encoder() {
        Ok(e) => e,
        Err(e) => panic!("model: {e}"),
    };
    let heads = match Heads::embedded() {
        Ok((h, _)) => h,
        Err(e) => panic!("heads: {e}"),
    };
    // The same heads scored over sentences pooled the other way (speed only: the weights were
    // not trained for it).
    let mut other = heads.clone();
    other.sentence_pooling = match heads.sentence_pooling {
        SentencePooling::Separate => SentencePooling::InContext,
        SentencePooling::InContext => SentencePooling::Separate,
    };
    latency(&encoder, &heads, policy);
    latency(&encoder, &other, policy);
    let texts = comments(64);
    let mut group = c.benchmark_group("model");
    group.sample_size(10);
    group.throughput(Throughput::Elements(texts.len() as u64));
    for (name, heads) in [("shipped_pooling", &heads), ("other_pooling", &other)] {
        group.bench_function(format!("comments_in_batches_of_32_{name}"), |b| {
            b.iter(|| batched(&encoder, heads, policy, &texts))
        });
    }
    group.bench_function("comments_one_at_a_time", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| screen_full(&encoder, &heads, policy, t))
                .sum::<usize>()
        })
    });
    group.finish();
}

/// The model over `texts` in batches of 32; how many hits.
fn batched(encoder: &model::Encoder, heads: &Heads, policy: &ScreeningPolicy, texts: &[String]) -> usize {
    let mut found = 0;
    for chunk in texts.chunks(32) {
        let jobs: Vec<ModelJob<'_>> = chunk
            .iter()
            .map(|t| ModelJob {
                text: t,
                context: Context::PublicComment,
                rules: RuleSet::on(policy, Context::PublicComment),
                heads,
            })
            .collect();
        match model::model_hits(encoder, &jobs) {
            Ok(hits) => found += hits.iter().map(Vec::len).sum::<usize>(),
            Err(e) => panic!("model: {e}"),
        }
    }
    found
}

fn bench(c: &mut Criterion) {
    if let Err(e) = screening::self_check() {
        panic!("self_check: {e}");
    }
    let items = corpus();
    let bytes: usize = items.iter().map(String::len).sum();
    let all = policy();
    let five = five_rules(policy());
    let mut group = c.benchmark_group("screening");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    for (name, policy, context) in [
        ("all_rules_public_comment", &all, Context::PublicComment),
        ("all_rules_official_post", &all, Context::OfficialPost),
        ("five_rules_public_comment", &five, Context::PublicComment),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut findings = 0;
                for item in &items {
                    findings += screening::screen(policy, context, black_box(item)).findings.len();
                }
                findings
            })
        });
    }
    group.finish();
    bench_model(c, &all);
}

criterion_group!(benches, bench);
criterion_main!(benches);
