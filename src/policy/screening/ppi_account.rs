//! A person's name with a bank account number (PPI_FINANCIAL), per MT III: the number follows
//! an account cue (`checking`, `savings`, `acct#`, `account no.`, `routing`, `IBAN`) within a
//! few words, with only filler, a routing number or the name between them. A routing number is
//! optional. Not bank accounts: inmate trust, commissary, phone or billing accounts, the last
//! four digits, "bank" alone. A personal sale with bank details is PPI_FINANCIAL too.

use super::digits::Run;
use super::fold::DIGITS;
use super::names;
use super::ppi::{Ctx, Hit};
use super::ppi_id::{Cue, cue_before, finding, phone_or_date};
use super::rules::RuleCode;

/// A name with a bank account number introduced by an account cue.
pub(super) fn name_with_account(cx: &Ctx<'_>, run: &Run, t0: usize) -> Option<Hit> {
    // Only these, a routing number or a name may stand between the cue and the number
    // ("checking in for Mike Harris, visit 1234567" is no account).
    const FILLER: &[&[u8]] = &[
        b"is", b"was", b"my", b"his", b"her", b"their", b"our", b"number", b"no", b"num", b"nr", b"for",
        b"and", b"account", b"acct", b"the", b"at", b"of",
    ];
    let n = run.len();
    if !(6..=17).contains(&n) || run.glued_before || phone_or_date(&run.shape()) {
        return None;
    }
    let (cs, ce) = cue_before(cx, &cx.cues.account, &cx.cues.not_account, t0, 6)?;
    let names = names::names_in(cx.f, ce, t0);
    let plain = (ce..t0).all(|i| {
        FILLER.contains(&cx.f.word(i))
            || cx.f.tokens[i].has(DIGITS)
            || names.iter().any(|&(a, b)| (a..b).contains(&i))
    });
    if !plain {
        return None;
    }
    let (_, t1) = super::ppi::run_tokens(cx.f, run);
    finding(
        cx,
        RuleCode::PpiFinancial,
        run,
        Cue::Words(cs, ce),
        t0,
        t1,
        &cx.norm.text[run.start..run.end],
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::ppi::testing::expect_all;
    use super::*;

    const FIN: &[RuleCode] = &[RuleCode::PpiFinancial];

    #[test]
    fn name_and_bank_account() {
        expect_all(
            FIN,
            &[
                "Maria Gomez checking account #3301229845",
                "Routing 071000013 account 123456789012 name Tony Russo",
                "Maria Gomez checking 3301229845",
                "savings acct# 88123456, name: dale whitaker",
                "Tony Russo, account no. 123456789012",
                "acct. 55512345 for Keisha Brown",
                "routing 071000013 acct 4455667788, Dale Whitaker",
                "Selling my truck, $8,500. Wire to Dale Whitaker, routing 122000661, checking 4471882290",
                "Mike Harris routing number 071000013, 4455667788",
                "checking account for Maria Gomez: 3301229845",
            ],
        );
    }

    #[test]
    fn no_bank_account_without_a_name_or_with_an_institution() {
        expect_all(
            &[],
            &[
                "Inmate trust account 3012345 for Jason Hill",
                "Account 3 of 5 of the trust fund report shows $1,245.22",
                "Jason Hill checking on inmate 3012345",
                "Checking in for Mike Harris, visit 1234567",
                "Bank of America, call Mary Jones at 406-555-1234",
                "Jason Hill's account ending in 4471",
                "The bank account 123456789 was closed",
                "John Smith, JPay account 12345678",
                "commissary account 1234567 for Tony Russo",
                "Mary Jones has savings of 12,500 dollars",
                "billing account 12345678 for kevin walsh",
                "kevin walsh checking in at 10:30 with visitor pass 123456",
            ],
        );
    }
}
