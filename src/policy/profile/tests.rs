//! Loading and validating profiles.

use super::*;

#[test]
fn embedded_profiles_load_and_carry_the_directive_quorums() {
    let profiles = Profiles::embedded().unwrap();
    let mt = profiles.get("MT-DOC").unwrap();
    let il = profiles.get("IL-DOC").unwrap();
    assert_eq!(mt.platforms.quorum, vec![vec![Role::Director, Role::Pio]]);
    assert_eq!(il.platforms.quorum, vec![vec![Role::Director], vec![Role::Pio]]);
    assert_eq!(mt.department.website_host, "cor.mt.gov");
    assert_eq!(il.facility_reviews.interval_days, 365);
    assert_eq!(
        il.directive.effective,
        chrono::NaiveDate::from_ymd_opt(2022, 9, 1)
    );
}

#[test]
fn a_missing_field_names_file_and_field() {
    let text = EMBEDDED[0]
        .1
        .replace("name = \"Montana Department of Corrections\"\n", "");
    let err = Profile::parse("broken.toml", &text).unwrap_err();
    assert_eq!(err.file, "broken.toml");
    assert!(err.to_string().contains("department"), "{err}");
    assert!(err.message.contains("name"), "{err}");
}

#[test]
fn a_wrong_type_names_the_field_path() {
    let text = EMBEDDED[1].1.replace("max_days = 365", "max_days = \"a year\"");
    let err = Profile::parse("il.toml", &text).unwrap_err();
    assert_eq!(err.field, "authorizations.max_days");
}

#[test]
fn an_unknown_or_missing_rule_is_refused() {
    let text = EMBEDDED[0]
        .1
        .replace("[screening.rules.ADVERTISING]", "[screening.rules.ADVERTISING_X]");
    let err = Profile::parse("mt.toml", &text).unwrap_err();
    assert!(err.field.starts_with("screening.rules"), "{err}");
    let text = EMBEDDED[0]
        .1
        .replace("public_comment = \"REVIEW\"", "public_comment = \"SOMETIMES\"");
    let err = Profile::parse("mt.toml", &text).unwrap_err();
    assert!(err.message.contains("BLOCK, REVIEW or OFF"), "{err}");
}

#[test]
fn an_empty_rule_clause_is_refused() {
    let text = EMBEDDED[1]
        .1
        .replace("clause = \"IL 01.02.400 II.G.3.b\"", "clause = \"\"");
    let err = Profile::parse("il.toml", &text).unwrap_err();
    assert_eq!(err.field, "screening.rules");
    assert!(err.message.contains("ADVERTISING"), "{err}");
}

#[test]
fn an_unknown_role_in_the_quorum_is_refused() {
    let text = EMBEDDED[0]
        .1
        .replace("quorum = [[\"DIRECTOR\", \"PIO\"]]", "quorum = [[\"JANITOR\"]]");
    let err = Profile::parse("mt.toml", &text).unwrap_err();
    assert!(err.field.starts_with("platforms.quorum"), "{err}");
}

#[test]
fn a_lookalike_website_url_is_refused() {
    let text = EMBEDDED[0]
        .1
        .replace("https://cor.mt.gov\"", "https://cor.mt.gov.evil.com\"");
    let err = Profile::parse("mt.toml", &text).unwrap_err();
    assert_eq!(err.field, "department.website_url");
}
