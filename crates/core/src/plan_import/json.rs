//! JSON for a parsed plan, through a small serde serializer: the core and the command line
//! need no JSON library (the results table writes its JSON by hand for the same reason).
//! Objects and arrays are indented by two spaces; keys keep the structs' field order.

use serde::ser::{self, Serialize};
use std::fmt;

/// The value as indented JSON, ending with a newline.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; an error can only come from a custom `Serialize`.
    if let Err(e) = value.serialize(Writer {
        out: &mut out,
        indent: 0,
    }) {
        return format!("{{\"error\": {}}}\n", quoted(&e.0));
    }
    out.push('\n');
    out
}

/// A serializer error (only custom `Serialize` impls produce one).
#[derive(Debug)]
pub struct JsonError(String);

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

impl ser::Error for JsonError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        JsonError(msg.to_string())
    }
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn newline(out: &mut String, indent: usize) {
    out.push('\n');
    for _ in 0..indent {
        out.push_str("  ");
    }
}

struct Writer<'a> {
    out: &'a mut String,
    indent: usize,
}

/// An array or object being written.
struct Compound<'a> {
    out: &'a mut String,
    indent: usize,
    first: bool,
    close: char,
    /// Also close the `{"Variant": …}` wrapper.
    wrapped: bool,
}

impl<'a> Writer<'a> {
    fn open(self, open: char, close: char, wrap: Option<&str>) -> Compound<'a> {
        let mut indent = self.indent;
        if let Some(variant) = wrap {
            self.out.push('{');
            newline(self.out, indent + 1);
            self.out.push_str(&quoted(variant));
            self.out.push_str(": ");
            indent += 1;
        }
        self.out.push(open);
        Compound {
            out: self.out,
            indent,
            first: true,
            close,
            wrapped: wrap.is_some(),
        }
    }
}

impl Compound<'_> {
    fn item(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        newline(self.out, self.indent + 1);
    }

    fn value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        v.serialize(Writer {
            out: self.out,
            indent: self.indent + 1,
        })
    }

    fn key(&mut self, k: &str) {
        self.item();
        self.out.push_str(&quoted(k));
        self.out.push_str(": ");
    }

    fn finish(self) -> Result<(), JsonError> {
        if !self.first {
            newline(self.out, self.indent);
        }
        self.out.push(self.close);
        if self.wrapped {
            newline(self.out, self.indent - 1);
            self.out.push('}');
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = JsonError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), JsonError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), JsonError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), JsonError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), JsonError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), JsonError> {
        self.out.push_str(&v.to_string());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), JsonError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), JsonError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), JsonError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), JsonError> {
        self.out.push_str(&v.to_string());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), JsonError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), JsonError> {
        if v.is_finite() {
            let text = v.to_string();
            self.out.push_str(&text);
            // A whole float stays a float when read back ("0.0", as serde_json writes it).
            if text
                .trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit())
            {
                self.out.push_str(".0");
            }
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), JsonError> {
        self.serialize_str(&v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<(), JsonError> {
        self.out.push_str(&quoted(v));
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), JsonError> {
        use ser::SerializeSeq;
        let mut s = self.serialize_seq(Some(v.len()))?;
        for b in v {
            s.serialize_element(b)?;
        }
        s.end()
    }
    fn serialize_none(self) -> Result<(), JsonError> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), JsonError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), JsonError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), JsonError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), JsonError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), JsonError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), JsonError> {
        use ser::SerializeMap;
        let mut m = self.open('{', '}', None);
        m.serialize_entry(variant, v)?;
        m.finish()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('[', ']', None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('[', ']', None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('[', ']', None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('[', ']', Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('{', '}', None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('{', '}', None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, JsonError> {
        Ok(self.open('{', '}', Some(variant)))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        self.item();
        self.value(v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), JsonError> {
        let key = k.serialize(KeyWriter)?;
        self.key(&key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), JsonError> {
        self.value(v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), JsonError> {
        self.key(key);
        self.value(v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = JsonError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), JsonError> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> Result<(), JsonError> {
        self.finish()
    }
}

/// Map keys: strings, or numbers, characters and booleans written as strings.
struct KeyWriter;

impl ser::Serializer for KeyWriter {
    type Ok = String;
    type Error = JsonError;
    type SerializeSeq = ser::Impossible<String, JsonError>;
    type SerializeTuple = ser::Impossible<String, JsonError>;
    type SerializeTupleStruct = ser::Impossible<String, JsonError>;
    type SerializeTupleVariant = ser::Impossible<String, JsonError>;
    type SerializeMap = ser::Impossible<String, JsonError>;
    type SerializeStruct = ser::Impossible<String, JsonError>;
    type SerializeStructVariant = ser::Impossible<String, JsonError>;

    fn serialize_bool(self, v: bool) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_f64(self, v: f64) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_char(self, v: char) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, JsonError> {
        Ok(v.to_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, JsonError> {
        Err(ser::Error::custom("bytes cannot be a JSON key"))
    }
    fn serialize_none(self) -> Result<String, JsonError> {
        Err(ser::Error::custom("null cannot be a JSON key"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<String, JsonError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, JsonError> {
        Err(ser::Error::custom("() cannot be a JSON key"))
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<String, JsonError> {
        Ok(name.to_string())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, JsonError> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, JsonError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, JsonError> {
        Err(ser::Error::custom("an enum cannot be a JSON key"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, JsonError> {
        Err(ser::Error::custom("a list cannot be a JSON key"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, JsonError> {
        Err(ser::Error::custom("a tuple cannot be a JSON key"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, JsonError> {
        Err(ser::Error::custom("a tuple cannot be a JSON key"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, JsonError> {
        Err(ser::Error::custom("an enum cannot be a JSON key"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, JsonError> {
        Err(ser::Error::custom("a map cannot be a JSON key"))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, JsonError> {
        Err(ser::Error::custom("a struct cannot be a JSON key"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, JsonError> {
        Err(ser::Error::custom("an enum cannot be a JSON key"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Tagged {
        Ongoing,
        Date { day: u32 },
    }

    #[derive(Serialize)]
    struct Outer {
        text: String,
        #[serde(flatten)]
        when: Tagged,
        list: Vec<Option<f64>>,
        empty: Vec<u8>,
        map: BTreeMap<u32, bool>,
        tuple: (i8, char),
        newtype: Wrapped,
        variant: Plain,
    }

    #[derive(Serialize)]
    struct Wrapped(u16);

    #[derive(Serialize)]
    enum Plain {
        Pair(u8, u8),
    }

    #[test]
    fn shapes_as_serde_json_writes_them() {
        let v = Outer {
            text: "Sở \"Nội\" vụ\n\t\u{1}".into(),
            when: Tagged::Date { day: 5 },
            list: vec![Some(86.44), None, Some(f64::NAN)],
            empty: vec![],
            map: [(2, true)].into_iter().collect(),
            tuple: (-1, 'đ'),
            newtype: Wrapped(7),
            variant: Plain::Pair(1, 2),
        };
        let ours = to_json(&v);
        let theirs = serde_json::to_string_pretty(&v).unwrap();
        assert_eq!(ours, format!("{theirs}\n"));
        let unit = Outer {
            when: Tagged::Ongoing,
            ..v
        };
        assert_eq!(
            to_json(&unit),
            format!("{}\n", serde_json::to_string_pretty(&unit).unwrap())
        );
    }

    proptest! {
        #[test]
        fn any_strings_and_numbers_read_back(s in ".{0,40}", n in any::<i64>(), f in -1e9f64..1e9) {
            let v = (s.clone(), n, vec![s.clone()]);
            let back: serde_json::Value = serde_json::from_str(&to_json(&v)).unwrap();
            prop_assert_eq!(back, serde_json::to_value(&v).unwrap());
            // Floats read back exactly (serde_json's own parser rounds in its last place).
            prop_assert_eq!(to_json(&f).trim().parse::<f64>().unwrap(), f);
        }
    }
}
