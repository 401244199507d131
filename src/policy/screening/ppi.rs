//! Protected personal information (MT III): social security numbers and card numbers with
//! their codes. Names with ID or bank-account numbers are in [`super::ppi_id`].
//!
//! Everything starts from a digit run ([`super::digits`]), so text without digits costs one
//! byte scan. The clear value never leaves this module: excerpts are masked (`***-**-6789`).

use std::sync::LazyLock;

use super::digits::{self, Run};
use super::fold::{DIGITS, Folded};
use super::normalise::Normalised;
use super::pattern::{self, Classes, Elem, Matcher};
use super::ppi_id;
use super::rules::RuleCode;

/// A PPI finding in normalised offsets, with its masked excerpt.
#[derive(Clone, Debug)]
pub(super) struct Hit {
    pub rule: RuleCode,
    pub start: usize,
    pub end: usize,
    pub excerpt: String,
}

/// Cue phrases from `data/ppi_cues.txt`, by section.
pub(super) struct Cues {
    pub ssn: Vec<Vec<Elem>>,
    pub not_ssn: Vec<Vec<Elem>>,
    pub id: Vec<Vec<Elem>>,
    pub not_id: Vec<Vec<Elem>>,
    pub account: Vec<Vec<Elem>>,
    pub not_account: Vec<Vec<Elem>>,
    pub code: Vec<Vec<Elem>>,
    pub password: Vec<Vec<Elem>>,
}

pub(super) static CUES: LazyLock<Result<Cues, String>> = LazyLock::new(|| {
    let mut cues = Cues {
        ssn: vec![],
        not_ssn: vec![],
        id: vec![],
        not_id: vec![],
        account: vec![],
        not_account: vec![],
        code: vec![],
        password: vec![],
    };
    let classes = Classes::new();
    let mut section = String::new();
    for (n, line) in include_str!("data/ppi_cues.txt").lines().enumerate() {
        let line = pattern::content(line);
        if line.is_empty() {
            continue;
        }
        if line.starts_with('[') {
            section = line.to_owned();
            continue;
        }
        let seq =
            pattern::parse(line, &classes).map_err(|e| format!("data/ppi_cues.txt line {}: {e}", n + 1))?;
        let list = match section.as_str() {
            "[ssn]" => &mut cues.ssn,
            "[not_ssn]" => &mut cues.not_ssn,
            "[id]" => &mut cues.id,
            "[not_id]" => &mut cues.not_id,
            "[account]" => &mut cues.account,
            "[not_account]" => &mut cues.not_account,
            "[code]" => &mut cues.code,
            "[password]" => &mut cues.password,
            other => {
                return Err(format!(
                    "data/ppi_cues.txt line {}: unknown section `{other}`",
                    n + 1
                ));
            }
        };
        list.push(seq);
    }
    Ok(cues)
});

/// Forces the cue tables and reports a bad line.
pub(super) fn self_check() -> Result<(), String> {
    CUES.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// Which PPI rules to run.
#[derive(Clone, Copy, Debug)]
pub(super) struct Want {
    pub ssn: bool,
    pub name_id: bool,
    pub financial: bool,
}

/// Finds PPI in a normalised text.
pub(super) fn scan(norm: &Normalised<'_>, f: &Folded, want: Want) -> Vec<Hit> {
    let mut hits = Vec::new();
    let Ok(cues) = CUES.as_ref() else { return hits };
    // Every finding needs a run of at least four digits.
    if !(want.ssn || want.name_id || want.financial) || f.digits < 4 {
        return hits;
    }
    for run in digits::runs(norm) {
        let (t0, t1) = run_tokens(f, &run);
        if let Some(excerpt) = ssn(&run, f, cues, t0, t1) {
            if want.ssn {
                hits.push(Hit {
                    rule: RuleCode::PpiSsn,
                    start: run.start,
                    end: run.end,
                    excerpt,
                });
            }
            continue;
        }
        if let Some(hit) = card(&run, f, cues, t0, t1) {
            if want.financial {
                hits.push(hit);
            }
            continue;
        }
        if want.name_id
            && let Some(hit) = ppi_id::name_with_id(&run, f, cues, t0, norm)
        {
            hits.push(hit);
            continue;
        }
        if want.financial
            && let Some(hit) = ppi_id::name_with_account(&run, f, cues, t0, norm)
        {
            hits.push(hit);
        }
    }
    hits
}

/// The tokens `[t0, t1)` covering a run.
fn run_tokens(f: &Folded, run: &Run) -> (usize, usize) {
    let t0 = f.token_at_norm(run.start);
    let t1 = f.token_at_norm(run.end.saturating_sub(1)) + 1;
    (t0.min(f.tokens.len()), t1.min(f.tokens.len()))
}

/// The cue occurrence in tokens `[lo, hi)` that ends last, as `(start, end)` tokens.
pub(super) fn last_cue(f: &Folded, cues: &[Vec<Elem>], lo: usize, hi: usize) -> Option<(usize, usize)> {
    let m = Matcher { folded: f, lo, hi };
    let mut best: Option<(usize, usize)> = None;
    for p in lo..hi {
        for cue in cues {
            m.run(cue, p, &mut |e| {
                if best.is_none_or(|b| e > b.1 || (e == b.1 && p < b.0)) {
                    best = Some((p, e));
                }
                false
            });
        }
    }
    best
}

/// The first cue occurrence starting in tokens `[lo, hi)`.
pub(super) fn first_cue(f: &Folded, cues: &[Vec<Elem>], lo: usize, hi: usize) -> Option<(usize, usize)> {
    let m = Matcher { folded: f, lo, hi };
    (lo..hi).find_map(|p| {
        cues.iter()
            .filter_map(|c| m.first_end(c, p))
            .max()
            .map(|e| (p, e))
    })
}

/// A valid-shaped SSN: `123-45-6789` in any separator style, or nine plain digits after an
/// SSN cue. Area 000, 666 and 900-999, group 00 and serial 0000 are never issued.
fn ssn(run: &Run, f: &Folded, cues: &Cues, t0: usize, t1: usize) -> Option<String> {
    let shape = run.shape();
    let explicit = shape == [3, 2, 4];
    if !(explicit || shape == [9]) || run.glued_before || run.glued_after {
        return None;
    }
    let d = run.digits();
    let (area, group, serial) = (&d[0..3], &d[3..5], &d[5..9]);
    if area == "000" || area == "666" || area.starts_with('9') || group == "00" || serial == "0000" {
        return None;
    }
    let pos = last_cue(f, &cues.ssn, t0.saturating_sub(6), t0);
    let neg = last_cue(f, &cues.not_ssn, t0.saturating_sub(4), t0);
    let after = || first_cue(f, &cues.ssn, t1, (t1 + 3).min(f.tokens.len())).is_some();
    if neg.is_some_and(|n| pos.is_none_or(|p| n.1 > p.1)) && !after() {
        return None;
    }
    if !explicit && pos.is_none() && !after() {
        return None;
    }
    Some(format!("***-**-{serial}"))
}

/// A Luhn-valid card number with a security code, PIN or password nearby.
fn card(run: &Run, f: &Folded, cues: &Cues, t0: usize, t1: usize) -> Option<Hit> {
    let shape = run.shape();
    let n = run.len();
    let grouped = shape.len() == 1
        || shape[..shape.len() - 1].iter().all(|&g| g == 4)
        || shape == [4, 6, 5]
        || shape == [4, 6, 4];
    if !(13..=19).contains(&n) || !grouped || run.glued_before || run.glued_after || !luhn(&run.digits()) {
        return None;
    }
    let lo = t0.saturating_sub(4);
    if last_cue(f, &cues.not_ssn, lo, t0).is_some_and(|c| c.1 + 1 >= t0) {
        return None;
    }
    let after = code_after(f, cues, t1, (t1 + 12).min(f.tokens.len()));
    let before = || code_after(f, cues, t0.saturating_sub(12), t0);
    let (cue_start, value_end) = after.or_else(before)?;
    let start = run.start.min(f.tokens[cue_start].ns as usize);
    let end = run.end.max(f.tokens[value_end - 1].ne as usize);
    let d = run.digits();
    let cue_word = String::from_utf8_lossy(f.word(cue_start)).into_owned();
    Some(Hit {
        rule: RuleCode::PpiFinancial,
        start,
        end,
        excerpt: format!("card ****{} … {cue_word} ***", &d[d.len() - 4..]),
    })
}

/// A code or password cue in `[lo, hi)` followed by a plausible value: `(cue start, value end)`.
fn code_after(f: &Folded, cues: &Cues, lo: usize, hi: usize) -> Option<(usize, usize)> {
    const FILLER: &[&[u8]] = &[
        b"is", b"was", b"its", b"number", b"no", b"num", b"code", b"the", b"my", b"of",
    ];
    const NOT_PASSWORD: &[&[u8]] = &[
        b"not",
        b"needed",
        b"required",
        b"reset",
        b"change",
        b"changed",
        b"protected",
        b"field",
        b"and",
        b"for",
        b"will",
        b"your",
        b"expired",
        b"manager",
        b"please",
        b"here",
        b"there",
        b"never",
        b"dont",
        b"again",
    ];
    let m = Matcher {
        folded: f,
        lo,
        hi: f.tokens.len(),
    };
    for p in lo..hi {
        for (is_password, list) in [(false, &cues.code), (true, &cues.password)] {
            for cue in list {
                let Some(e) = m.first_end(cue, p) else {
                    continue;
                };
                let mut v = e;
                while v < f.tokens.len() && v < e + 3 && FILLER.contains(&f.word(v)) {
                    v += 1;
                }
                let Some(tok) = f.tokens.get(v) else { continue };
                let w = f.word(v);
                let ok = if is_password {
                    w.len() >= 4 && !NOT_PASSWORD.contains(&w)
                } else {
                    tok.has(DIGITS) && (3..=6).contains(&w.len())
                };
                if ok {
                    return Some((p, v + 1));
                }
            }
        }
    }
    None
}

/// The Luhn checksum used by card numbers.
pub(super) fn luhn(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// `****5678`: every character but the last four alphanumerics masked, separators kept.
pub(super) fn mask_number(s: &str) -> String {
    let total = s.chars().filter(char::is_ascii_alphanumeric).count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if seen + 4 > total { c } else { '*' }
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::fold::fold;
    use super::super::normalise::normalise;
    use super::*;

    fn found(text: &str) -> Vec<(RuleCode, String)> {
        let norm = normalise(text);
        let f = fold(&norm.text);
        scan(
            &norm,
            &f,
            Want {
                ssn: true,
                name_id: true,
                financial: true,
            },
        )
        .into_iter()
        .map(|h| (h.rule, h.excerpt))
        .collect()
    }

    fn ssn_found(text: &str) -> bool {
        found(text).iter().any(|(r, _)| *r == RuleCode::PpiSsn)
    }

    #[test]
    fn ssn_positives() {
        for text in [
            "My SSN is 523-41-7788 if that helps",
            "his social 401 27 5519 please",
            "SS# 287.55.1043 for the form",
            "ssn: 532771904 for my son",
            "Social Security Number 214509876.",
            "SSN ５２３－４１－７７８８",
            "ss number 4\u{200b}1\u{200b}2-3\u{200b}3-9\u{200b}1\u{200b}2\u{200b}0",
            "his number is 372\u{2013}64\u{2013}1195 (social)",
            "529\u{00a0}18\u{00a0}4477 is my social security",
            "Mine: 455 - 12 - 8830.",
            "my ssn is 5 2 9 - 4 4 - 1 2 3 8 ok",
            "SSN\u{ff1a}\u{0664}\u{0660}\u{0661}\u{0662}\u{0663}\u{0664}\u{0665}\u{0666}\u{0667}",
            "soc sec 331_54_9021",
            "SSN 701/22/5563",
            "123\u{200b}45\u{200b}6789",
            "ssn=517249983",
        ] {
            assert!(ssn_found(text), "{text}");
        }
    }

    #[test]
    fn ssn_hard_negatives() {
        for text in [
            "Call 406-846-1320 or (406) 444-3930",
            "Visits moved to 09-14-2024. ZIP 62794-9277.",
            "DOC# 3012345, Deer Lodge MT 59722-0007",
            "Case No. 2023-CV-001456",
            "His case number is 123-45-6789 in district court",
            "000-12-3456 and 666-45-1234 and 912-34-5678 and 123-00-4567 and 123-45-0000",
            "Order 523417788 shipped",
            "Offender #123-45-6789 moved",
            "Booking 221-45-9087 at the jail, not a social security number",
            "Meeting ID 845 2231 0917",
            "Invoice 102-33-45678",
            "CV123-45-6789 and 123-45-6789A",
            "1-800-555-0199 ext 4421",
            "the 523417788 number alone",
        ] {
            assert!(!ssn_found(text), "{text}");
        }
    }

    #[test]
    fn ssn_excerpt_is_masked() {
        assert_eq!(
            found("SSN 523-41-7788"),
            vec![(RuleCode::PpiSsn, "***-**-7788".to_owned())]
        );
    }

    #[test]
    fn card_needs_luhn_and_a_code() {
        assert!(luhn("4111111111111111") && !luhn("4111111111111112"));
        let card = |t: &str| found(t).iter().any(|(r, _)| *r == RuleCode::PpiFinancial);
        assert!(card("card 4111 1111 1111 1111 exp 09/27 cvv 123"));
        assert!(card("my pin is 4471 and my card 5425233430109903"));
        assert!(card("Amex 3714 496353 98431 code 7781"));
        assert!(card("card 5425 2334 3010 9903 password Summer2024"));
        assert!(!card("card 4111 1111 1111 1112 cvv 123"));
        assert!(!card("card 4111 1111 1111 1111 and nothing else"));
        assert!(!card(
            "Order number 4111111111111111 was shipped, PIN code not needed"
        ));
        let excerpt = &found("4111 1111 1111 1111 cvv 123")[0].1;
        assert!(!excerpt.contains("4111 1111") && !excerpt.contains("123") && excerpt.contains("1111"));
    }

    #[test]
    fn mask_keeps_last_four() {
        assert_eq!(mask_number("R123-4567-8910"), "****-****-8910");
        assert_eq!(mask_number("12"), "12");
    }
}
