//! The text of a Word document (.docx), for importing plans written in Word.
//!
//! A .docx is a zip of XML parts; the body is `word/document.xml`. Each paragraph (`w:p`)
//! becomes one line: its text runs (`w:t`) joined, a tab (`w:tab`) as `\t`, a line break
//! (`w:br`, `w:cr`) as a new line. Word's automatic list numbers are not in the text, so they
//! are rebuilt from `word/numbering.xml` ("1.", "1.1.", "a)", "-") — a plan's outline depends
//! on them. Tables with three or more columns (task tables: STT | Nhiệm vụ | Chủ trì | …)
//! give one line per row, cells separated by tabs; narrower tables (the two-column header and
//! signature blocks of an official letter) give their cells' paragraphs one per line. Deleted
//! text of tracked changes (`w:delText`) and field codes (`w:instrText`) are left out.
//! Numbering that comes only from a paragraph style, headers, footers and footnotes are not
//! read.

use chiso_core::lang::Lang;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The most uncompressed bytes read from one part (a guard against zip bombs).
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Why a .docx gives no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocxError {
    /// Not a zip archive (or a damaged one).
    NotZip(String),
    /// A zip without `word/document.xml`: not a Word document.
    NoDocument,
    /// A part is larger than [`MAX_PART_BYTES`] uncompressed.
    TooLarge,
    /// The XML of the body cannot be read.
    Xml(String),
    /// The zip could not be written.
    Write(String),
}

impl DocxError {
    /// One sentence saying what is wrong.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DocxError::NotZip(e), Lang::Vi) => {
                format!("tệp không phải tài liệu Word .docx (không mở được dạng zip: {e}).")
            }
            (DocxError::NotZip(e), Lang::En) => {
                format!("the file is not a Word .docx document (not a zip archive: {e}).")
            }
            (DocxError::NoDocument, Lang::Vi) => {
                "tệp zip không có phần word/document.xml nên không phải tài liệu Word.".into()
            }
            (DocxError::NoDocument, Lang::En) => {
                "the zip has no word/document.xml part, so it is not a Word document.".into()
            }
            (DocxError::TooLarge, Lang::Vi) => format!(
                "nội dung tài liệu vượt quá {} MB khi giải nén.",
                MAX_PART_BYTES / 1024 / 1024
            ),
            (DocxError::TooLarge, Lang::En) => format!(
                "the document is larger than {} MB uncompressed.",
                MAX_PART_BYTES / 1024 / 1024
            ),
            (DocxError::Xml(e), Lang::Vi) => format!("nội dung XML của tài liệu bị hỏng: {e}."),
            (DocxError::Xml(e), Lang::En) => format!("the document's XML is damaged: {e}."),
            (DocxError::Write(e), Lang::Vi) => format!("không ghi được tài liệu Word: {e}."),
            (DocxError::Write(e), Lang::En) => format!("the Word document cannot be written: {e}."),
        }
    }
}

/// The text of a .docx: one line per paragraph (see the module comment for tables and lists).
pub fn docx_text(bytes: &[u8]) -> Result<String, DocxError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::NotZip(e.to_string()))?;
    let document = read_part(&mut archive, "word/document.xml")?.ok_or(DocxError::NoDocument)?;
    // Numbering is optional: a damaged numbering part only loses the list labels.
    let numbering = read_part(&mut archive, "word/numbering.xml")
        .ok()
        .flatten()
        .map(|xml| Numbering::parse(&xml))
        .unwrap_or_default();
    Body::new(numbering).read(&document)
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal Word document of plain paragraphs: one `w:p` per item, tabs as `w:tab`, line
/// breaks inside an item as `w:br`. What [`docx_text`] reads back is the same text.
pub fn write_paragraphs(paragraphs: &[&str]) -> Result<Vec<u8>, DocxError> {
    use std::io::Write;
    let mut body = String::new();
    for p in paragraphs {
        body.push_str("<w:p>");
        for (i, line) in p.split('\n').enumerate() {
            body.push_str("<w:r>");
            if i > 0 {
                body.push_str("<w:br/>");
            }
            for (j, part) in line.split('\t').enumerate() {
                if j > 0 {
                    body.push_str("<w:tab/>");
                }
                if !part.is_empty() {
                    body.push_str(&format!(
                        r#"<w:t xml:space="preserve">{}</w:t>"#,
                        escape(part)
                    ));
                }
            }
            body.push_str("</w:r>");
        }
        body.push_str("</w:p>");
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let write = |e: &dyn std::fmt::Display| DocxError::Write(e.to_string());
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/document.xml", document.as_str()),
    ] {
        zip.start_file(name, options).map_err(|e| write(&e))?;
        zip.write_all(content.as_bytes()).map_err(|e| write(&e))?;
    }
    Ok(zip.finish().map_err(|e| write(&e))?.into_inner())
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, DocxError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::NotZip(e.to_string())),
    };
    let mut raw = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut raw)
        .map_err(|e| DocxError::NotZip(e.to_string()))?;
    if raw.len() as u64 > MAX_PART_BYTES {
        return Err(DocxError::TooLarge);
    }
    let text = String::from_utf8(raw)
        .map_err(|_| DocxError::Xml("not UTF-8 (Word writes UTF-8)".into()))?;
    Ok(Some(
        text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(),
    ))
}

/// The local name of an element (`w:p` → `p`).
fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

/// The value of the attribute with this local name (`w:val` → `val`).
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn xml_error(e: impl std::fmt::Display) -> DocxError {
    DocxError::Xml(e.to_string())
}

/// One level of a Word list: its number format and label pattern ("%1.%2.").
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// Word's list definitions: `numId` → levels, through `abstractNumId`.
#[derive(Debug, Default)]
struct Numbering {
    lists: HashMap<String, Vec<Level>>,
}

impl Numbering {
    fn parse(xml: &str) -> Numbering {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
        let mut nums: HashMap<String, String> = HashMap::new();
        let mut current_abstract: Option<String> = None;
        let mut current_level: Option<usize> = None;
        let mut current_num: Option<String> = None;
        loop {
            let event = match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(e) => e,
            };
            match event {
                Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                    "abstractNum" => current_abstract = attr(&e, "abstractNumId"),
                    "lvl" => {
                        current_level = attr(&e, "ilvl").and_then(|v| v.parse().ok());
                        if let (Some(a), Some(l)) = (&current_abstract, current_level) {
                            let levels = abstracts.entry(a.clone()).or_default();
                            if levels.len() <= l && l < 9 {
                                levels.resize(l + 1, Level::default());
                            }
                        }
                    }
                    "start" | "numFmt" | "lvlText" => {
                        let (Some(a), Some(l)) = (&current_abstract, current_level) else {
                            continue;
                        };
                        let Some(level) = abstracts.get_mut(a).and_then(|v| v.get_mut(l)) else {
                            continue;
                        };
                        let value = attr(&e, "val").unwrap_or_default();
                        match local(&e).as_str() {
                            "start" => level.start = value.parse().unwrap_or(1),
                            "numFmt" => level.format = value,
                            _ => level.text = value,
                        }
                    }
                    "num" => current_num = attr(&e, "numId"),
                    "abstractNumId" => {
                        if let (Some(n), Some(a)) = (&current_num, attr(&e, "val")) {
                            nums.insert(n.clone(), a);
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "abstractNum" => current_abstract = None,
                    "lvl" => current_level = None,
                    "num" => current_num = None,
                    _ => {}
                },
                _ => {}
            }
        }
        let lists = nums
            .into_iter()
            .filter_map(|(num, a)| abstracts.get(&a).map(|levels| (num, levels.clone())))
            .collect();
        Numbering { lists }
    }
}

/// Counters of the lists met so far, so "1.", "2." and "2.1." come out as Word shows them.
#[derive(Default)]
struct Counters {
    by_list: HashMap<String, Vec<u32>>,
}

impl Counters {
    /// The label of the next paragraph of list `num` at level `ilvl`, e.g. "2.1." or "-".
    fn label(&mut self, numbering: &Numbering, num: &str, ilvl: usize) -> Option<String> {
        let levels = numbering.lists.get(num)?;
        let level = levels.get(ilvl)?;
        if level.format == "none" {
            return None;
        }
        let counts = self.by_list.entry(num.to_string()).or_default();
        if counts.len() < levels.len() {
            counts.resize(levels.len(), 0);
        }
        for (i, c) in counts.iter_mut().enumerate() {
            if i == ilvl {
                *c = if *c == 0 {
                    levels[i].start.max(1)
                } else {
                    *c + 1
                };
            } else if i > ilvl {
                *c = 0;
            }
        }
        if level.format == "bullet" {
            // Symbol-font bullets are private-use characters; plans use "-" and "+".
            let t = level.text.trim();
            return Some(match t {
                "-" | "–" | "+" => t.replace('–', "-"),
                _ => "•".to_string(),
            });
        }
        let mut out = level.text.clone();
        for (i, l) in levels.iter().enumerate().take(ilvl + 1) {
            let n = counts[i].max(l.start.max(1));
            let shown = format_number(n, &l.format);
            out = out.replace(&format!("%{}", i + 1), &shown);
        }
        Some(out)
    }
}

fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letter(n),
        "upperLetter" => letter(n).to_uppercase(),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" if n < 10 => format!("0{n}"),
        _ => n.to_string(),
    }
}

fn letter(n: u32) -> String {
    let i = (n.max(1) - 1) % 26;
    char::from(b'a' + i as u8).to_string()
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, s) in TABLE {
        while n >= value {
            out.push_str(s);
            n -= value;
        }
    }
    out
}

/// One table being read: rows of cells, each cell a list of paragraphs.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<String>>>,
}

/// The reader of `word/document.xml`.
struct Body {
    numbering: Numbering,
    counters: Counters,
    lines: Vec<String>,
    tables: Vec<Table>,
    /// Open paragraphs: more than one inside a text box, whose text joins its paragraph.
    paragraphs: Vec<String>,
    list: Option<(String, usize)>,
    in_text: bool,
    skip_depth: usize,
}

impl Body {
    fn new(numbering: Numbering) -> Body {
        Body {
            numbering,
            counters: Counters::default(),
            lines: Vec::new(),
            tables: Vec::new(),
            paragraphs: Vec::new(),
            list: None,
            in_text: false,
            skip_depth: 0,
        }
    }

    fn push_text(&mut self, s: &str) {
        if self.in_text
            && self.skip_depth == 0
            && let Some(p) = self.paragraphs.last_mut()
        {
            p.push_str(s);
        }
    }

    fn read(mut self, xml: &str) -> Result<String, DocxError> {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event().map_err(xml_error)? {
                Event::Eof => break,
                Event::Start(e) => self.start(&e, false),
                Event::Empty(e) => self.start(&e, true),
                Event::End(e) => self.end(e.local_name().as_ref()),
                Event::Text(t) => self.push_text(&t.xml10_content()),
                Event::CData(t) => self.push_text(&t.xml10_content()),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref().map_err(xml_error)? {
                        Some(c) => Some(c.to_string()),
                        None => quick_xml::escape::resolve_predefined_entity(&r).map(String::from),
                    };
                    if let Some(s) = resolved {
                        self.push_text(&s);
                    }
                }
                _ => {}
            }
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        Ok(out)
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        match local(e).as_str() {
            "p" => {
                self.paragraphs.push(String::new());
                self.list = None;
                if empty {
                    self.end("p");
                }
            }
            "t" if !empty => self.in_text = true,
            "delText" | "instrText" if !empty => self.skip_depth += 1,
            "tab" if self.skip_depth == 0 => {
                // `w:tab` inside `w:tabs` (paragraph properties) is a tab stop, not text;
                // those carry a `w:pos` attribute.
                if attr(e, "pos").is_none()
                    && let Some(p) = self.paragraphs.last_mut()
                {
                    p.push('\t');
                }
            }
            "br" | "cr" => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.push('\n');
                }
            }
            "noBreakHyphen" => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.push('-');
                }
            }
            "numId" => {
                let id = attr(e, "val").unwrap_or_default();
                let level = self.list.take().map_or(0, |(_, l)| l);
                self.list = Some((id, level));
            }
            "ilvl" => {
                let level = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                let id = self.list.take().map(|(id, _)| id).unwrap_or_default();
                self.list = Some((id, level));
            }
            "tbl" if !empty => self.tables.push(Table::default()),
            "tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(Vec::new());
                }
            }
            "tc" if !empty => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "delText" | "instrText" => self.skip_depth = self.skip_depth.saturating_sub(1),
            "p" => {
                let Some(mut text) = self.paragraphs.pop() else {
                    return;
                };
                if let Some(outer) = self.paragraphs.last_mut() {
                    outer.push(' ');
                    outer.push_str(&text);
                    return;
                }
                if let Some((num, ilvl)) = self.list.take()
                    && !num.is_empty()
                    && num != "0"
                    && let Some(label) = self.counters.label(&self.numbering, &num, ilvl)
                {
                    text = format!("{label} {text}");
                }
                self.emit(text);
            }
            "tbl" => {
                if let Some(table) = self.tables.pop() {
                    for line in table_lines(table) {
                        self.emit(line);
                    }
                }
            }
            _ => {}
        }
    }

    /// A finished paragraph goes to the innermost open table cell, or to the output.
    fn emit(&mut self, text: String) {
        match self
            .tables
            .last_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|r| r.last_mut())
        {
            Some(cell) => cell.push(text),
            None => self.lines.push(text),
        }
    }
}

/// A data table (three or more columns) as one line per row, cells joined by tabs; a layout
/// table as its paragraphs, cell by cell.
fn table_lines(table: Table) -> Vec<String> {
    let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns >= 3 {
        table
            .rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|cell| {
                        let joined: Vec<String> = cell
                            .iter()
                            .flat_map(|p| p.split(['\n', '\t']))
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect();
                        joined.join(" ")
                    })
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect()
    } else {
        table.rows.into_iter().flatten().flatten().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    /// A minimal .docx: the parts given, zipped (deflated) as Word would.
    pub fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            w.start_file(*name, options).unwrap();
            w.write_all(content.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{inner}</w:body></w:document>"#
        )
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn paragraphs_runs_tabs_breaks_and_entities() {
        let xml = body(&format!(
            "{}{}{}{}",
            p("KẾ HOẠCH"),
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">Số: 152/</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>KH-UBND</w:t></w:r><w:r><w:tab/><w:t>Vĩnh Phúc</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>Dòng một</w:t><w:br/><w:t>Dòng hai &amp; &#7843;</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:delText>bỏ</w:delText><w:instrText>PAGE</w:instrText><w:t>giữ</w:t></w:r></w:p><w:p/>"#,
        ));
        let bytes = docx(&[("word/document.xml", &xml)]);
        assert_eq!(
            docx_text(&bytes).unwrap(),
            "KẾ HOẠCH\nSố: 152/KH-UBND\tVĩnh Phúc\nDòng một\nDòng hai & ả\ngiữ\n\n"
        );
    }

    #[test]
    fn wide_tables_give_a_row_per_line_and_layout_tables_their_paragraphs() {
        let cell = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
        let row = |cells: &[&str]| {
            format!(
                "<w:tr>{}</w:tr>",
                cells.iter().map(|c| cell(c)).collect::<String>()
            )
        };
        let two_paragraphs = format!(
            "<w:tr>{}{}<w:tc>{}{}</w:tc>{}</w:tr>",
            cell("1"),
            cell("Ban hành kế hoạch"),
            p("Sở Nội vụ"),
            p("Sở Tư pháp"),
            cell("Quý I/2025")
        );
        let xml = body(&format!(
            "<w:tbl>{}{}</w:tbl>{}<w:tbl>{}{two_paragraphs}</w:tbl>",
            row(&["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]),
            row(&["Số: 1/KH-UBND", "Hà Nội, ngày 2 tháng 1 năm 2025"]),
            p("KẾ HOẠCH"),
            row(&["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]),
        ));
        let text = docx_text(&docx(&[("word/document.xml", &xml)])).unwrap();
        assert_eq!(
            text,
            "ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 1/KH-UBND\n\
             Hà Nội, ngày 2 tháng 1 năm 2025\nKẾ HOẠCH\n\
             STT\tNhiệm vụ\tCơ quan chủ trì\tThời gian\n\
             1\tBan hành kế hoạch\tSở Nội vụ Sở Tư pháp\tQuý I/2025\n"
        );
    }

    #[test]
    fn automatic_list_numbers_are_rebuilt() {
        let numbering = format!(
            r#"<?xml version="1.0"?><w:numbering {NS}>
            <w:abstractNum w:abstractNumId="7">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
              <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3."/></w:lvl>
              <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%4)"/></w:lvl>
              <w:lvl w:ilvl="4"><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>
              <w:lvl w:ilvl="5"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#
        );
        let item = |level: u8, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let xml = body(
            &[
                item(0, "MỤC ĐÍCH"),
                item(1, "Mục đích"),
                item(2, "Chi tiết"),
                item(2, "Chi tiết nữa"),
                item(3, "Việc a"),
                item(3, "Việc b"),
                item(4, "Gạch"),
                item(5, "Chấm"),
                item(1, "Yêu cầu"),
                item(0, "NHIỆM VỤ"),
                item(1, "Lại một"),
            ]
            .concat(),
        );
        let text = docx_text(&docx(&[
            ("word/document.xml", &xml),
            ("word/numbering.xml", &numbering),
        ]))
        .unwrap();
        assert_eq!(
            text,
            "I. MỤC ĐÍCH\n1. Mục đích\n1.1. Chi tiết\n1.2. Chi tiết nữa\na) Việc a\nb) Việc b\n\
             - Gạch\n• Chấm\n2. Yêu cầu\nII. NHIỆM VỤ\n1. Lại một\n"
        );
    }

    #[test]
    fn what_is_not_a_word_document_is_refused() {
        assert!(matches!(
            docx_text(b"plain text, not a zip"),
            Err(DocxError::NotZip(_))
        ));
        let other = docx(&[("xl/workbook.xml", "<workbook/>")]);
        assert_eq!(docx_text(&other), Err(DocxError::NoDocument));
        let broken = docx(&[("word/document.xml", "<w:document><w:body></w:p>")]);
        let err = docx_text(&broken).unwrap_err();
        assert!(matches!(err, DocxError::Xml(_)), "{err:?}");
        assert!(err.message(Lang::Vi).starts_with("nội dung XML"));
    }

    #[test]
    fn written_paragraphs_read_back() {
        let paras = [
            "KẾ HOẠCH",
            "Số: 1/KH-UBND\tHà Nội",
            "a < b & \"c\"",
            "",
            "dòng một\ndòng hai",
        ];
        let bytes = write_paragraphs(&paras).unwrap();
        assert_eq!(
            docx_text(&bytes).unwrap(),
            format!("{}\n", paras.join("\n"))
        );
    }

    proptest! {
        #[test]
        fn any_bytes_give_text_or_an_error_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = docx_text(&bytes);
        }

        #[test]
        fn any_text_in_a_paragraph_comes_back(text in "[a-zA-Z0-9 àáạảãăắđêếôơưỹ,.:;()/%-]{0,60}") {
            let escaped = text.replace('&', "&amp;").replace('<', "&lt;");
            let xml = body(&format!(r#"<w:p><w:r><w:t xml:space="preserve">{escaped}</w:t></w:r></w:p>"#));
            let out = docx_text(&docx(&[("word/document.xml", &xml)])).unwrap();
            prop_assert_eq!(out, format!("{text}\n"));
        }
    }
}
