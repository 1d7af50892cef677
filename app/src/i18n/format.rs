//! Amounts and dates as each language writes them, and amounts read back as people type them
//! there. The same code runs on the server (pages, PDFs, e-mails) and in the browser, so both
//! render the same text. The shapes are CLDR's (release 48, as ICU 78 formats them):
//! `1 410,00 €` (fr, U+202F between groups, U+00A0 before the symbol), `1.410,00 €` (de),
//! `€1,410.00` (en); dates `06/12/2026`, `06.12.2026`, `Dec 6, 2026`. Written here rather than
//! with ICU4X: three languages and three date shapes are about a hundred lines, where ICU4X's
//! date data alone would outweigh the browser's whole budget for this (see the tests for the
//! CLDR outputs they match).

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use rust_decimal::Decimal;

use crate::domain::{Currency, Language, MoneyError};

/// Between groups of thousands in French: the narrow no-break space.
const FR_GROUP: char = '\u{202F}';
/// Between an amount and its currency: the no-break space.
const NBSP: char = '\u{A0}';

/// The separators of a language: between groups of thousands, before decimals.
fn separators(language: Language) -> (char, char) {
    match language {
        Language::En => (',', '.'),
        Language::Fr => (FR_GROUP, ','),
        Language::De => ('.', ','),
    }
}

/// A number with `scale` decimals, grouped as `language` writes it, without sign.
fn digits(language: Language, amount: Decimal, scale: u32) -> String {
    let (group, decimal) = separators(language);
    let text = amount.abs().round_dp(scale).to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + 4);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(digit);
    }
    if scale > 0 {
        out.push(decimal);
        let fraction: String = fraction
            .chars()
            .chain(std::iter::repeat('0'))
            .take(scale as usize)
            .collect();
        out.push_str(&fraction);
    }
    out
}

/// The sign an amount is written with: `-` below zero (CLDR uses the ASCII hyphen-minus in all
/// three languages).
fn sign(amount: Decimal, scale: u32) -> &'static str {
    let rounded = amount.round_dp(scale);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    }
}

/// A figure of a column, without its currency: `1 410,00`, `1.410,00`, `1,410.00`.
pub fn figure(language: Language, amount: Decimal, currency: Currency) -> String {
    let scale = currency.scale();
    format!("{}{}", sign(amount, scale), digits(language, amount, scale))
}

/// A plain number (a quantity, a percentage, a rate) with the decimals it has, trailing zeros
/// dropped: `2,5` (fr, de), `2.5` (en); `1 250` in French.
pub fn decimal(language: Language, value: Decimal) -> String {
    let value = value.normalize();
    format!(
        "{}{}",
        sign(value, value.scale()),
        digits(language, value, value.scale())
    )
}

/// A number as it is put in a field for a person to edit: the language's decimal separator,
/// no grouping (`1410,5` in French and German, `1410.5` in English), so what the reader reads
/// back is the same number whatever the currency's decimals (`12,500` is never twelve thousand).
pub fn editable(language: Language, value: Decimal) -> String {
    let text = value.to_string();
    match language {
        Language::En => text,
        Language::Fr | Language::De => text.replace('.', ","),
    }
}

/// The symbol `language` writes for `currency`, and whether it is letters (a code), which
/// English then sets apart with a no-break space.
fn symbol(language: Language, currency: Currency) -> (&'static str, bool) {
    match (currency.code(), language) {
        ("EUR", _) => ("€", false),
        ("USD", Language::Fr) => ("$US", false),
        ("USD", _) => ("$", false),
        ("GBP", Language::Fr) => ("£GB", false),
        ("GBP", _) => ("£", false),
        ("JPY", Language::Fr) => ("JPY", true),
        ("JPY", _) => ("¥", false),
        (code, _) => (code, true),
    }
}

/// An amount with its currency, as a person of `language` reads it.
pub fn money(language: Language, amount: Decimal, currency: Currency) -> String {
    let scale = currency.scale();
    let sign = sign(amount, scale);
    let number = digits(language, amount, scale);
    let (symbol, letters) = symbol(language, currency);
    match language {
        Language::En if letters => format!("{sign}{symbol}{NBSP}{number}"),
        Language::En => format!("{sign}{symbol}{number}"),
        Language::Fr | Language::De => format!("{sign}{number}{NBSP}{symbol}"),
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date: `06/12/2026`, `06.12.2026`, `Dec 6, 2026`.
pub fn date(language: Language, date: NaiveDate) -> String {
    match language {
        Language::Fr => date.format("%d/%m/%Y").to_string(),
        Language::De => date.format("%d.%m.%Y").to_string(),
        Language::En => format!(
            "{} {}, {}",
            MONTHS_EN[date.month0() as usize],
            date.day(),
            date.year()
        ),
    }
}

/// A moment, in UTC (the desk's clock): the date, then the time on 24 hours.
pub fn moment(language: Language, at: DateTime<Utc>) -> String {
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    match language {
        Language::En => format!("{}, {time} UTC", date(language, at.date_naive())),
        Language::Fr | Language::De => format!("{} {time} UTC", date(language, at.date_naive())),
    }
}

/// A decimal as a person of `language` types it, for the shared reader ([`crate::domain::parse_decimal`]):
/// blanks between groups dropped; in French and German the comma is the decimal separator and a
/// point groups thousands (`1.410,50`, German `1.410`), or, when it groups nothing, is a
/// decimal point (`12.5` typed on a keypad, `100.00` pasted); in English commas group.
pub fn parse_decimal(language: Language, text: &str) -> Result<Decimal, MoneyError> {
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(*c, ' ' | NBSP | FR_GROUP))
        .collect();
    // Without a comma, a point that does not group thousands (`100.00`, `5.5`) is a decimal
    // point, as a keypad or a pasted figure writes it; in German `1.410` still groups.
    let groups_thousands = |text: &str| {
        let mut groups = text.trim_start_matches('-').split('.');
        let first = groups.next().unwrap_or_default();
        !first.is_empty() && first.len() <= 3 && groups.all(|g| g.len() == 3)
    };
    let (group, decimal) = match language {
        Language::En => (',', '.'),
        Language::Fr | Language::De if compact.contains(',') => ('.', ','),
        Language::De if groups_thousands(&compact) => ('.', ','),
        Language::Fr | Language::De => ('\0', '.'),
    };
    let (whole, fraction) = match compact.split_once(decimal) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (compact.as_str(), None),
    };
    // Group separators only between groups of three digits ("1.41,5" is a typing error, not 141.5).
    let unsigned = whole.strip_prefix('-').unwrap_or(whole);
    let mut groups = unsigned.split(group);
    let first = groups.next().unwrap_or_default();
    let grouped = unsigned.contains(group);
    if grouped && (first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3)) {
        return Err(MoneyError::NotANumber(text.trim().to_string()));
    }
    let mut plain: String = whole.chars().filter(|c| *c != group).collect();
    if let Some(fraction) = fraction {
        plain.push('.');
        plain.push_str(fraction);
    }
    crate::domain::parse_decimal(&plain).map_err(|error| match error {
        MoneyError::NotANumber(_) => MoneyError::NotANumber(text.trim().to_string()),
        other => other,
    })
}

/// An amount of `currency` as a person of `language` types it: [`parse_decimal`], then the
/// currency's own rules (decimals, size).
pub fn parse_amount(
    language: Language,
    currency: Currency,
    text: &str,
) -> Result<Decimal, MoneyError> {
    let amount = parse_decimal(language, text)?;
    currency.parse_amount(&amount.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn currency(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    #[test]
    fn plain_numbers_keep_their_decimals_in_each_languages_shape() {
        assert_eq!(decimal(Language::Fr, dec!(5.50)), "5,5");
        assert_eq!(decimal(Language::De, dec!(1250)), "1.250");
        assert_eq!(decimal(Language::Fr, dec!(1250.125)), "1\u{202F}250,125");
        assert_eq!(decimal(Language::En, dec!(-2.0)), "-2");
        assert_eq!(decimal(Language::En, dec!(0.25)), "0.25");
    }

    /// What ICU 78 (CLDR 48) writes, as `Intl.NumberFormat` gives it.
    #[test]
    fn amounts_read_as_cldr_writes_them() {
        let eur = currency("EUR");
        assert_eq!(
            money(Language::Fr, dec!(1410), eur),
            "1\u{202F}410,00\u{A0}€"
        );
        assert_eq!(money(Language::De, dec!(1410), eur), "1.410,00\u{A0}€");
        assert_eq!(money(Language::En, dec!(1410), eur), "€1,410.00");
        assert_eq!(
            money(Language::Fr, dec!(-1410), eur),
            "-1\u{202F}410,00\u{A0}€"
        );
        assert_eq!(money(Language::En, dec!(-1410), eur), "-€1,410.00");
        assert_eq!(
            money(Language::De, dec!(1234567.5), eur),
            "1.234.567,50\u{A0}€"
        );
        assert_eq!(
            money(Language::Fr, dec!(1410), currency("USD")),
            "1\u{202F}410,00\u{A0}$US"
        );
        assert_eq!(
            money(Language::En, dec!(1410), currency("GBP")),
            "£1,410.00"
        );
        assert_eq!(
            money(Language::De, dec!(1410), currency("JPY")),
            "1.410\u{A0}¥"
        );
        assert_eq!(
            money(Language::Fr, dec!(1410), currency("JPY")),
            "1\u{202F}410\u{A0}JPY"
        );
        assert_eq!(
            money(Language::En, dec!(1410.5), currency("KWD")),
            "KWD\u{A0}1,410.500"
        );
        assert_eq!(
            money(Language::En, dec!(1410), currency("CHF")),
            "CHF\u{A0}1,410.00"
        );
        assert_eq!(
            money(Language::En, dec!(-0.001), eur),
            "€0.00",
            "no minus zero"
        );
        assert_eq!(figure(Language::De, dec!(999.5), eur), "999,50");
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(date(Language::Fr, day), "06/12/2026");
        assert_eq!(date(Language::De, day), "06.12.2026");
        assert_eq!(date(Language::En, day), "Dec 6, 2026");
        let at = day.and_hms_opt(14, 5, 0).unwrap().and_utc();
        assert_eq!(moment(Language::De, at), "06.12.2026 14:05 UTC");
        assert_eq!(moment(Language::En, at), "Dec 6, 2026, 14:05 UTC");
    }

    #[test]
    fn amounts_are_read_as_each_language_types_them() {
        let read = |language, text| parse_decimal(language, text).ok();
        assert_eq!(read(Language::Fr, "1 410,50"), Some(dec!(1410.50)));
        assert_eq!(read(Language::Fr, "1\u{202F}410,50"), Some(dec!(1410.50)));
        assert_eq!(read(Language::Fr, "12,5"), Some(dec!(12.5)));
        assert_eq!(
            read(Language::Fr, "12.5"),
            Some(dec!(12.5)),
            "a keypad's point"
        );
        assert_eq!(read(Language::De, "1.410,50"), Some(dec!(1410.50)));
        assert_eq!(read(Language::De, "1.410"), Some(dec!(1410)));
        assert_eq!(read(Language::De, "-12,50"), Some(dec!(-12.50)));
        assert_eq!(
            read(Language::De, "100.00"),
            Some(dec!(100.00)),
            "a point that groups nothing is a decimal point"
        );
        assert_eq!(read(Language::De, "5.5"), Some(dec!(5.5)));
        // What a field is filled with reads back as the same number, whatever its decimals.
        for value in [dec!(12.500), dec!(1.000), dec!(1410.5), dec!(-3)] {
            for language in Language::ALL {
                let text = editable(language, value);
                assert_eq!(parse_decimal(language, &text).ok(), Some(value), "{text}");
            }
        }
        assert_eq!(read(Language::En, "1,410.50"), Some(dec!(1410.50)));
        assert_eq!(read(Language::En, "1410.5"), Some(dec!(1410.5)));
        assert_eq!(
            read(Language::De, "1.41,5"),
            None,
            "groups are three digits"
        );
        assert_eq!(read(Language::En, "1,41"), None);
        assert_eq!(read(Language::Fr, "12,5,0"), None);
        assert_eq!(read(Language::De, "abc"), None);
        assert!(matches!(
            parse_decimal(Language::Fr, "  "),
            Err(MoneyError::Empty)
        ));
        let eur = currency("EUR");
        assert_eq!(
            parse_amount(Language::Fr, eur, "300,5").ok(),
            Some(dec!(300.50))
        );
        assert!(
            parse_amount(Language::Fr, eur, "300,505").is_err(),
            "more decimals than the euro has"
        );
    }

    #[test]
    fn what_is_written_reads_back() {
        for language in Language::ALL {
            for amount in [dec!(0), dec!(7.5), dec!(-1234567.89), dec!(1000)] {
                let eur = currency("EUR");
                let written = figure(language, amount, eur);
                assert_eq!(
                    parse_amount(language, eur, &written).ok(),
                    Some(amount.round_dp(2)),
                    "{language} {written}"
                );
            }
        }
    }
}
