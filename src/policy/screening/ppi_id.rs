//! A person's name together with a government ID number (PPI_NAME_ID), per MT III, and the
//! cue and name search shared with bank accounts ([`super::ppi_account`]). A name alone or a
//! number alone is not a finding.
//!
//! The number must follow its cue words (`driver's license`, `state ID No.`, `passport`,
//! `FOID`, `tribal enrollment #`, `TIN`) within a few words; the name
//! may be in the same sentence or just before it, in any letter case ([`names::Mode::Strict`]).
//! Two numbers cue themselves: an ITIN (`9XX-7X-XXXX`) and an A-number (`A123456789`).
//! Institutional numbers (`inmate ID`, `DOC ID`, `employee ID`) are not government IDs, nor is a
//! number with such a word between it and its cue.

use super::digits::Run;
use super::fold::{APOS, BREAK, CAP, UPPER};
use super::names;
use super::pattern::Elem;
use super::ppi::{Ctx, Hit, mask_number};
use super::ppi_ssn::itin_shaped;
use super::rules::RuleCode;

/// Phone numbers and dates are never IDs or accounts.
pub(super) fn phone_or_date(shape: &[usize]) -> bool {
    matches!(
        shape,
        [3, 3, 4] | [1, 3, 3, 4] | [3, 4] | [3, 3, 4, _] | [2, 2, 4] | [4, 2, 2] | [1 | 2, 1 | 2, 2 | 4]
    )
}

/// Where a number's cue is: words of the text, or the number itself (ITIN, A-number).
pub(super) enum Cue {
    Words(usize, usize),
    Itself(&'static str),
}

/// A name with an ID number introduced by an ID cue.
pub(super) fn name_with_id(cx: &Ctx<'_>, run: &Run, t0: usize, t1: usize) -> Option<Hit> {
    let n = run.len();
    if !(3..=20).contains(&n) || phone_or_date(&run.shape()) {
        return None;
    }
    let year = n == 4 && {
        let d = run.digits();
        d.starts_with("19") || d.starts_with("20")
    };
    let ssn_named = || cx.last_cue(&cx.cues.ssn, t0.saturating_sub(4), t0).is_some();
    let cue = if itin_shaped(run) && !run.glued_before && !run.glued_after && !ssn_named() {
        Cue::Itself("ITIN")
    } else if a_number(cx, run) && !institution_before(cx, t0) {
        Cue::Itself("A-number")
    } else if let Some((cs, ce)) = (n >= 5 || (n == 4 && run.glued_before && !year))
        .then(|| cue_before(cx, &cx.cues.id, &cx.cues.not_id, t0, 8))
        .flatten()
    {
        Cue::Words(cs, ce)
    } else if !year {
        short_cue(cx, t0)?
    } else {
        return None;
    };
    if let Cue::Words(cs, _) = cue
        && cx.f.word(cs) == b"id"
        && cx.f.tokens[cs].has(APOS)
    {
        return None; // "I'd"
    }
    finding(
        cx,
        RuleCode::PpiNameId,
        run,
        cue,
        t0,
        t1,
        &cx.norm.text[run.prefix_start..run.end],
    )
}

/// A tribal or enrollment cue right before a number ("enrollment #4471", "Blackfeet tribal
/// member ID 447"); such cues govern what follows them, so "member" does not negate. A bare
/// "enrollment" needs an ID marker (`#`, "number", "no", "ID") before the number.
fn short_cue(cx: &Ctx<'_>, t0: usize) -> Option<Cue> {
    const MARKERS: &[&[u8]] = &[b"number", b"no", b"num", b"nr", b"id"];
    let f = cx.f;
    let (cs, ce) = cx.last_cue(&cx.cues.id_short, t0.saturating_sub(4), t0)?;
    if (ce..=t0).any(|i| f.tokens.get(i).is_some_and(|t| t.has(BREAK))) {
        return None;
    }
    // "tribal enrollment", "Crow Tribe enrollment", "Blackfeet enrollment": a tribe's name
    // (a capitalised word) right before the cue makes it tribal too.
    let tribal = (cs.saturating_sub(2)..ce).any(|i| matches!(f.word(i), b"tribal" | b"tribe" | b"nation"))
        || (cs > 0 && f.tokens[cs - 1].has(CAP) && !f.tokens[cs - 1].has(UPPER) && {
            let (a, b) = (f.tokens[cs - 1].ne as usize, f.tokens[cs].ns as usize);
            cx.norm.text.get(a..b) == Some(" ")
        });
    let from = f.tokens[ce - 1].ne as usize;
    let to = f.tokens.get(t0).map_or(from, |t| t.ns as usize);
    let hash = cx
        .norm
        .text
        .as_bytes()
        .get(from..to)
        .is_some_and(|between| between.contains(&b'#'));
    let marker = (ce..t0).any(|i| MARKERS.contains(&f.word(i)));
    (tribal || hash || marker).then_some(Cue::Words(cs, ce))
}

/// `A123456789`, `A-12345678`, `A# 12345678`: a capital A and eight or nine digits.
fn a_number(cx: &Ctx<'_>, run: &Run) -> bool {
    let t = cx.norm.text.as_bytes();
    let before = t.get(..run.start).unwrap_or_default();
    let prefix = [&b"A"[..], b"A-", b"A#", b"A# ", b"A #"]
        .into_iter()
        .find(|p| before.ends_with(p));
    let Some(prefix) = prefix else { return false };
    let lead = before.len() - prefix.len();
    let clean_start = lead == 0 || !t[lead - 1].is_ascii_alphanumeric();
    matches!(run.len(), 8 | 9) && run.major == 0 && clean_start && !run.glued_after
}

/// An institution's word (inmate, offender, booking, ...) just before a self-cued number.
fn institution_before(cx: &Ctx<'_>, t0: usize) -> bool {
    cx.last_cue(&cx.cues.not_id, t0.saturating_sub(4), t0).is_some()
}

/// The last cue ending within `window` tokens before `t0`, in the same sentence as the number,
/// with no negative cue right before it or between it and the number.
pub(super) fn cue_before(
    cx: &Ctx<'_>,
    cues: &[Vec<Elem>],
    negative: &[Vec<Elem>],
    t0: usize,
    window: usize,
) -> Option<(usize, usize)> {
    let f = cx.f;
    let (cs, ce) = cx.last_cue(cues, t0.saturating_sub(window), t0)?;
    if (ce..=t0).any(|i| f.tokens.get(i).is_some_and(|t| t.has(BREAK))) {
        return None;
    }
    if cx
        .last_cue(negative, cs.saturating_sub(2), cs)
        .is_some_and(|(_, e)| e == cs)
    {
        return None;
    }
    if cx.last_cue(negative, ce, t0).is_some() {
        return None;
    }
    Some((cs, ce))
}

/// Builds the finding when a name is near the cue; the excerpt shows initials, the cue and the
/// number's last four characters only.
pub(super) fn finding(
    cx: &Ctx<'_>,
    rule: RuleCode,
    run: &Run,
    cue: Cue,
    t0: usize,
    t1: usize,
    number: &str,
) -> Option<Hit> {
    let f = cx.f;
    let (cs, ce) = match cue {
        Cue::Words(cs, ce) => (cs, ce),
        Cue::Itself(_) => (t0, t1),
    };
    let lo = cs.saturating_sub(14);
    let hi = (t0 + 9).min(f.tokens.len());
    let before = names::names_in(f, lo, cs);
    let after = names::names_in(f, ce, hi);
    let (a, b) = before
        .into_iter()
        .chain(after)
        .filter(|&(a, b)| b <= cs || a >= ce)
        .min_by_key(|&(a, b)| if b <= cs { cs - b } else { a - ce })?;
    let initials: Vec<String> = (a..b)
        .filter_map(|i| {
            f.word(i)
                .first()
                .map(|c| format!("{}.", c.to_ascii_uppercase() as char))
        })
        .collect();
    let label = match cue {
        Cue::Words(cs, ce) => (cs..ce)
            .map(|i| String::from_utf8_lossy(f.word(i)).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        Cue::Itself(label) => label.to_owned(),
    };
    let start = (f.tokens[a].ns as usize)
        .min(f.tokens[cs].ns as usize)
        .min(run.prefix_start);
    let end = (f.tokens[b - 1].ne as usize).max(run.end);
    Some(Hit {
        rule,
        start,
        end,
        excerpt: format!("{} … {label} {}", initials.join(" "), mask_number(number)),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::ppi::testing::{expect_all, found};
    use super::*;

    const ID: &[RuleCode] = &[RuleCode::PpiNameId];

    #[test]
    fn name_and_government_id() {
        expect_all(
            ID,
            &[
                "John Doe, driver's license number 0123456789012, please update",
                "My name is Maria Lopez and my state ID is A12345678",
                "Mr. Thomas Reed, DL# 4567-8901-23 expires",
                "J. Harlan, tribal enrollment number 42-11873",
                "The EIN for Robert Chambers is 12-3456789",
                "Please add Linda Hart to my list. Her driver license is 0409198512345.",
                "tax ID 93-1234567 belongs to Dennis Carver",
                "Jessica Tran\u{200b}, driver\u{2019}s license number\u{ff1a}\u{ff21}\u{ff11}\u{ff12}\u{ff13}\u{ff14}\u{ff15}\u{ff16}\u{ff17}",
                "My mom Patricia Olsen has tribal enrollment #CSKT-20451.",
            ],
        );
    }

    #[test]
    fn lower_case_names_and_initials_next_to_an_id_cue() {
        expect_all(
            ID,
            &[
                "my husband james okafor, drivers license 44178823",
                "j okafor dl# 4417882",
                "J. Okafor, DL 4417-882-19",
                "J Okafor state id 99812345",
                "maria lopez state id a12345678",
                "name: keisha brown, driver's license 0123456789",
                "Send it to Jayden Brooks, passport 548812345",
                "for kayla m. nguyen, state id 99812345",
                "drivers license 44178823 for james okafor",
                "Derek Sims license 44178823",
                "lic# 44178823 james okafor",
                "my wife kayla m. jones dl 44178823",
                "Derek Sims, I.D. 44178823",
                "D.L. 44178823 for derek sims",
            ],
        );
    }

    #[test]
    fn a_tribe_named_before_enrollment_makes_a_short_number_an_id() {
        expect_all(
            ID,
            &[
                "Dale Runningwater, Blackfeet enrollment 40213, for the liaison",
                "Ada Spotted Horse, Fort Peck Tribes enrollment 7712",
            ],
        );
        expect_all(
            &[],
            &[
                "Dale Runningwater said enrollment 40213 is the class code",
                "Principal Dale Runningwater: enrollment 350 this fall",
            ],
        );
    }

    #[test]
    fn two_capitalised_words_after_a_kin_word_are_a_name() {
        expect_all(
            ID,
            &[
                "My aunt Amaka Eze has passport 548812345, can she visit?",
                "his cousin Tran Van Minh, state id 99812345",
            ],
        );
        expect_all(
            &[],
            &[
                "My son Mark has license number 4417882",
                "my aunt Eze passport 548812345",
                "my cousin from Great Falls, state id 99812345",
            ],
        );
    }

    #[test]
    fn ordinary_words_are_not_names() {
        expect_all(
            &[],
            &[
                "my son james lost his drivers license 44178823",
                "dear warden, my drivers license 44178823 was taken",
                "the officer took my state id 99812345",
                "my son mark needs his license number 4417882",
                "I gave maria my passport 548812345",
                "ask for john at the desk with your ID 4417882",
                "a guard said the DL 44178823 was fake",
                "My Driver License 44178823 expired",
                "so u r saying dl 44178823 is wrong",
                "hey kevin ur id 99812345",
                "tell maria thanks, her dl 44178823 came back",
                "jose said his passport 548812345 expired",
                "Visitor ann lee came with license plate 7-12345A",
            ],
        );
    }

    #[test]
    fn other_government_ids() {
        expect_all(
            ID,
            &[
                "John Smith passport 548812345",
                "FOID card 12345678 for Dennis Carver",
                "foid # 87654321, name kevin walsh",
                "Jose Ramirez A-number A123456789",
                "Jose Ramirez A-12345678",
                "Ana Torres, alien registration number 123456789",
                "Sgt. Mark Davis, DoD ID 1234567890",
                "military ID 7788123 belongs to Tyrone Jackson",
                "Robert Chambers tribal enrollment #4471",
                "enrollment no. 447 for Patricia Olsen",
                "Blackfeet tribal member ID 4471, Lena Running Crane",
                "Tyler Redcloud's enrollment # is 4471",
                "my sons tribal enrollment number is 4471 his name is tyler redcloud",
                "ITIN 912-78-1234 for Maria Lopez",
                "Maria Lopez 912-78-1234",
                "green card 123456789, Ana Torres",
            ],
        );
    }

    #[test]
    fn institutional_numbers_and_lone_parts_are_not_ppi() {
        expect_all(
            &[],
            &[
                "John Doe was released on Tuesday.",
                "Bring a valid driver's license or state ID to every visit.",
                "Inmate Michael Brown, IDOC #Y12345, was transferred.",
                "Offender Carl Mason, DOC ID 3009876, completed the program.",
                "Driver license number 0123456789012 was found in the lot",
                "Employee ID 44821 for Susan Park is on the roster",
                "Visitor Ann Lee came with license plate 7-12345A",
                "My ID number was rejected. Call 217-555-0199, ask for Mary Jones",
                "John Smith, DOC #3012345",
                "enrollment 2024 for Patricia Olsen",
                "Patricia Olsen asked about tribal enrollment",
                "passport 548812345 found in the lobby",
                "Booking 12345678 for Jose Ramirez",
                "Inmate Jose Ramirez A12345678",
                "SSN 912-78-1234 for John Smith",
                "Tribal enrollment office opens at 9, call Mary Jones",
                "John Smith, DOB 01/02/1980, 123 Main St",
                "Cherokee Nation enrollment 4471",
                "the total enrollment is 447 for the program, said Director Mary Jones",
                "enrollment is 12000 this year, said Mary Jones",
                "Plan A 12345678 for Jose Ramirez",
                "Customer ID 12345678 for John Smith",
                "John Smith, PayPal ID 12345678",
            ],
        );
    }

    #[test]
    fn excerpts_do_not_echo_the_number_or_name() {
        assert_eq!(
            found("John Doe, driver's license number 0123456789012"),
            vec![(
                RuleCode::PpiNameId,
                "J. D. … license number *********9012".to_owned()
            )]
        );
        assert_eq!(
            found("Maria Lopez 912-78-1234"),
            vec![(RuleCode::PpiNameId, "M. L. … ITIN ***-**-1234".to_owned())]
        );
        assert_eq!(
            found("jose ramirez A-12345678"),
            vec![(RuleCode::PpiNameId, "J. R. … A-number *-****5678".to_owned())]
        );
    }
}
