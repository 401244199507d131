//! Social security numbers in digits (PPI_SSN): `123-45-6789` in any separator style, or nine
//! digits written without visible grouping (`523417788`, `523\u{200b}4177\u{200b}88`,
//! `5 2 3 4 1 7 7 8 8`) after or right before an SSN cue. A nearer cue that names something
//! else (case, booking, passport, driver's licence, routing, A-number ...) wins.
//!
//! Area 000, 666 and 900-999, group 00 and serial 0000 are never issued. A `9XX-7X-XXXX`
//! number is an ITIN, a tax ID: [`itin_shaped`] lets [`super::ppi_id`] report it with a name.

use super::digits::Run;
use super::ppi::Ctx;

/// The masked excerpt of an SSN in a digit run, if the run is one.
pub(super) fn ssn(cx: &Ctx<'_>, run: &Run, t0: usize, t1: usize) -> Option<String> {
    let shape = run.shape();
    let explicit = shape == [3, 2, 4];
    let undelimited = run.len() == 9 && (run.major <= 1 || shape.iter().all(|&g| g == 1));
    if !(explicit || undelimited) || run.glued_before || run.glued_after {
        return None;
    }
    let d = run.digits();
    if !valid(d.as_bytes()) || !ssn_context(cx, t0, t1, explicit) {
        return None;
    }
    Some(masked(d.as_bytes()))
}

/// Whether nine ASCII digits are a number the SSA issues.
pub(super) fn valid(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let (area, group, serial) = (&d[0..3], &d[3..5], &d[5..9]);
    !(area == b"000" || area == b"666" || area[0] == b'9' || group == b"00" || serial == b"0000")
}

/// `***-**-6789`.
pub(super) fn masked(d: &[u8]) -> String {
    format!("***-**-{}", String::from_utf8_lossy(&d[5..]))
}

/// Whether the words around tokens `[t0, t1)` let a number be an SSN: a `shaped` one unless a
/// nearer cue says it is something else, a plain one only with an SSN cue.
pub(super) fn ssn_context(cx: &Ctx<'_>, t0: usize, t1: usize, shaped: bool) -> bool {
    let pos = cx.last_cue(&cx.cues.ssn, t0.saturating_sub(6), t0);
    let mut neg = cx.last_cue(&cx.cues.not_ssn, t0.saturating_sub(4), t0);
    if !shaped {
        let plain = cx.last_cue(&cx.cues.not_ssn_plain, t0.saturating_sub(4), t0);
        if let Some(q) = plain
            && neg.is_none_or(|n| q.1 > n.1)
        {
            neg = Some(q);
        }
    }
    let after = cue_right_after(cx, t1);
    // "SSN or ITIN", "SSN/passport": a negative cue right after an SSN cue does not override it.
    let overrides = |n: (usize, usize)| pos.is_none_or(|p| n.1 > p.1 && n.0 > p.1 + 1);
    if neg.is_some_and(overrides) && !after {
        return false;
    }
    shaped || pos.is_some() || after
}

/// An SSN cue right after the number, past a few filler words: "523417788 is my social".
fn cue_right_after(cx: &Ctx<'_>, t1: usize) -> bool {
    const FILLER: &[&[u8]] = &[
        b"is", b"was", b"its", b"my", b"his", b"her", b"their", b"our", b"the", b"a", b"number", b"for",
    ];
    let v = cx.skip_filler(t1, 3, FILLER);
    v < cx.f.tokens.len() && cx.first_cue(&cx.cues.ssn, v, v + 1).is_some()
}

/// An ITIN: `9XX-7X-XXXX` or `9XX-8X-XXXX` (groups 70 to 88) in the SSN layout.
pub(super) fn itin_shaped(run: &Run) -> bool {
    let [area, group, serial] = run.groups.as_slice() else {
        return false;
    };
    let g = group.as_bytes();
    area.len() == 3
        && serial.len() == 4
        && area.starts_with('9')
        && g.len() == 2
        && (g[0] == b'7' || (g[0] == b'8' && g[1] != b'9'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::ppi::testing::{found, rules};
    use super::super::rules::RuleCode;

    fn ssn_found(text: &str) -> bool {
        rules(text).contains(&RuleCode::PpiSsn)
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
    fn a_phone_cue_does_not_turn_an_ssn_layout_into_a_phone_number() {
        assert!(ssn_found(
            "Here is the SSN you asked for on the phone yesterday: 523\u{200b}-\u{200b}41-7788"
        ));
        assert!(ssn_found(
            "I called the phone line at Shelby: 401-27-5519 is his social"
        ));
        assert!(!ssn_found("call my cell 523417788 anytime"));
        assert!(!ssn_found("SSN office hours are posted, phone 523417788"));
    }

    #[test]
    fn zero_width_characters_inside_nine_plain_digits_count_with_ssn_context() {
        for text in [
            "SSN 5234\u{200b}17788",
            "social security number: 52\u{2060}341\u{200b}77\u{feff}88",
            "my ssn is 5\u{200b}2\u{200b}3\u{200b}4\u{200b}1\u{200b}7\u{200b}7\u{200b}8\u{200b}8",
            "ssn 5 2 3 4 1 7 7 8 8",
            "5234\u{200c}17788 is my social",
        ] {
            assert!(ssn_found(text), "{text}");
        }
        for text in [
            "order 5234\u{200b}17788 shipped",
            "the 5234\u{200b}17788 number alone",
            "SSN 6664\u{200b}17788",
            "ssn 5234\u{200b}1778",
        ] {
            assert!(!ssn_found(text), "{text}");
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
            "SSN ends in 7788",
            "SSN XXX-XX-7788 on file",
            "ssn ***-**-7788",
        ] {
            assert!(!ssn_found(text), "{text}");
        }
    }

    #[test]
    fn nine_digits_named_as_something_else_are_not_ssns() {
        for text in [
            "passport number 523417788, and my SSN is on file",
            "Driver's license 523-41-7788 expires in May",
            "DL: 523417788",
            "routing 071000013 for the deposit, ssn not needed",
            "A-number 523417788",
            "booking no. 523417788",
            "confirmation 523-41-7788",
            "my tribal ID 523-41-7788",
            "checking account 523417788",
        ] {
            assert!(!ssn_found(text), "{text}");
        }
    }

    #[test]
    fn an_ssn_cue_next_to_another_cue_still_counts() {
        assert!(ssn_found("SSN or ITIN: 523-41-7788"));
        assert!(ssn_found("SSN/TIN 523417788"));
        assert!(!ssn_found("SSN on file; passport 523-41-7788"));
    }

    #[test]
    fn an_ssn_cue_only_counts_right_after_the_number() {
        assert!(ssn_found("523417788 is my social"));
        assert!(!ssn_found("passport 523417788 and also my ssn is on the form"));
    }

    #[test]
    fn itins_are_not_ssns() {
        assert!(!ssn_found("ITIN 912-78-1234"));
        assert!(!ssn_found("SSN 912-78-1234"));
        let run = super::super::digits::runs(&super::super::normalise::normalise("912-78-1234"));
        assert!(super::itin_shaped(&run[0]));
    }

    #[test]
    fn ssn_excerpt_is_masked() {
        assert_eq!(
            found("SSN 523-41-7788"),
            vec![(RuleCode::PpiSsn, "***-**-7788".to_owned())]
        );
    }
}
