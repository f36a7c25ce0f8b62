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
}
