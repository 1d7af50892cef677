//! Reads the translations (`locales/<language>/<area>.toml`: one folder per language, one
//! file per part of the product, the same files in every folder) and writes `messages.rs`:
//! one `Msg` variant per key, so a key that does not exist does not compile, and the catalogs
//! of the server. Refuses a language that lacks a key or a file, has one too many, a key
//! written in two files, or a text naming other `{placeholders}` than English: every key
//! exists in every language.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// In the order of `app::domain::Language::ALL`.
const LANGUAGES: [&str; 3] = ["en", "fr", "de"];

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        found.insert(rest[start + 1..start + end].to_string());
        rest = &rest[start + end + 1..];
    }
    found
}

/// `timeline.credit_note_linked` → `TimelineCreditNoteLinked`.
fn variant(key: &str) -> String {
    key.split(['.', '_'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The `.toml` files of a language's folder, by name.
fn area_files(folder: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                .filter(|name| name.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default()
}

fn main() {
    let dir = std::path::Path::new("locales");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut catalogs: Vec<BTreeMap<String, String>> = Vec::new();
    let mut problems = Vec::new();
    let areas = area_files(&dir.join(LANGUAGES[0]));
    for language in LANGUAGES {
        let folder = dir.join(language);
        println!("cargo::rerun-if-changed={}", folder.display());
        if area_files(&folder) != areas {
            problems.push(format!(
                "{language}/ holds other files than en/: {:?}",
                area_files(&folder)
            ));
        }
        let mut catalog = BTreeMap::new();
        for area in &areas {
            let path = folder.join(area);
            println!("cargo::rerun-if-changed={}", path.display());
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let table: BTreeMap<String, String> =
                toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            for (key, text) in table {
                if catalog.insert(key.clone(), text).is_some() {
                    problems.push(format!("{language}: {key} is written in two files"));
                }
            }
        }
        catalogs.push(catalog);
    }
    let english = &catalogs[0];
    for (language, catalog) in LANGUAGES.iter().zip(&catalogs).skip(1) {
        for (key, text) in english {
            match catalog.get(key) {
                None => problems.push(format!("{language}/ lacks {key}")),
                Some(translated) if placeholders(translated) != placeholders(text) => problems
                    .push(format!(
                        "{language}/: {key} names {:?}, English {:?}",
                        placeholders(translated),
                        placeholders(text)
                    )),
                Some(_) => {}
            }
        }
        for key in catalog.keys().filter(|key| !english.contains_key(*key)) {
            problems.push(format!("{language}/ has {key}, which en/ lacks"));
        }
    }
    assert!(
        problems.is_empty(),
        "translations:\n{}",
        problems.join("\n")
    );

    let mut out = String::new();
    out.push_str("/// A message of the catalogs (`app/locales/*.toml`), by its key.\n");
    out.push_str(
        "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\n#[repr(u16)]\npub enum Msg {\n",
    );
    for (index, key) in english.keys().enumerate() {
        writeln!(out, "    /// `{key}`\n    {} = {index},", variant(key)).unwrap();
    }
    out.push_str("}\n\n");
    writeln!(
        out,
        "/// How many messages a catalog holds.\npub const MESSAGE_COUNT: usize = {};\n",
        english.len()
    )
    .unwrap();
    out.push_str("/// Each message's key, in `Msg` order.\n#[cfg(any(feature = \"ssr\", test))]\n");
    writeln!(out, "pub const KEYS: [&str; {}] = [", english.len()).unwrap();
    for key in english.keys() {
        writeln!(out, "    {key:?},").unwrap();
    }
    out.push_str("];\n\n");
    out.push_str("/// Every language's texts, in `Language::ALL` order, then `Msg` order. On the server\n/// only: the browser receives its page's language alone.\n#[cfg(any(feature = \"ssr\", test))]\n");
    writeln!(
        out,
        "pub static CATALOGS: [[&str; {}]; {}] = [",
        english.len(),
        LANGUAGES.len()
    )
    .unwrap();
    for catalog in &catalogs {
        out.push_str("    [\n");
        for key in english.keys() {
            writeln!(out, "        {:?},", catalog[key]).unwrap();
        }
        out.push_str("    ],\n");
    }
    out.push_str("];\n");
    let target = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("messages.rs");
    std::fs::write(target, out).unwrap();
}
