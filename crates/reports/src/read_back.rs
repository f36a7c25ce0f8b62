//! Test helper: a produced workbook read back into text a person can review in a snapshot —
//! what a reader of the file sees (sheets, merged titles, cells, number formats, bold, print
//! set-up), not the bytes, so snapshots survive a writer upgrade that changes nothing visible.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use std::fmt::Write;
use std::io::{Cursor, Read};

fn column(c: u32) -> String {
    let mut c = c + 1;
    let mut out = Vec::new();
    while c > 0 {
        out.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

fn cell(c: (u32, u32)) -> String {
    format!("{}{}", column(c.1), c.0 + 1)
}

/// The raw XML of a zip part.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Every `<tag …/>` element of `xml`, as written.
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag} ");
    xml.match_indices(&open)
        .filter_map(|(i, _)| {
            xml[i..]
                .find("/>")
                .map(|end| xml[i..i + end + 2].to_string())
        })
        .collect()
}

/// Every `<tag …>…</tag>` element of `xml` (one with content), as written.
fn blocks(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag} ");
    let close = format!("</{tag}>");
    xml.match_indices(&open)
        .filter_map(|(i, _)| {
            xml[i..]
                .find(&close)
                .map(|end| xml[i..i + end + close.len()].to_string())
        })
        .collect()
}

/// Sheets in order; for each: print set-up, autofilter, drop-down lists, merged ranges with
/// their text, then one line per non-empty row: `A5="text"*` (`*` = bold), numbers as
/// `C6=9.5 ‹0.00›` with their format, dates as `F5=2004-01-01 ‹dd/mm/yyyy›`.
pub(crate) fn xlsx(bytes: &[u8]) -> String {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let workbook_xml = part(bytes, "xl/workbook.xml");
    let mut out = String::new();
    for (i, name) in book.sheet_names().into_iter().enumerate() {
        writeln!(out, "=== {name}").unwrap();
        // rust_xlsxwriter names sheet parts by position.
        let xml = part(bytes, &format!("xl/worksheets/sheet{}.xml", i + 1));
        for tag in ["pane", "pageSetup", "pageSetUpPr", "autoFilter"] {
            for e in elements(&xml, tag) {
                writeln!(out, "{e}").unwrap();
            }
        }
        for e in blocks(&xml, "dataValidation") {
            writeln!(out, "{e}").unwrap();
        }
        for line in workbook_xml.split("<definedName ").skip(1) {
            if line.contains(&format!("localSheetId=\"{i}\"")) {
                let text = line.split("</definedName>").next().unwrap_or("");
                writeln!(out, "<definedName {text}").unwrap();
            }
        }
        let range = book.worksheet_range(&name).unwrap();
        let styles = book.worksheet_style(&name).unwrap();
        let text_at = |pos: (u32, u32)| match range.get_value(pos) {
            Some(Data::String(s)) => format!("{s:?}"),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        };
        for m in book.merge_cells_by_sheet_name(&name).unwrap() {
            writeln!(
                out,
                "merged {}:{} {}",
                cell(m.start),
                cell(m.end),
                text_at(m.start)
            )
            .unwrap();
        }
        let Some((r0, c0)) = range.start() else {
            continue;
        };
        for (r, cells) in range.rows().enumerate() {
            let r = r0 + r as u32;
            let mut line = Vec::new();
            for (c, value) in cells.iter().enumerate() {
                let pos = (r, c0 + c as u32);
                let style = styles.get(pos);
                let mut text = match value {
                    Data::Empty => continue,
                    Data::String(s) => format!("{s:?}"),
                    Data::DateTime(d) => {
                        let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                        (epoch + chrono::Duration::days(d.as_f64() as i64)).to_string()
                    }
                    other => other.to_string(),
                };
                if let Some(f) = style.and_then(|s| s.number_format.as_ref())
                    && matches!(value, Data::Float(_) | Data::Int(_) | Data::DateTime(_))
                    && f.format_code != "General"
                {
                    write!(text, " ‹{}›", f.format_code).unwrap();
                }
                if style
                    .and_then(|s| s.font.as_ref())
                    .is_some_and(|f| f.is_bold())
                {
                    text.push('*');
                }
                line.push(format!("{}={text}", cell(pos)));
            }
            if !line.is_empty() {
                writeln!(out, "{}", line.join(" │ ")).unwrap();
            }
        }
    }
    out
}

/// The files of a zip in order, one line each: name, size unpacked, compression.
pub(crate) fn zip(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    for i in 0..zip.len() {
        let file = zip.by_index(i).unwrap();
        writeln!(
            out,
            "{} │ {} bytes │ {}",
            file.name().unwrap(),
            file.size(),
            file.compression()
        )
        .unwrap();
    }
    out
}
