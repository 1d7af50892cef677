//! An indented XML writer for documents whose shape the code spells out element by element.
//! Texts and attribute values are escaped by `quick-xml`; writing into a `String` cannot fail,
//! so the callers read as the document they write.

use quick_xml::escape::escape;

pub struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    /// A document with its XML declaration.
    pub fn new() -> Self {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn start_tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.out.push_str(&"  ".repeat(self.depth));
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&escape(*value));
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// Opens an element whose children follow.
    pub fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.start_tag(name, attributes);
        self.out.push('\n');
        self.depth += 1;
    }

    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.out.push_str(&"  ".repeat(self.depth));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// An element holding text.
    pub fn text(&mut self, name: &str, text: &str) {
        self.text_with(name, &[], text);
    }

    /// An element holding text, with attributes.
    pub fn text_with(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.start_tag(name, attributes);
        self.out.push_str(&escape(text));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// An element holding text when there is some; nothing otherwise.
    pub fn optional(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text.filter(|text| !text.trim().is_empty()) {
            self.text(name, text);
        }
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::Xml;

    #[test]
    fn texts_and_attributes_are_escaped_and_nested_elements_indented() {
        let mut xml = Xml::new();
        xml.open("a", &[("x", "1 < 2 & \"3\"")]);
        xml.text("b", "Smith & <Sons>");
        xml.optional("c", None);
        xml.optional("d", Some("  "));
        xml.close("a");
        assert_eq!(
            xml.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1 &lt; 2 &amp; &quot;3&quot;\">\n  \
             <b>Smith &amp; &lt;Sons&gt;</b>\n</a>\n"
        );
    }
}
