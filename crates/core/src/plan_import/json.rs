//! JSON for a parsed plan: serde_json, indented, keys in the structs' field order, ending with
//! a newline.

use serde::Serialize;

/// The value as indented JSON, ending with a newline.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Only a custom `Serialize` can fail; say so in JSON rather than print nothing.
        Err(e) => format!(
            "{{\"error\": {}}}\n",
            serde_json::Value::String(e.to_string())
        ),
    }
}
