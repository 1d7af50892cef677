//! The Factur-X mark in a PDF's XMP metadata: the `fx:` properties (document type, file name,
//! version, conformance level) and the PDF/A extension schema that declares them, which
//! Factur-X readers look for besides the attached `factur-x.xml`.
//!
//! Typst writes the PDF/A-3 file, its attachment and its XMP, but has no way to add foreign
//! XMP properties. So the metadata stream is rewritten in an incremental update (PDF 32000-1
//! §7.5.6; PDF/A-3 allows them): the new stream takes the old one's object number and a new
//! cross-reference section points to it. Written by hand because it is one object appended to
//! a file the server itself just wrote; a general PDF library would rewrite the whole file.

const FX_NAMESPACE: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

/// The extension schema entry (PDF/A requires every non-standard XMP property declared).
fn schema_entry() -> String {
    let property = |name: &str, description: &str| {
        format!(
            "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>\
             <pdfaProperty:valueType>Text</pdfaProperty:valueType>\
             <pdfaProperty:category>external</pdfaProperty:category>\
             <pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        )
    };
    format!(
        "<rdf:li rdf:parseType=\"Resource\"><pdfaSchema:schema>Factur-X PDFA Extension Schema\
         </pdfaSchema:schema><pdfaSchema:namespaceURI>{FX_NAMESPACE}</pdfaSchema:namespaceURI>\
         <pdfaSchema:prefix>fx</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>{}{}{}{}\
         </rdf:Seq></pdfaSchema:property></rdf:li>",
        property("DocumentFileName", "name of the embedded XML invoice file"),
        property("DocumentType", "INVOICE"),
        property("Version", "The actual version of the Factur-X XML schema"),
        property(
            "ConformanceLevel",
            "The conformance level of the embedded Factur-X data"
        ),
    )
}

fn fx_description() -> String {
    format!(
        "<rdf:Description rdf:about=\"\" xmlns:fx=\"{FX_NAMESPACE}\">\
         <fx:DocumentType>INVOICE</fx:DocumentType>\
         <fx:DocumentFileName>{}</fx:DocumentFileName>\
         <fx:Version>1.0</fx:Version>\
         <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>",
        super::FACTURX_FILE_NAME
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

/// The number after `key` in `text` (`/Root 117 0 R` → 117).
fn number_after(text: &[u8], key: &[u8]) -> Option<u64> {
    let start = find(text, key)? + key.len();
    let digits: Vec<u8> = text[start..]
        .iter()
        .skip_while(|byte| byte.is_ascii_whitespace())
        .take_while(|byte| byte.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// Where object `number`'s definition starts (`117 0 obj`), at a line start.
fn object(pdf: &[u8], number: u64) -> Option<usize> {
    let header = format!("\n{number} 0 obj");
    rfind(pdf, header.as_bytes()).map(|at| at + 1)
}

/// The PDF with the Factur-X properties added to its XMP metadata.
pub fn mark(pdf: Vec<u8>) -> Result<Vec<u8>, String> {
    let broken = |what: &str| format!("Factur-X metadata: {what}");
    let trailer_at = rfind(&pdf, b"trailer").ok_or_else(|| broken("no trailer"))?;
    let trailer_end = find(&pdf[trailer_at..], b"startxref")
        .map(|at| trailer_at + at)
        .ok_or_else(|| broken("no startxref"))?;
    let trailer = &pdf[trailer_at..trailer_end];
    let previous_xref =
        number_after(&pdf[trailer_end..], b"startxref").ok_or_else(|| broken("no xref offset"))?;
    let root = number_after(trailer, b"/Root").ok_or_else(|| broken("no catalog"))?;
    let catalog_at = object(&pdf, root).ok_or_else(|| broken("catalog not found"))?;
    let metadata =
        number_after(&pdf[catalog_at..], b"/Metadata").ok_or_else(|| broken("no metadata"))?;
    let metadata_at = object(&pdf, metadata).ok_or_else(|| broken("metadata not found"))?;
    let stream_keyword = find(&pdf[metadata_at..], b"stream\n")
        .map(|at| metadata_at + at)
        .ok_or_else(|| broken("metadata is no stream"))?;
    let dictionary = &pdf[metadata_at..stream_keyword];
    if find(dictionary, b"/Filter").is_some() {
        return Err(broken("metadata is compressed"));
    }
    let length = number_after(dictionary, b"/Length").ok_or_else(|| broken("no length"))?;
    let content_at = stream_keyword + "stream\n".len();
    let content_end = usize::try_from(length)
        .ok()
        .and_then(|length| content_at.checked_add(length))
        .filter(|end| *end <= pdf.len())
        .ok_or_else(|| broken("length past the end"))?;
    let xmp = std::str::from_utf8(&pdf[content_at..content_end])
        .map_err(|_| broken("metadata is not UTF-8"))?;

    let schemas_end = "</rdf:Bag></pdfaExtension:schemas>";
    if !xmp.contains(schemas_end) || !xmp.contains("</rdf:RDF>") {
        return Err(broken("no extension schemas to add to"));
    }
    let xmp = xmp
        .replacen(schemas_end, &format!("{}{schemas_end}", schema_entry()), 1)
        .replacen("</rdf:RDF>", &format!("{}</rdf:RDF>", fx_description()), 1);

    // The trailer of the update: the old one's entries, and where the old section is.
    let dictionary_start = find(trailer, b"<<").ok_or_else(|| broken("trailer"))?;
    let dictionary_end = rfind(trailer, b">>").ok_or_else(|| broken("trailer"))?;
    let entries =
        String::from_utf8_lossy(&trailer[dictionary_start + 2..dictionary_end]).into_owned();

    let mut out = pdf;
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let offset = out.len();
    out.extend_from_slice(
        format!(
            "{metadata} 0 obj\n<</Length {}/Type/Metadata/Subtype/XML>>\nstream\n",
            xmp.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(xmp.as_bytes());
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = out.len();
    out.extend_from_slice(
        format!(
            "xref\n{metadata} 1\n{offset:010} 00000 n\r\ntrailer\n<<{entries}/Prev {previous_xref}>>\n\
             startxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PDF in the shape Typst writes: catalog, XMP stream, xref table, trailer.
    fn sample() -> Vec<u8> {
        let xmp = "<x:xmpmeta><rdf:RDF><rdf:Description rdf:about=\"\"><pdfaExtension:schemas>\
                   <rdf:Bag></rdf:Bag></pdfaExtension:schemas></rdf:Description></rdf:RDF>\
                   </x:xmpmeta>";
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let catalog = pdf.len();
        pdf.extend_from_slice(b"1 0 obj\n<</Type/Catalog/Metadata 2 0 R>>\nendobj\n");
        let metadata = pdf.len();
        pdf.extend_from_slice(
            format!("2 0 obj\n<</Length {}/Type/Metadata/Subtype/XML>>\nstream\n{xmp}\nendstream\nendobj\n", xmp.len())
                .as_bytes(),
        );
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!(
                "xref\n0 3\n0000000000 65535 f\r\n{catalog:010} 00000 n\r\n{metadata:010} 00000 n\r\n\
                 trailer\n<</Size 3/Root 1 0 R/ID[(a)(b)]>>\nstartxref\n{xref}\n%%EOF\n"
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn the_update_redefines_the_metadata_and_chains_to_the_old_cross_references() {
        let original = sample();
        let marked = mark(original.clone()).expect("marked");
        assert!(marked.starts_with(&original), "an update only appends");
        let update = String::from_utf8(marked[original.len()..].to_vec()).unwrap();
        assert!(update.starts_with("2 0 obj\n"), "{update}");
        assert!(update.contains("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"));
        assert!(update.contains("<pdfaSchema:prefix>fx</pdfaSchema:prefix>"));
        let old_xref = rfind(&original, b"startxref").unwrap();
        let old_offset = number_after(&original[old_xref..], b"startxref").unwrap();
        assert!(update.contains(&format!(
            "/Size 3/Root 1 0 R/ID[(a)(b)]/Prev {old_offset}>>"
        )));
        // The new cross-reference entry points at the new object.
        let entry = format!("xref\n2 1\n{:010} 00000 n", original.len());
        assert!(update.contains(&entry), "{update}");
        let new_xref = number_after(
            &marked[rfind(&marked, b"startxref").unwrap()..],
            b"startxref",
        );
        assert_eq!(&marked[new_xref.unwrap() as usize..][..4], b"xref");
    }

    #[test]
    fn a_file_of_another_shape_is_refused_not_corrupted() {
        assert!(mark(b"%PDF-1.7\nnothing".to_vec()).is_err());
        let compressed = String::from_utf8(sample())
            .unwrap()
            .replace("/Type/Metadata", "/Filter/FlateDecode/Type/Metadata");
        assert!(mark(compressed.into_bytes()).is_err());
    }
}
