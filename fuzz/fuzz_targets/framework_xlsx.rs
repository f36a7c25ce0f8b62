//! A framework workbook (.xlsx) as uploaded: read, or refused with its problems; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = chiso_reports::framework_xlsx::read(data);
    let _ = chiso_reports::framework_file::load(data, "bo-chi-so.xlsx", chiso_core::lang::Lang::Vi);
});
