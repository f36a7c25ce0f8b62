//! A survey responses file for a real questionnaire: good rows read, bad cells named.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static QUESTIONNAIRE: LazyLock<chiso_core::survey::Questionnaire> = LazyLock::new(|| {
    chiso_core::survey::yaml::from_yaml(include_str!("../../examples/surveys/lanh-dao-so.yaml"))
        .expect("the example questionnaire reads")
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = chiso_core::survey::responses::parse_responses(&QUESTIONNAIRE, text) {
        let _ = chiso_core::survey::aggregate::aggregate(
            &[chiso_core::survey::aggregate::Survey {
                questionnaire: &QUESTIONNAIRE,
                responses: &parsed.responses,
            }],
            &chiso_core::survey::aggregate::GroupWeights::equal(),
        );
    }
});
