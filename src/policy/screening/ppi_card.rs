//! Card numbers with their codes (PPI_FINANCIAL): a Luhn-valid number of 13 to 19 digits in any
//! grouping or disguise (`4111.1111.1111.1111`, Amex 4-6-5, runs of two or three digits, mixed
//! spaces and dashes, zero-width characters) together with a security code, PIN, access code or
//! password and its value. No name is needed. A card without a code, or failing Luhn, is clean.

use super::digits::Run;
use super::fold::DIGITS;
use super::ppi::{Ctx, Hit};
use super::rules::RuleCode;

/// Words after a code or password cue within which "is <value>" still gives its value.
const LOOSE_WINDOW: usize = 7;

/// Digit runs one card number may be split into ("4111-1111 1111-1111" reads as two runs).
const MAX_PIECES: usize = 6;

/// A card number starting at `runs[0]`, with the number of runs it spans.
pub(super) fn card(cx: &Ctx<'_>, runs: &[Run]) -> Option<(Hit, usize)> {
    let first = runs.first()?;
    if (13..=19).contains(&first.len())
        && let Some(hit) = with_code(cx, first)
    {
        return Some((hit, 1));
    }
    let mut joined: Option<Run> = None;
    let mut used = 1;
    loop {
        let cur = joined.as_ref().unwrap_or(first);
        let next = runs.get(used)?;
        if used >= MAX_PIECES || cur.len() + next.len() > 19 || !adjacent(cx, cur, next) {
            return None;
        }
        let mut run = joined.take().unwrap_or_else(|| first.clone());
        run.end = next.end;
        run.groups.extend(next.groups.iter().cloned());
        run.glued_after = next.glued_after;
        used += 1;
        if (13..=19).contains(&run.len())
            && let Some(hit) = with_code(cx, &run)
        {
            return Some((hit, used));
        }
        joined = Some(run);
    }
}

/// Whether `next` follows `run` after a short plain separator and is no SSN of its own.
fn adjacent(cx: &Ctx<'_>, run: &Run, next: &Run) -> bool {
    let gap = cx.norm.text.as_bytes().get(run.end..next.start).unwrap_or(b",");
    !gap.is_empty()
        && gap.len() <= 3
        && gap.iter().all(|b| matches!(b, b' ' | b'-' | b'.'))
        && next.shape() != [3, 2, 4]
}

/// The finding for a card-length run that passes Luhn and has a code nearby.
fn with_code(cx: &Ctx<'_>, run: &Run) -> Option<Hit> {
    if run.glued_before || run.glued_after || !luhn(&run.digits()) {
        return None;
    }
    let f = cx.f;
    let (t0, t1) = super::ppi::run_tokens(f, run);
    let named_otherwise = |cues| {
        cx.last_cue(cues, t0.saturating_sub(4), t0)
            .is_some_and(|c: (usize, usize)| c.1 + 1 >= t0)
    };
    if named_otherwise(&cx.cues.not_ssn) || named_otherwise(&cx.cues.not_ssn_plain) {
        return None;
    }
    let n = f.tokens.len();
    let after = code_near(cx, t1, (t1 + 12).min(n), t1, n);
    let before = || code_near(cx, t0.saturating_sub(12), t0, 0, t0);
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

/// A code or password cue starting in `[lo, hi)` followed by a plausible value inside tokens
/// `[value_lo, value_hi)`: `(cue start, value end)`.
fn code_near(cx: &Ctx<'_>, lo: usize, hi: usize, value_lo: usize, value_hi: usize) -> Option<(usize, usize)> {
    const FILLER: &[&[u8]] = &[
        b"is", b"was", b"are", b"its", b"number", b"no", b"num", b"code", b"the", b"my", b"of", b"card",
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
        b"with",
        b"from",
        b"that",
        b"this",
        b"when",
        b"only",
    ];
    /// "code" after one of these is no security code ("zip code 59722").
    const NOT_A_CODE: &[&[u8]] = &[
        b"zip",
        b"postal",
        b"post",
        b"area",
        b"country",
        b"promo",
        b"discount",
        b"coupon",
        b"dress",
        b"bar",
        b"qr",
        b"tracking",
        b"reference",
        b"confirmation",
    ];
    let f = cx.f;
    for p in lo..hi {
        if f.word(p) == b"code" && p > 0 && NOT_A_CODE.contains(&f.word(p - 1)) {
            continue;
        }
        for (is_password, list) in [(false, &cx.cues.code), (true, &cx.cues.password)] {
            let Some((_, e)) = cx.first_cue(list, p, p + 1) else {
                continue;
            };
            let is_value = |v: usize| {
                let w = f.word(v);
                if is_password {
                    w.len() >= 4 && !NOT_PASSWORD.contains(&w)
                } else {
                    f.tokens[v].has(DIGITS) && (3..=6).contains(&w.len())
                }
            };
            let v = cx.skip_filler(e, 3, FILLER);
            if (value_lo..value_hi).contains(&v) && is_value(v) {
                return Some((p, v + 1));
            }
            // The value a few words on, told as a sentence: "the code on the front is 8812",
            // "the password on the app is Bobcats22", "the access code texted to me was 558210".
            let told = (e + 1..(e + LOOSE_WINDOW).min(value_hi))
                .filter(|&v| v >= value_lo)
                .find(|&v| matches!(f.word(v - 1), b"is" | b"was" | b"its") && is_value(v));
            if let Some(v) = told {
                return Some((p, v + 1));
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::ppi::testing::{expect_all, found};
    use super::super::rules::RuleCode;
    use super::*;

    const FIN: &[RuleCode] = &[RuleCode::PpiFinancial];

    #[test]
    fn luhn_checks_the_last_digit() {
        assert!(luhn("4111111111111111") && !luhn("4111111111111112"));
        assert!(luhn("378282246310005") && luhn("5425233430109903"));
    }

    #[test]
    fn cards_with_a_code() {
        expect_all(
            FIN,
            &[
                "card 4111 1111 1111 1111 exp 09/27 cvv 123",
                "my pin is 4471 and my card 5425233430109903",
                "Amex 3714 496353 98431 code 7781",
                "card 5425 2334 3010 9903 password Summer2024",
            ],
        );
    }

    #[test]
    fn odd_groupings_and_disguises_still_pass_luhn() {
        expect_all(
            FIN,
            &[
                "4111.1111.1111.1111 cvv 123",
                "card 3782-822463-10005 cid 4417",
                "41 11 11 11 11 11 11 11 security code 123",
                "411 111 111 111 1111, cvc 321",
                "4111-1111 1111-1111 ccv 123",
                "4111 1111-1111 1111 pin 9921",
                "4\u{200b}1\u{200b}1\u{200b}1\u{200b}1111\u{200b}11111111 cvv2 552",
                "\u{ff14}\u{ff11}\u{ff11}\u{ff11} 1111 1111 1111 cvv 123",
                "5425\u{2013}2334\u{2013}3010\u{2013}9903 code on the back 123",
                "card 5425 2334 3010 9903, the 3 digits on the back are 881",
            ],
        );
    }

    #[test]
    fn every_kind_of_code_word_counts() {
        for code in [
            "ccv 123",
            "cvv2 123",
            "cvc: 123",
            "CID 1234",
            "security code 123",
            "sec code 123",
            "code on the back 123",
            "3 digits on the back 123",
            "three numbers on back: 123",
            "PIN 4471",
            "pin # 4471",
            "access code 55123",
            "password hunter22",
            "passcode Tr0ub4dor",
            "verification code 123",
        ] {
            let text = format!("Visa 4111 1111 1111 1111 {code}");
            assert_eq!(super::super::ppi::testing::rules(&text), FIN, "{text}");
        }
    }

    #[test]
    fn a_code_told_a_few_words_after_its_cue_counts() {
        expect_all(
            FIN,
            &[
                "Visa 4111 1111 1111 1111 and the code on the front is 4417",
                "card 4111 111111 111111 and my password for the portal is Grizzlies9",
                "mastercard 5425 2334 3010 9903, the access code they mailed me was 90210",
            ],
        );
        expect_all(
            &[],
            &[
                "card 4111 1111 1111 1111 and the code is not working",
                "card 4111 1111 1111 1111, the password on the app is expired",
                "card 4111 1111 1111 1111; the zip code on file is 59722",
                "card 4111 1111 1111 1111. We will send a new code soon, it is 4 to 6 weeks",
            ],
        );
    }

    #[test]
    fn cards_without_a_code_or_failing_luhn_are_clean() {
        expect_all(
            &[],
            &[
                "card 4111 1111 1111 1112 cvv 123",
                "card 4111 1111 1111 1111 and nothing else",
                "Order number 4111111111111111 was shipped, PIN code not needed",
                "card 4111 1111 1111 1111, never share your pin",
                "card 4111 1111 1111 1111 password reset required",
                "card ending in 1111, cvv 123",
                "Tracking 4111 1111 1111 1111 code 123",
                "4111 1111 1111 1112 code on the back 123",
                "cvv on the back of card 4111 1111 1111 1111",
                "Call 406-444-3930 406-555-1234 pin 1234",
                "card 4111 1111 1111 1111 billing zip code 59722",
                "card 4111 1111 1111 1111, promo code 2024",
            ],
        );
    }

    #[test]
    fn a_code_before_the_card_is_not_taken_from_the_card_itself() {
        assert!(found("the pin for 4111 1111 1111 1111").is_empty());
        assert_eq!(
            super::super::ppi::testing::rules("pin 4471, card 4111 1111 1111 1111"),
            FIN
        );
    }

    #[test]
    fn the_excerpt_masks_the_number_and_the_code() {
        let excerpt = &found("4111 1111 1111 1111 cvv 123")[0].1;
        assert!(!excerpt.contains("4111 1111") && !excerpt.contains("123") && excerpt.contains("1111"));
        let excerpt = &found("4111-1111 1111-1111 ccv 123")[0].1;
        assert_eq!(excerpt, "card ****1111 … ccv ***");
    }
}
