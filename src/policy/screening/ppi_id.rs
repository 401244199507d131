//! A person's name together with a government ID number (PPI_NAME_ID) or a bank account number
//! (PPI_FINANCIAL), per MT III. A name alone or a number alone is not a finding.
//!
//! The number must follow its cue words (`driver's license`, `state ID No.`, `tribal
//! enrollment #`, `TIN`, `account number`) within a few words; the name may be in the same
//! sentence or just before it. Institutional numbers (`inmate ID`, `DOC ID`, `employee ID`,
//! `inmate trust account`) are not government IDs or bank accounts.

use super::digits::Run;
use super::fold::{APOS, BREAK, Folded};
use super::names;
use super::normalise::Normalised;
use super::ppi::{Cues, Hit, last_cue, mask_number};
use super::rules::RuleCode;

/// Phone numbers and dates are never IDs or accounts.
fn phone_or_date(shape: &[usize]) -> bool {
    matches!(
        shape,
        [3, 3, 4] | [1, 3, 3, 4] | [3, 4] | [3, 3, 4, _] | [2, 2, 4] | [4, 2, 2] | [1 | 2, 1 | 2, 2 | 4]
    )
}

/// A name with an ID number introduced by an ID cue.
pub(super) fn name_with_id(
    run: &Run,
    f: &Folded,
    cues: &Cues,
    t0: usize,
    norm: &Normalised<'_>,
) -> Option<Hit> {
    let n = run.len();
    let shape = run.shape();
    let year_only = n == 4 && (run.digits().starts_with("19") || run.digits().starts_with("20"));
    if !(n >= 5 || (n >= 4 && run.glued_before && !year_only)) || n > 20 || phone_or_date(&shape) {
        return None;
    }
    let (cs, ce) = cue_before(f, &cues.id, &cues.not_id, t0, 8)?;
    if f.word(cs) == b"id" && f.tokens[cs].has(APOS) {
        return None; // "I'd"
    }
    finding(
        RuleCode::PpiNameId,
        run,
        f,
        cs,
        ce,
        t0,
        &norm.text[run.prefix_start..run.end],
    )
}

/// A name with a bank account number introduced by an account cue.
pub(super) fn name_with_account(
    run: &Run,
    f: &Folded,
    cues: &Cues,
    t0: usize,
    norm: &Normalised<'_>,
) -> Option<Hit> {
    let n = run.len();
    if !(6..=17).contains(&n) || run.glued_before || phone_or_date(&run.shape()) {
        return None;
    }
    let (cs, ce) = cue_before(f, &cues.account, &cues.not_account, t0, 6)?;
    finding(
        RuleCode::PpiFinancial,
        run,
        f,
        cs,
        ce,
        t0,
        &norm.text[run.start..run.end],
    )
}

/// The last cue ending within `window` tokens before `t0`, in the same sentence as the number,
/// and not right after a negative cue.
fn cue_before(
    f: &Folded,
    cues: &[Vec<super::pattern::Elem>],
    negative: &[Vec<super::pattern::Elem>],
    t0: usize,
    window: usize,
) -> Option<(usize, usize)> {
    let (cs, ce) = last_cue(f, cues, t0.saturating_sub(window), t0)?;
    if (ce..=t0).any(|i| f.tokens.get(i).is_some_and(|t| t.has(BREAK))) {
        return None;
    }
    if last_cue(f, negative, cs.saturating_sub(2), cs).is_some_and(|(_, e)| e == cs) {
        return None;
    }
    Some((cs, ce))
}

/// Builds the finding when a name is near the cue; the excerpt shows initials, the cue and the
/// number's last four characters only.
fn finding(
    rule: RuleCode,
    run: &Run,
    f: &Folded,
    cs: usize,
    ce: usize,
    t0: usize,
    number: &str,
) -> Option<Hit> {
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
    let cue: Vec<String> = (cs..ce)
        .map(|i| String::from_utf8_lossy(f.word(i)).into_owned())
        .collect();
    let start = (f.tokens[a].ns as usize)
        .min(f.tokens[cs].ns as usize)
        .min(run.prefix_start);
    let end = (f.tokens[b - 1].ne as usize).max(run.end);
    Some(Hit {
        rule,
        start,
        end,
        excerpt: format!(
            "{} … {} {}",
            initials.join(" "),
            cue.join(" "),
            mask_number(number)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::fold::fold;
    use super::super::normalise::normalise;
    use super::super::ppi::{Want, scan};
    use super::*;

    fn rules(text: &str) -> Vec<RuleCode> {
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
        .map(|h| h.rule)
        .collect()
    }

    #[test]
    fn name_and_government_id() {
        for text in [
            "John Doe, driver's license number 0123456789012, please update",
            "My name is Maria Lopez and my state ID is A12345678",
            "Mr. Thomas Reed, DL# 4567-8901-23 expires",
            "J. Harlan, tribal enrollment number 42-11873",
            "The EIN for Robert Chambers is 12-3456789",
            "Please add Linda Hart to my list. Her driver license is 0409198512345.",
            "tax ID 93-1234567 belongs to Dennis Carver",
            "Jessica Tran\u{200b}, driver\u{2019}s license number\u{ff1a}\u{ff21}\u{ff11}\u{ff12}\u{ff13}\u{ff14}\u{ff15}\u{ff16}\u{ff17}",
            "My mom Patricia Olsen has tribal enrollment #CSKT-20451.",
        ] {
            assert_eq!(rules(text), vec![RuleCode::PpiNameId], "{text}");
        }
    }

    #[test]
    fn name_alone_number_alone_or_institutional_numbers_are_not_ppi() {
        for text in [
            "John Doe was released on Tuesday.",
            "Bring a valid driver's license or state ID to every visit.",
            "Inmate Michael Brown, IDOC #Y12345, was transferred.",
            "Offender Carl Mason, DOC ID 3009876, completed the program.",
            "Driver license number 0123456789012 was found in the lot",
            "Employee ID 44821 for Susan Park is on the roster",
            "Visitor Ann Lee came with license plate 7-12345A",
            "My ID number was rejected. Call 217-555-0199, ask for Mary Jones",
        ] {
            assert!(rules(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn name_and_bank_account() {
        assert_eq!(
            rules("Maria Gomez checking account #3301229845"),
            vec![RuleCode::PpiFinancial]
        );
        assert_eq!(
            rules("Routing 071000013 account 123456789012 name Tony Russo"),
            vec![RuleCode::PpiFinancial]
        );
        assert!(rules("Inmate trust account 3012345 for Jason Hill").is_empty());
        assert!(rules("Account 3 of 5 of the trust fund report shows $1,245.22").is_empty());
    }

    #[test]
    fn excerpts_do_not_echo_the_number_or_name() {
        let norm = normalise("John Doe, driver's license number 0123456789012");
        let f = fold(&norm.text);
        let hits = scan(
            &norm,
            &f,
            Want {
                ssn: true,
                name_id: true,
                financial: true,
            },
        );
        assert_eq!(hits[0].excerpt, "J. D. … license number *********9012");
    }
}
