//! Social security numbers spelled out in words (PPI_SSN): digit by digit ("five two three
//! four one seven seven eight eight", with "oh" or "zero" for 0), in pairs ("five twenty-three,
//! forty-one, seventy-seven eighty-eight"), with hundreds ("five hundred twenty-three") and
//! "double"/"triple". A run of number words joined by spaces, commas, dashes or dots that
//! reads as nine digits is an SSN when it is grouped 3-2-4 by visible marks, or has SSN
//! context (see [`super::ppi_ssn::ssn_context`]), and is a valid SSN.
//!
//! One pass over the words; a text without number words costs a table look-up for one word in
//! five.

use super::ppi::{Ctx, Hit};
use super::ppi_ssn::{masked, ssn_context, valid};
use super::rules::RuleCode;

/// The value of one number word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Num {
    /// 0 to 9.
    Digit(u8),
    /// 10 to 19: two digits.
    Teen(u8),
    /// Twenty to ninety, by its first digit; a unit word may follow.
    Tens(u8),
    Hundred,
    /// "double" or "triple": the next digit repeated.
    Repeat(u8),
}

/// The number words with their values.
const WORDS: &[(&[u8], Num)] = &[
    (b"zero", Num::Digit(0)),
    (b"oh", Num::Digit(0)),
    (b"o", Num::Digit(0)),
    (b"one", Num::Digit(1)),
    (b"two", Num::Digit(2)),
    (b"three", Num::Digit(3)),
    (b"four", Num::Digit(4)),
    (b"five", Num::Digit(5)),
    (b"six", Num::Digit(6)),
    (b"seven", Num::Digit(7)),
    (b"eight", Num::Digit(8)),
    (b"nine", Num::Digit(9)),
    (b"ten", Num::Teen(10)),
    (b"eleven", Num::Teen(11)),
    (b"twelve", Num::Teen(12)),
    (b"thirteen", Num::Teen(13)),
    (b"fourteen", Num::Teen(14)),
    (b"fifteen", Num::Teen(15)),
    (b"sixteen", Num::Teen(16)),
    (b"seventeen", Num::Teen(17)),
    (b"eighteen", Num::Teen(18)),
    (b"nineteen", Num::Teen(19)),
    (b"twenty", Num::Tens(2)),
    (b"thirty", Num::Tens(3)),
    (b"forty", Num::Tens(4)),
    (b"fourty", Num::Tens(4)),
    (b"fifty", Num::Tens(5)),
    (b"sixty", Num::Tens(6)),
    (b"seventy", Num::Tens(7)),
    (b"eighty", Num::Tens(8)),
    (b"ninety", Num::Tens(9)),
    (b"hundred", Num::Hundred),
    (b"double", Num::Repeat(2)),
    (b"triple", Num::Repeat(3)),
];

/// For each first and second letter, the lengths of the number words that start with them:
/// [`value`] runs once per word of every text, and this rejects almost every word with one
/// table look-up.
static FILTER: [[u16; 26]; 26] = filter();

const fn filter() -> [[u16; 26]; 26] {
    let mut t = [[0u16; 26]; 26];
    let mut i = 0;
    while i < WORDS.len() {
        let w = WORDS[i].0;
        if w.len() >= 2 {
            t[(w[0] - b'a') as usize][(w[1] - b'a') as usize] |= 1 << w.len();
        }
        i += 1;
    }
    t
}

fn value(w: &[u8]) -> Option<Num> {
    let (Some(&a), Some(&b)) = (w.first(), w.get(1)) else {
        return (w == b"o").then_some(Num::Digit(0));
    };
    if w.len() > 9
        || !a.is_ascii_lowercase()
        || !b.is_ascii_lowercase()
        || FILTER[usize::from(a - b'a')][usize::from(b - b'a')] & (1 << w.len()) == 0
    {
        return None;
    }
    WORDS.iter().find(|e| e.0 == w).map(|e| e.1)
}

/// The separator between two words of a run: `None` when it ends the run, else whether it is
/// a visible group mark (`,`, `-`, `.`, `/`) and whether it is exactly one dash.
fn gap(cx: &Ctx<'_>, k: usize) -> Option<(bool, bool)> {
    let (a, b) = (cx.f.tokens[k - 1].ne as usize, cx.f.tokens[k].ns as usize);
    let g = cx.norm.text.as_bytes().get(a..b)?;
    if g.is_empty() || g.len() > 4 || !g.iter().all(|c| matches!(c, b' ' | b',' | b'-' | b'.' | b'/')) {
        return None;
    }
    Some((g.iter().any(|&c| c != b' '), g == b"-"))
}

/// Most digits a run is read to: more than nine is no SSN, so reading stops soon after.
const MAX_DIGITS: usize = 12;

/// Digits read from a run of number words, with the digit counts at visible group marks.
/// Fixed-size: number words are common ("one of"), and reading one must not allocate.
#[derive(Default)]
struct Reading {
    digits: [u8; MAX_DIGITS + 4],
    len: usize,
    cuts: [usize; MAX_DIGITS + 4],
    ncuts: usize,
    tens: Option<u8>,
    hundred: bool,
    repeat: u8,
}

impl Reading {
    fn put(&mut self, d: u8) {
        if let Some(slot) = self.digits.get_mut(self.len) {
            *slot = d;
            self.len += 1;
        }
    }

    fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    fn cuts(&self) -> &[usize] {
        &self.cuts[..self.ncuts]
    }

    /// Completes a pending "twenty" or "five hundred".
    fn flush(&mut self) {
        self.flush_tens();
        if std::mem::take(&mut self.hundred) {
            self.put(0);
            self.put(0);
        }
    }

    fn flush_tens(&mut self) {
        if let Some(t) = self.tens.take() {
            self.put(t);
            self.put(0);
        }
    }

    /// Adds one word; false when the words cannot be one number ("hundred" first) or are too
    /// long for an SSN.
    fn push(&mut self, n: Num, mark_before: bool, compound: bool) -> bool {
        if mark_before && !(compound && self.tens.is_some() && matches!(n, Num::Digit(1..=9))) {
            self.flush();
            self.repeat = 0;
            if self.len > 0
                && let Some(slot) = self.cuts.get_mut(self.ncuts)
            {
                *slot = self.len;
                self.ncuts += 1;
            }
        }
        match n {
            Num::Digit(d) => match self.tens {
                Some(t) if d > 0 => {
                    self.tens = None;
                    self.put(t);
                    self.put(d);
                }
                _ => {
                    self.flush_tens();
                    if std::mem::take(&mut self.hundred) {
                        self.put(0);
                    }
                    for _ in 0..std::mem::take(&mut self.repeat).max(1) {
                        self.put(d);
                    }
                }
            },
            Num::Teen(v) => {
                self.tens = None;
                self.hundred = false;
                self.put(v / 10);
                self.put(v % 10);
            }
            Num::Tens(t) => {
                self.flush_tens();
                self.hundred = false;
                self.tens = Some(t);
            }
            Num::Hundred => {
                if self.len == 0 || self.hundred || self.tens.is_some() {
                    return false;
                }
                self.hundred = true;
            }
            Num::Repeat(r) => self.repeat = r,
        }
        self.len <= MAX_DIGITS
    }
}

/// Fewest words that can spell nine digits (a word gives at most two: "twelve", "twenty").
const MIN_WORDS: usize = 5;

/// Every spelled-out SSN in the text. Only every fifth word is looked up until one is a number
/// word (a run of five or more always contains one of those); then the run is read from its
/// start.
pub(super) fn spelled_ssns(cx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let n = cx.f.tokens.len();
    let is_number = |k: usize| value(cx.f.word(k)).is_some();
    // Tokens before `done` are read.
    let mut done = 0;
    let mut k = MIN_WORDS - 1;
    while k < n {
        if !is_number(k) {
            k += MIN_WORDS;
            continue;
        }
        let mut i = k;
        while i > done && is_number(i - 1) && gap(cx, i).is_some() {
            i -= 1;
        }
        while i <= k {
            i = read_run(cx, i, out);
        }
        done = i;
        k = done + MIN_WORDS - 1;
    }
}

/// Reads the run of number words starting at token `i`, reports it if it spells an SSN, and
/// returns the token after it.
fn read_run(cx: &Ctx<'_>, i: usize, out: &mut Vec<Hit>) -> usize {
    let n = cx.f.tokens.len();
    let Some(first) = value(cx.f.word(i)) else {
        return i + 1;
    };
    // "Oh, five two three ...": an interjection, not a zero.
    let mut start = i;
    if first == Num::Digit(0) && cx.f.word(i) != b"zero" && i + 1 < n && gap(cx, i + 1).is_some_and(|g| g.0) {
        start = i + 1;
    }
    let mut reading = Reading::default();
    let mut ok = true;
    let mut j = start;
    while j < n {
        let Some(v) = value(cx.f.word(j)) else { break };
        let (mark, compound) = if j == start {
            (false, false)
        } else {
            match gap(cx, j) {
                Some(g) => g,
                None => break,
            }
        };
        if !reading.push(v, mark, compound) {
            ok = false;
            break;
        }
        j += 1;
    }
    reading.flush();
    if ok && j > start && reading.len == 9 {
        report(cx, &reading, start, j, out);
    }
    j.max(i + 1)
}

fn report(cx: &Ctx<'_>, reading: &Reading, t0: usize, t1: usize, out: &mut Vec<Hit>) {
    let mut d = [0u8; 9];
    for (out, digit) in d.iter_mut().zip(reading.digits()) {
        *out = b'0' + digit;
    }
    let shaped = reading.cuts() == [3, 5];
    if valid(&d) && ssn_context(cx, t0, t1, shaped) {
        out.push(Hit {
            rule: RuleCode::PpiSsn,
            start: cx.f.tokens[t0].ns as usize,
            end: cx.f.tokens[t1 - 1].ne as usize,
            excerpt: masked(&d),
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::ppi::testing::{expect_all, found};
    use super::super::rules::RuleCode;

    #[test]
    fn every_number_word_passes_the_filter() {
        for &(w, n) in super::WORDS {
            assert_eq!(super::value(w), Some(n));
        }
        for w in [&b"the"[..], b"on", b"of", b"fore", b"sevens", b"", b"4", b"t1"] {
            assert_eq!(super::value(w), None);
        }
    }

    #[test]
    fn digit_by_digit_with_ssn_context() {
        expect_all(
            &[RuleCode::PpiSsn],
            &[
                "my ssn is five two three four one seven seven eight eight",
                "Social security number: Five Two Three Four One Seven Seven Eight Eight.",
                "SSN oh one two three four five six seven eight",
                "ssn zero one two, three four, five six seven eight",
                "SS#: five-two-three-four-one-seven-seven-eight-eight",
                "social five two three four one double seven double eight",
                "my social is five\u{200b} two three four one seven seven eight eight",
            ],
        );
    }

    #[test]
    fn runs_are_found_wherever_they_start_and_among_other_number_words() {
        let ssn = "ssn five two three four one seven seven eight eight";
        for pad in 0..7 {
            let text = format!("{}{ssn} ok", "word ".repeat(pad));
            assert_eq!(
                super::super::ppi::testing::rules(&text),
                [RuleCode::PpiSsn],
                "{text}"
            );
        }
        expect_all(
            &[RuleCode::PpiSsn],
            &[
                "one or two things: ssn five two three four one seven seven eight eight",
                "ssn twelve thirteen fourteen fifteen nine",
                "ssn is triple five, two two, four four four four",
            ],
        );
    }

    #[test]
    fn pairs_and_hundreds() {
        expect_all(
            &[RuleCode::PpiSsn],
            &[
                "SSN five twenty-three, forty-one, seventy-seven eighty-eight",
                "social security five hundred twenty-three forty-one seventy-seven eighty-eight",
                "ssn is five twenty three, forty one, seventy seven, eighty eight",
            ],
        );
    }

    #[test]
    fn a_clear_three_two_four_shape_needs_no_cue() {
        expect_all(
            &[RuleCode::PpiSsn],
            &[
                "write down five two three - four one - seven seven eight eight",
                "it's five twenty-three, forty-one, seventy-seven eighty-eight",
            ],
        );
    }

    #[test]
    fn other_spelled_numbers_are_clean() {
        expect_all(
            &[],
            &[
                "one two three four five six seven eight nine, here we go",
                "I have two sons, one daughter and three grandkids",
                "call four oh six, five five five, one two three four",
                "my ssn ends in seven seven eight eight",
                "ssn six six six four one seven seven eight eight",
                "ssn five two three zero zero seven seven eight eight",
                "SSN five two three four one zero zero zero zero",
                "case number five two three four one seven seven eight eight",
                "Oh, and the ssn is on file",
                "hundred five two three four one seven seven eight",
            ],
        );
    }

    #[test]
    fn the_excerpt_is_masked_and_spans_the_words() {
        let text = "SSN five two three four one seven seven eight eight ok";
        assert_eq!(found(text), vec![(RuleCode::PpiSsn, "***-**-7788".to_owned())]);
        let norm = super::super::normalise::normalise(text);
        let f = super::super::fold::fold(&norm.text);
        let want = super::super::ppi::Want {
            ssn: true,
            name_id: false,
            financial: false,
        };
        let hit = &super::super::ppi::scan(&norm, &f, want)[0];
        assert_eq!(
            &text[hit.start..hit.end],
            "five two three four one seven seven eight eight"
        );
    }
}
