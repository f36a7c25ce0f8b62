//! Evidence files (tài liệu kiểm chứng): what kinds are accepted, judged by content rather
//! than by name, and safe file names.

use crate::lang::Lang;
use sha2::{Digest, Sha256};

/// An accepted kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    /// .docx, .xlsx, .pptx (zip containers).
    OfficeXml,
    /// .doc, .xls (OLE containers).
    OfficeLegacy,
}

impl Kind {
    /// The content type to serve it with.
    pub fn content_type(self, file_name: &str) -> &'static str {
        let ext = file_name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match (self, ext.as_str()) {
            (Kind::Pdf, _) => "application/pdf",
            (Kind::Png, _) => "image/png",
            (Kind::Jpeg, _) => "image/jpeg",
            (Kind::OfficeXml, "xlsx") => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            (Kind::OfficeXml, "pptx") => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            (Kind::OfficeXml, _) => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            (Kind::OfficeLegacy, "xls") => "application/vnd.ms-excel",
            (Kind::OfficeLegacy, _) => "application/msword",
        }
    }

    /// Whether browsers can show it in place.
    pub fn previewable(self) -> bool {
        matches!(self, Kind::Pdf | Kind::Png | Kind::Jpeg)
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLarge { limit_mb: usize },
    Unsupported,
}

impl Refused {
    /// What to tell the person uploading.
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (Refused::Empty, Lang::Vi) => "Tệp rỗng.".into(),
            (Refused::Empty, Lang::En) => "The file is empty.".into(),
            (Refused::TooLarge { limit_mb }, Lang::Vi) => format!("Tệp lớn hơn {limit_mb} MB."),
            (Refused::TooLarge { limit_mb }, Lang::En) => format!("The file is larger than {limit_mb} MB."),
            (Refused::Unsupported, Lang::Vi) => {
                "Chỉ nhận PDF, Word, Excel hoặc ảnh (PNG, JPEG); nội dung tệp không phải loại nào trong số đó.".into()
            }
            (Refused::Unsupported, Lang::En) => {
                "Only PDF, Word, Excel or images (PNG, JPEG) are accepted; this file's content is none of them.".into()
            }
        }
    }
}

/// Checks a file by its first bytes (a renamed program is not a PDF) and its size.
pub fn check(bytes: &[u8], limit_bytes: usize) -> Result<Kind, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > limit_bytes {
        return Err(Refused::TooLarge {
            limit_mb: limit_bytes / (1024 * 1024),
        });
    }
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF-") {
        Ok(Kind::Pdf)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Ok(Kind::Png)
    } else if starts(b"\xff\xd8\xff") {
        Ok(Kind::Jpeg)
    } else if starts(b"PK\x03\x04") {
        Ok(Kind::OfficeXml)
    } else if starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        Ok(Kind::OfficeLegacy)
    } else {
        Err(Refused::Unsupported)
    }
}

/// The SHA-256 of the content, hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file name without any folder part or control characters, at most 200 characters.
pub fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let cleaned = crate::text::clean(&cleaned);
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "tai-lieu".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_judged_by_content_not_name() {
        assert_eq!(check(b"%PDF-1.7 ...", 100), Ok(Kind::Pdf));
        assert_eq!(check(b"PK\x03\x04....", 100), Ok(Kind::OfficeXml));
        assert_eq!(check(b"MZ\x90\x00 program", 100), Err(Refused::Unsupported));
        assert_eq!(check(b"", 100), Err(Refused::Empty));
        assert_eq!(
            check(&[b'%'; 3 * 1024 * 1024], 2 * 1024 * 1024),
            Err(Refused::TooLarge { limit_mb: 2 })
        );
        assert_eq!(
            Kind::OfficeXml.content_type("bao-cao.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(Kind::Pdf.previewable() && !Kind::OfficeXml.previewable());
    }

    #[test]
    fn names_lose_their_folders() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(
            safe_name("C:\\Users\\Minh\\Quyết định 123.pdf"),
            "Quyết định 123.pdf"
        );
        assert_eq!(safe_name(".."), "tai-lieu");
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
