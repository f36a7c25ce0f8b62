//! Reading and writing a framework file in either format, chosen by its extension, with every
//! problem as a sentence that says where it is.

use crate::framework_xlsx;
use chiso_core::framework::Framework;
use chiso_core::framework::validate::validate;
use chiso_core::framework::yaml;
use chiso_core::lang::Lang;

/// A framework file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Yaml,
    Xlsx,
}

impl FileFormat {
    /// The format a file name's extension names, if any.
    pub fn of(file_name: &str) -> Option<FileFormat> {
        let ext = file_name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "yaml" | "yml" => Some(FileFormat::Yaml),
            "xlsx" => Some(FileFormat::Xlsx),
            _ => None,
        }
    }
}

/// Why a file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The extension is neither .yaml/.yml nor .xlsx.
    UnknownFormat,
    /// The file was read; these are its problems, each locating itself.
    Invalid(Vec<String>),
}

/// Reads and validates a framework file.
pub fn load(bytes: &[u8], file_name: &str, lang: Lang) -> Result<Framework, LoadError> {
    let format = FileFormat::of(file_name).ok_or(LoadError::UnknownFormat)?;
    let framework = match format {
        FileFormat::Yaml => {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                LoadError::Invalid(vec![match lang {
                    Lang::Vi => "tệp không phải văn bản UTF-8".to_string(),
                    Lang::En => "the file is not UTF-8 text".to_string(),
                }])
            })?;
            yaml::from_yaml(text).map_err(|e| LoadError::Invalid(vec![e.message(lang)]))?
        }
        FileFormat::Xlsx => framework_xlsx::read(bytes).map_err(|errors| {
            LoadError::Invalid(errors.iter().map(|e| e.message(lang)).collect())
        })?,
    };
    let problems = validate(&framework);
    if problems.is_empty() {
        return Ok(framework);
    }
    // In a workbook, say which row each node is on.
    let rows = match format {
        FileFormat::Xlsx => framework_xlsx::rows_by_code(bytes),
        FileFormat::Yaml => Default::default(),
    };
    let (sheet, row) = match lang {
        Lang::Vi => ("Trang tính", "dòng"),
        Lang::En => ("Sheet", "row"),
    };
    Err(LoadError::Invalid(
        problems
            .iter()
            .map(|p| match rows.get(&p.path) {
                Some(r) => format!(
                    "{sheet} \"{}\", {row} {r}: {}",
                    framework_xlsx::TREE_SHEET,
                    p.message(lang)
                ),
                None => p.message(lang),
            })
            .collect(),
    ))
}

/// Writes a framework in the format its file name asks for.
pub fn save(f: &Framework, file_name: &str) -> Result<Vec<u8>, LoadError> {
    match FileFormat::of(file_name).ok_or(LoadError::UnknownFormat)? {
        FileFormat::Yaml => Ok(yaml::to_yaml(f).into_bytes()),
        FileFormat::Xlsx => {
            framework_xlsx::write(f).map_err(|e| LoadError::Invalid(vec![e.to_string()]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../core/tests/golden/frameworks/good.yaml"
        ))
        .unwrap()
    }

    #[test]
    fn problems_in_a_workbook_name_their_row() {
        let text = String::from_utf8(good()).unwrap().replace(
            "name: Kế hoạch CCHC năm\n        max: 2",
            "name: Kế hoạch CCHC năm\n        max: 2.5",
        );
        let f = yaml::from_yaml(&text).unwrap();
        let bytes = framework_xlsx::write(&f).unwrap();
        match load(&bytes, "bo-chi-so.xlsx", Lang::Vi) {
            Err(LoadError::Invalid(m)) => assert_eq!(
                m,
                vec![
                    "Trang tính \"Bộ chỉ số\", dòng 2: 1: điểm tối đa 4 nhưng các tiêu chí con cộng lại 4,5",
                    "Trang tính \"Bộ chỉ số\", dòng 3: 1.1: điểm tối đa 2,5 nhưng các tiêu chí con cộng lại 2",
                ]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn formats_come_from_the_extension() {
        let f = load(&good(), "good.YAML", Lang::Vi).unwrap();
        let xlsx = save(&f, "x.xlsx").unwrap();
        assert_eq!(load(&xlsx, "x.xlsx", Lang::Vi), Ok(f));
        assert_eq!(
            load(&good(), "good.txt", Lang::Vi),
            Err(LoadError::UnknownFormat)
        );
        assert!(matches!(
            load(&[0xff, 0xfe], "x.yaml", Lang::Vi),
            Err(LoadError::Invalid(_))
        ));
    }
}
