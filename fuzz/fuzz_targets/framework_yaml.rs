//! A framework file in YAML: read, validated, and when valid written back and read again to
//! the same framework.
#![no_main]

use chiso_core::framework::validate::validate;
use chiso_core::framework::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(f) = yaml::from_yaml(text)
        && validate(&f).is_empty()
    {
        let again = yaml::from_yaml(&yaml::to_yaml(&f)).expect("written YAML reads back");
        assert_eq!(again, f);
    }
});
