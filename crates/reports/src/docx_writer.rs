//! Building blocks of a Word document (.docx) as Vietnamese administrative documents are
//! typeset (Decree 30/2020/NĐ-CP): Times New Roman 13 pt, A4 portrait with margins of 2 cm top
//! and bottom, 3 cm left, 1.5 cm right; paragraphs, tables with borders, borderless layout
//! tables for the heading and signature blocks; and the zip package around them.
//!
//! The XML is written as text with every piece of content escaped by quick-xml: the handful of
//! elements used here is easier to check against the schema's element order this way than
//! through an event writer. Elements inside `w:pPr`, `w:rPr`, `w:tblPr` and `w:tcPr` follow the
//! schema's order, which Word enforces.

use crate::docx::DocxError;
use quick_xml::escape::escape;
use std::io::{Cursor, Write};

/// Width of the text between the margins, in twentieths of a point (A4 minus 3 cm and 1.5 cm).
pub const TEXT_WIDTH: u32 = 11906 - 1701 - 850;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

// Styles are found through the document's own relationships, not the package's.
const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Times New Roman 13 pt (26 half-points) for every script, Vietnamese proofing, single
/// spacing with 6 pt after each paragraph.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

/// A4 portrait with the decree's margins (2 cm = 1134, 3 cm = 1701, 1.5 cm = 850 twips).
const SECTION: &str = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>"#;

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Both,
}

impl Align {
    fn value(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
            Align::Both => "both",
        }
    }
}

/// A run of text with its emphasis; a `\n` inside becomes a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Run<'a> {
    pub text: &'a str,
    pub bold: bool,
    pub italic: bool,
    /// Font size in points, when not the default 13.
    pub size: Option<u8>,
}

impl<'a> Run<'a> {
    /// Plain text.
    pub fn plain(text: &'a str) -> Run<'a> {
        Run {
            text,
            ..Run::default()
        }
    }

    /// Bold text.
    pub fn bold(text: &'a str) -> Run<'a> {
        Run {
            text,
            bold: true,
            ..Run::default()
        }
    }

    /// Italic text.
    pub fn italic(text: &'a str) -> Run<'a> {
        Run {
            text,
            italic: true,
            ..Run::default()
        }
    }

    fn xml(&self, out: &mut String) {
        out.push_str("<w:r>");
        if self.bold || self.italic || self.size.is_some() {
            out.push_str("<w:rPr>");
            if self.bold {
                out.push_str("<w:b/><w:bCs/>");
            }
            if self.italic {
                out.push_str("<w:i/><w:iCs/>");
            }
            if let Some(size) = self.size {
                let half = u32::from(size) * 2;
                out.push_str(&format!(
                    r#"<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>"#
                ));
            }
            out.push_str("</w:rPr>");
        }
        for (i, line) in self.text.split('\n').enumerate() {
            if i > 0 {
                out.push_str("<w:br/>");
            }
            out.push_str(r#"<w:t xml:space="preserve">"#);
            out.push_str(&escape(line));
            out.push_str("</w:t>");
        }
        out.push_str("</w:r>");
    }
}

/// A paragraph: runs, alignment, and an optional first-line indent (body text has 1 cm).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph<'a> {
    pub runs: Vec<Run<'a>>,
    pub align: Align,
    pub first_line_indent: bool,
    /// Keeps the paragraph on the page of the next one (headings).
    pub keep_next: bool,
    /// No space after: lines of a heading or signature block.
    pub tight: bool,
}

impl<'a> Paragraph<'a> {
    /// A body paragraph: justified, first line indented.
    pub fn body(runs: Vec<Run<'a>>) -> Paragraph<'a> {
        Paragraph {
            runs,
            align: Align::Both,
            first_line_indent: true,
            keep_next: false,
            tight: false,
        }
    }

    /// A centred line with no space after, for heading and signature blocks.
    pub fn centred(runs: Vec<Run<'a>>) -> Paragraph<'a> {
        Paragraph {
            runs,
            align: Align::Center,
            first_line_indent: false,
            keep_next: false,
            tight: true,
        }
    }

    /// A section heading: bold, justified, kept with what follows.
    pub fn heading(text: &'a str) -> Paragraph<'a> {
        Paragraph {
            keep_next: true,
            ..Paragraph::body(vec![Run::bold(text)])
        }
    }

    /// Aligned as given, with no indent and no space after.
    pub fn aligned(self, align: Align) -> Paragraph<'a> {
        Paragraph {
            align,
            first_line_indent: false,
            tight: true,
            ..self
        }
    }

    fn xml(&self, out: &mut String) {
        out.push_str("<w:p><w:pPr>");
        if self.keep_next {
            out.push_str("<w:keepNext/>");
        }
        if self.tight {
            out.push_str(r#"<w:spacing w:after="0"/>"#);
        }
        if self.first_line_indent {
            out.push_str(r#"<w:ind w:firstLine="567"/>"#);
        }
        out.push_str(&format!(r#"<w:jc w:val="{}"/>"#, self.align.value()));
        out.push_str("</w:pPr>");
        for run in &self.runs {
            run.xml(out);
        }
        out.push_str("</w:p>");
    }
}

/// A table: column widths (twips), rows of cells, each cell one or more paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table<'a> {
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<Vec<Paragraph<'a>>>>,
    /// Thin borders around every cell; `false` for layout tables (heading, signature).
    pub borders: bool,
    /// The first row is a header, repeated on each page.
    pub header: bool,
}

impl Table<'_> {
    fn xml(&self, out: &mut String) {
        let total: u32 = self.widths.iter().sum();
        out.push_str("<w:tbl><w:tblPr>");
        out.push_str(&format!(r#"<w:tblW w:w="{total}" w:type="dxa"/>"#));
        let line = if self.borders {
            r#"w:val="single" w:sz="4" w:space="0" w:color="000000""#
        } else {
            r#"w:val="nil""#
        };
        out.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            out.push_str(&format!("<w:{side} {line}/>"));
        }
        out.push_str(r#"</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#);
        for w in &self.widths {
            out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
        }
        out.push_str("</w:tblGrid>");
        for (r, row) in self.rows.iter().enumerate() {
            out.push_str("<w:tr>");
            if r == 0 && self.header {
                out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
            }
            for (c, cell) in row.iter().enumerate() {
                let w = self.widths.get(c).copied().unwrap_or(0);
                out.push_str(&format!(
                    r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>"#
                ));
                // A cell must hold a paragraph, even when empty.
                if cell.is_empty() {
                    out.push_str("<w:p/>");
                }
                for p in cell {
                    p.xml(out);
                }
                out.push_str("</w:tc>");
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
    }
}

/// A block of the document's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<'a> {
    Paragraph(Paragraph<'a>),
    Table(Table<'a>),
}

/// The `word/document.xml` part for `blocks`.
pub fn document_xml(blocks: &[Block]) -> String {
    let mut body = String::new();
    for block in blocks {
        match block {
            Block::Paragraph(p) => p.xml(&mut body),
            Block::Table(t) => {
                t.xml(&mut body);
                // Word merges two tables that touch; a paragraph keeps them apart.
                body.push_str(r#"<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>"#);
            }
        }
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}{SECTION}</w:body></w:document>"#
    )
}

/// The .docx package of `blocks`: content types, relationships, styles and the document.
pub fn package(blocks: &[Block]) -> Result<Vec<u8>, DocxError> {
    let document = document_xml(blocks);
    let write = |e: &dyn std::fmt::Display| DocxError::Write(e.to_string());
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
        ("word/document.xml", document.as_str()),
    ] {
        zip.start_file(name, options).map_err(|e| write(&e))?;
        zip.write_all(content.as_bytes()).map_err(|e| write(&e))?;
    }
    Ok(zip.finish().map_err(|e| write(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::docx_text;
    use quick_xml::Reader;
    use quick_xml::events::Event;
    use std::io::Read;

    /// Every event of `xml` parses, and start and end tags match.
    fn well_formed(xml: &str) {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{e} at {}", reader.buffer_position()),
            }
        }
    }

    #[test]
    fn every_part_is_well_formed_xml_and_the_text_reads_back() {
        let blocks = [
            Block::Paragraph(Paragraph::heading("I. KẾT QUẢ <tự> đánh giá & chấm điểm")),
            Block::Table(Table {
                widths: vec![1000, 3000, 2000],
                rows: vec![
                    vec![
                        vec![Paragraph::centred(vec![Run::bold("STT")])],
                        vec![Paragraph::centred(vec![Run::bold("Lĩnh vực")])],
                        vec![],
                    ],
                    vec![
                        vec![Paragraph::centred(vec![Run::plain("1")])],
                        vec![Paragraph::body(vec![Run::plain("Dòng một\nDòng hai")])],
                        vec![Paragraph::centred(vec![Run::italic("9,50")])],
                    ],
                ],
                borders: true,
                header: true,
            }),
        ];
        let bytes = package(&blocks).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        for i in 0..zip.len() {
            let mut text = String::new();
            zip.by_index(i).unwrap().read_to_string(&mut text).unwrap();
            well_formed(&text);
        }
        assert_eq!(
            docx_text(&bytes).unwrap(),
            "I. KẾT QUẢ <tự> đánh giá & chấm điểm\nSTT\tLĩnh vực\t\n1\tDòng một Dòng hai\t9,50\n\n"
        );
    }
}
