//! `Content-Disposition: attachment` for downloads (RFC 6266). File names come from users
//! (uploads, document numbers), so they are encoded, never pasted: `filename` holds a safe
//! ASCII stand-in for old clients, and `filename*` (RFC 8187) the exact name, percent-encoded
//! UTF-8, whenever the stand-in differs from it.

use axum::http::HeaderValue;

/// The header value that downloads `file_name` as a file of that name.
pub fn attachment(file_name: &str) -> HeaderValue {
    let fallback = ascii_fallback(file_name);
    let value = if fallback == file_name {
        format!("attachment; filename=\"{fallback}\"")
    } else {
        format!(
            "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
            percent_encode(file_name)
        )
    };
    // Only visible ASCII was written.
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// The name with everything that is not plain printable ASCII, or that would end or escape
/// the quoted string (`"`, `\`) or split parameters (`;`, `,`), replaced by `_`.
fn ascii_fallback(file_name: &str) -> String {
    let name: String = file_name
        .chars()
        .map(|c| match c {
            ' '..='~' if !matches!(c, '"' | '\\' | ';' | ',' | '%') => c,
            _ => '_',
        })
        .collect();
    if name.trim().is_empty() {
        "download".to_string()
    } else {
        name
    }
}

/// Percent-encodes all but RFC 8187's `attr-char`s.
fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        let c = char::from(byte);
        if c.is_ascii_alphanumeric() || "!#$&+-.^_`|~".contains(c) {
            encoded.push(c);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
