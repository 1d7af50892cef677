//! The European Central Bank's euro foreign exchange reference rates, as a user downloads them
//! from its site: the CSV files (`eurofxref.csv`, today's; `eurofxref-hist.csv`, every day
//! since 1999) and the XML ones (`eurofxref-daily.xml`, `eurofxref-hist-90d.xml`,
//! `eurofxref-hist.xml`). Each gives, per day, the units of each currency one euro buys.

use app::domain::Currency;
use app::domain::exchange::ExchangeRate;
use chrono::NaiveDate;
use quick_xml::events::Event;
use rust_decimal::Decimal;

/// Why a file is not read as reference rates.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EcbError {
    #[error(
        "This is not an ECB reference rates file: upload eurofxref.csv, eurofxref-hist.csv or \
         one of the eurofxref XML files as downloaded from the ECB"
    )]
    NotRates,
    #[error("The file holds no rate")]
    Empty,
    #[error("Line {line}: {detail}")]
    Unreadable { line: usize, detail: String },
}

/// The rates of `content`, an ECB CSV or XML file. Currencies the ECB no longer publishes (and
/// that ISO 4217 has withdrawn) and days without a rate (`N/A`) are passed over.
pub fn parse(content: &[u8]) -> Result<Vec<ExchangeRate>, EcbError> {
    let text = std::str::from_utf8(content).map_err(|_| EcbError::NotRates)?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let rates = if text.starts_with('<') {
        parse_xml(text)?
    } else {
        parse_csv(text)?
    };
    if rates.is_empty() {
        return Err(EcbError::Empty);
    }
    Ok(rates)
}

/// A rate as the ECB writes it (`1.0921`), or the reason it is not one.
fn rate(text: &str) -> Result<Decimal, String> {
    let rate = app::domain::parse_decimal(text.trim())
        .map_err(|_| format!("`{}` is not a rate", text.trim()))?;
    if rate <= Decimal::ZERO {
        return Err(format!("`{}` is not a rate", text.trim()));
    }
    Ok(rate)
}

/// Days are `2026-04-01` in the history file and `01 April 2026` in today's.
fn day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d %B %Y"))
        .ok()
}

fn parse_csv(text: &str) -> Result<Vec<ExchangeRate>, EcbError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| EcbError::NotRates)?.clone();
    if headers.get(0) != Some("Date") {
        return Err(EcbError::NotRates);
    }
    // The columns of currencies still in ISO 4217; the file ends each row with a comma.
    let columns: Vec<(usize, Currency)> = headers
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(column, code)| Some((column, Currency::parse(code).ok()?)))
        .filter(|(_, currency)| *currency != app::domain::exchange::book_currency())
        .collect();
    if columns.is_empty() {
        return Err(EcbError::NotRates);
    }
    let mut rates = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|error| EcbError::Unreadable {
            line,
            detail: error.to_string(),
        })?;
        let Some(first) = record.get(0).filter(|text| !text.is_empty()) else {
            continue;
        };
        let date = day(first).ok_or_else(|| EcbError::Unreadable {
            line,
            detail: format!("`{first}` is not a date"),
        })?;
        for (column, currency) in &columns {
            let text = record.get(*column).unwrap_or_default();
            if text.is_empty() || text == "N/A" {
                continue;
            }
            let rate = rate(text).map_err(|detail| EcbError::Unreadable { line, detail })?;
            rates.push(ExchangeRate {
                currency: *currency,
                date,
                rate,
            });
        }
    }
    Ok(rates)
}

fn parse_xml(text: &str) -> Result<Vec<ExchangeRate>, EcbError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut date: Option<NaiveDate> = None;
    let mut envelope = false;
    let mut rates = Vec::new();
    loop {
        let event = reader.read_event();
        let read = (reader.buffer_position() as usize).min(text.len());
        let unreadable = |detail: String| EcbError::Unreadable {
            line: 1 + text[..read].matches('\n').count(),
            detail,
        };
        let element = match event {
            Err(error) => return Err(unreadable(error.to_string())),
            Ok(Event::Eof) => break,
            Ok(Event::Start(element)) | Ok(Event::Empty(element)) => element,
            Ok(_) => continue,
        };
        let name = element.local_name();
        if name.as_ref() == b"Envelope" {
            envelope = true;
        }
        if name.as_ref() != b"Cube" {
            continue;
        }
        let mut currency = None;
        let mut value = None;
        for attribute in element.attributes() {
            let attribute = attribute.map_err(|error| unreadable(error.to_string()))?;
            let text = attribute
                .unescape_value()
                .map_err(|error| unreadable(error.to_string()))?
                .into_owned();
            match attribute.key.as_ref() {
                b"time" => {
                    date = Some(
                        day(&text).ok_or_else(|| unreadable(format!("`{text}` is not a date")))?,
                    )
                }
                b"currency" => currency = Some(text),
                b"rate" => value = Some(text),
                _ => {}
            }
        }
        if let (Some(code), Some(text)) = (currency, value) {
            let date = date.ok_or_else(|| unreadable("a rate outside a day".into()))?;
            // Withdrawn currencies are passed over, as in the CSV, and so is the euro itself.
            let Ok(currency) = Currency::parse(&code) else {
                continue;
            };
            if currency == app::domain::exchange::book_currency() {
                continue;
            }
            rates.push(ExchangeRate {
                currency,
                date,
                rate: rate(&text).map_err(unreadable)?,
            });
        }
    }
    if !envelope {
        return Err(EcbError::NotRates);
    }
    Ok(rates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(rates: &[ExchangeRate]) -> Vec<String> {
        rates
            .iter()
            .map(|rate| format!("{} {} {}", rate.date, rate.currency.code(), rate.rate))
            .collect()
    }

    /// The history file as the ECB serves it: a header of codes, a trailing comma on every
    /// row, `N/A` for currencies not quoted that day, and currencies since withdrawn (CYP).
    #[test]
    fn the_history_csv_gives_every_quoted_currency_of_every_day() {
        let file = "Date,USD,JPY,CYP,GBP,\n\
                    2026-04-02,1.0790,163.20,N/A,0.8551,\n\
                    2026-04-01,1.0821,163.88,N/A,N/A,\n";
        assert_eq!(
            summary(&parse(file.as_bytes()).unwrap()),
            [
                "2026-04-02 USD 1.0790",
                "2026-04-02 JPY 163.20",
                "2026-04-02 GBP 0.8551",
                "2026-04-01 USD 1.0821",
                "2026-04-01 JPY 163.88",
            ]
        );
    }

    #[test]
    fn the_daily_csv_writes_its_day_in_words_with_spaces_after_commas() {
        let file = "Date, USD, JPY, \n01 April 2026, 1.0821, 163.88, \n";
        assert_eq!(
            summary(&parse(file.as_bytes()).unwrap()),
            ["2026-04-01 USD 1.0821", "2026-04-01 JPY 163.88"]
        );
    }

    #[test]
    fn the_xml_files_give_each_cube_of_each_day() {
        let file = r#"<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
	<Cube>
		<Cube time='2026-04-02'>
			<Cube currency='USD' rate='1.0790'/>
			<Cube currency='CHF' rate='0.9412'/>
		</Cube>
		<Cube time='2026-04-01'>
			<Cube currency='USD' rate='1.0821'/>
		</Cube>
	</Cube>
</gesmes:Envelope>"#;
        assert_eq!(
            summary(&parse(file.as_bytes()).unwrap()),
            [
                "2026-04-02 USD 1.0790",
                "2026-04-02 CHF 0.9412",
                "2026-04-01 USD 1.0821"
            ]
        );
    }

    #[test]
    fn other_files_and_bad_rows_are_refused_with_their_line() {
        assert_eq!(parse(b"number,customer\n1,Acme\n"), Err(EcbError::NotRates));
        assert_eq!(
            parse(b"<html><body>Hello</body></html>"),
            Err(EcbError::NotRates)
        );
        assert_eq!(parse(&[0xff, 0xfe, 0x00]), Err(EcbError::NotRates));
        assert_eq!(parse(b"Date,USD,\n"), Err(EcbError::Empty));
        let bad = parse(b"Date,USD,\n2026-04-01,1.08,\n2026-04-02,-1,\n");
        assert!(
            matches!(bad, Err(EcbError::Unreadable { line: 3, .. })),
            "{bad:?}"
        );
        let bad = parse(b"Date,USD,\nyesterday,1.08,\n");
        assert!(
            matches!(bad, Err(EcbError::Unreadable { line: 2, .. })),
            "{bad:?}"
        );
    }
}
