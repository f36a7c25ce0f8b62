//! A plan document: its text read into goals, tasks and deadlines, and a .docx unpacked to text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = chiso_core::plan_import::parse_plan(text);
    }
    if let Ok(text) = chiso_reports::docx::docx_text(data) {
        let _ = chiso_core::plan_import::parse_plan(&text);
    }
});
