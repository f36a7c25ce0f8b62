//! Several generated files in one .zip (every unit's annex of a round), compressed.

use crate::ReportError;
use std::io::{Cursor, Write};

/// A zip of `(name, bytes)` files, in order.
pub fn zip_files(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ReportError> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options)
            .map_err(|e| ReportError::Bundle(e.to_string()))?;
        zip.write_all(bytes)
            .map_err(|e| ReportError::Bundle(e.to_string()))?;
    }
    Ok(zip
        .finish()
        .map_err(|e| ReportError::Bundle(e.to_string()))?
        .into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_back;

    #[test]
    fn files_read_back_by_name() {
        let bytes = zip_files(&[
            ("a.txt".into(), b"xin chao".to_vec()),
            ("b/c.txt".into(), vec![]),
        ])
        .unwrap();
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(z.len(), 2);
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("a.txt").unwrap(), &mut s).unwrap();
        assert_eq!(s, "xin chao");
    }

    #[test]
    fn the_bundle_reads_back() {
        // Fixed contents: a generated workbook's size changes with the writer and the clock.
        let files: Vec<(String, Vec<u8>)> = [
            (
                "phu-bieu-stp.xlsx",
                "Phụ biểu kết quả tự đánh giá — Sở Tư pháp",
            ),
            (
                "phu-bieu-snv.xlsx",
                "Phụ biểu kết quả tự đánh giá — Sở Nội vụ",
            ),
            (
                "phu-bieu-skhcn.xlsx",
                "Phụ biểu kết quả tự đánh giá — Sở Khoa học và Công nghệ",
            ),
            ("ghi-chu/doc-truoc.txt", "Đợt thẩm định năm 2025: 3 đơn vị."),
        ]
        .iter()
        .map(|(n, t)| (n.to_string(), t.repeat(20).into_bytes()))
        .collect();
        let bytes = zip_files(&files).unwrap();
        let mut z = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        for (name, content) in &files {
            let mut back = Vec::new();
            std::io::Read::read_to_end(&mut z.by_name(name).unwrap(), &mut back).unwrap();
            assert_eq!(&back, content, "{name}");
        }
        insta::assert_snapshot!(read_back::zip(&bytes));
    }
}
