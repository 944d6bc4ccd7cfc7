//! Kafka's console layout: what `kafka-console-consumer.sh --property
//! print.key=true …` prints (DefaultMessageFormatter), and how
//! `kafka-console-producer.sh --property parse.key=true …` splits a line into
//! headers, key and value (LineMessageReader). Property names and defaults
//! are Kafka's, so commands copied from Kafka's docs behave the same.

use std::borrow::Cow;
use std::io::{self, Write};

use super::escape::unescape;
use super::time::{iso, TimeFormat};
use super::{OutHeader, OutRecord, RecordView};

/// `--property` keys the consumer's layout understands; every other key is a
/// client setting.
pub const CONSUMER_PROPERTIES: &[&str] = &[
    "print.timestamp",
    "print.key",
    "print.offset",
    "print.partition",
    "print.headers",
    "print.value",
    "key.separator",
    "line.separator",
    "headers.separator",
    "headers.key.separator",
    "null.literal",
];

/// `--property` keys the producer's line parser understands.
pub const PRODUCER_PROPERTIES: &[&str] = &[
    "parse.key",
    "key.separator",
    "parse.headers",
    "headers.delimiter",
    "headers.separator",
    "headers.key.separator",
    "null.marker",
];

fn parse_bool(key: &str, value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("--property {key}={value}: expected true or false")),
    }
}

fn separator(key: &str, value: &str) -> Result<Vec<u8>, String> {
    unescape(value).map_err(|e| format!("--property {key}: {e}"))
}

/// Which fields the console consumer prints, in Kafka's fixed order:
/// timestamp, partition, offset, headers, key, value.
#[derive(Debug, Clone)]
pub struct ConsoleLayout {
    pub print_timestamp: bool,
    pub print_partition: bool,
    pub print_offset: bool,
    pub print_headers: bool,
    pub print_key: bool,
    pub print_value: bool,
    pub key_separator: Vec<u8>,
    pub line_separator: Vec<u8>,
    pub headers_separator: Vec<u8>,
    pub headers_key_separator: Vec<u8>,
    pub null_literal: Vec<u8>,
    pub time: TimeFormat,
}

impl Default for ConsoleLayout {
    fn default() -> Self {
        ConsoleLayout {
            print_timestamp: false,
            print_partition: false,
            print_offset: false,
            print_headers: false,
            print_key: false,
            print_value: true,
            key_separator: b"\t".to_vec(),
            line_separator: b"\n".to_vec(),
            headers_separator: b",".to_vec(),
            headers_key_separator: b":".to_vec(),
            null_literal: b"null".to_vec(),
            time: TimeFormat::Millis,
        }
    }
}

impl ConsoleLayout {
    /// Applies `--property` pairs whose keys are in [`CONSUMER_PROPERTIES`].
    pub fn with_properties<'a>(
        mut self,
        properties: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, String> {
        for (key, value) in properties {
            match key {
                "print.timestamp" => self.print_timestamp = parse_bool(key, value)?,
                "print.key" => self.print_key = parse_bool(key, value)?,
                "print.offset" => self.print_offset = parse_bool(key, value)?,
                "print.partition" => self.print_partition = parse_bool(key, value)?,
                "print.headers" => self.print_headers = parse_bool(key, value)?,
                "print.value" => self.print_value = parse_bool(key, value)?,
                "key.separator" => self.key_separator = separator(key, value)?,
                "line.separator" => self.line_separator = separator(key, value)?,
                "headers.separator" => self.headers_separator = separator(key, value)?,
                "headers.key.separator" => self.headers_key_separator = separator(key, value)?,
                "null.literal" => self.null_literal = separator(key, value)?,
                _ => {
                    return Err(format!(
                        "--property {key} is not a console consumer property"
                    ))
                }
            }
        }
        Ok(self)
    }

    pub fn write(&self, out: &mut impl Write, r: &RecordView<'_>) -> io::Result<()> {
        // Kafka writes the separator after a field only when some later field
        // is printed, so `print.key=true print.value=false` ends with the key.
        let fields = [
            self.print_timestamp,
            self.print_partition,
            self.print_offset,
            self.print_headers,
            self.print_key,
            self.print_value,
        ];
        let later = |i: usize| fields[i + 1..].iter().any(|f| *f);
        if self.print_timestamp {
            match r.timestamp {
                Some((kind, ms)) => match self.time {
                    TimeFormat::Millis => write!(out, "{}:{ms}", kind.kafka_name())?,
                    TimeFormat::Iso => write!(out, "{}:{}", kind.kafka_name(), iso(ms))?,
                },
                None => out.write_all(b"NO_TIMESTAMP")?,
            }
            if later(0) {
                out.write_all(&self.key_separator)?;
            }
        }
        if self.print_partition {
            write!(out, "Partition:{}", r.partition)?;
            if later(1) {
                out.write_all(&self.key_separator)?;
            }
        }
        if self.print_offset {
            write!(out, "Offset:{}", r.offset)?;
            if later(2) {
                out.write_all(&self.key_separator)?;
            }
        }
        if self.print_headers {
            if r.headers.is_empty() {
                out.write_all(b"NO_HEADERS")?;
            }
            for (i, (name, value)) in r.headers.iter().enumerate() {
                if i > 0 {
                    out.write_all(&self.headers_separator)?;
                }
                out.write_all(name.as_bytes())?;
                out.write_all(&self.headers_key_separator)?;
                out.write_all(value.unwrap_or(&self.null_literal))?;
            }
            if later(3) {
                out.write_all(&self.key_separator)?;
            }
        }
        if self.print_key {
            out.write_all(r.key.unwrap_or(&self.null_literal))?;
            if later(4) {
                out.write_all(&self.key_separator)?;
            }
        }
        if self.print_value {
            out.write_all(r.value.unwrap_or(&self.null_literal))?;
        }
        out.write_all(&self.line_separator)
    }
}

/// Splits one input line into a record, as Kafka's LineMessageReader does:
/// `headers<headers.delimiter>key<key.separator>value`, each part optional.
#[derive(Debug, Clone, Default)]
pub struct LineParser {
    /// `-K SEP` or `parse.key=true` (with `key.separator`, default tab).
    pub key_separator: Option<Vec<u8>>,
    /// `-k KEY`: the same key on every record.
    pub fixed_key: Option<Vec<u8>>,
    /// `parse.headers=true`: `(headers.delimiter, headers.separator, headers.key.separator)`.
    pub parse_headers: Option<(Vec<u8>, Vec<u8>, Vec<u8>)>,
    /// `-H k=v`: added to every record before any parsed headers.
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    /// A key, value or header value equal to this is sent as null (a tombstone).
    pub null_marker: Option<Vec<u8>>,
}

impl LineParser {
    /// Applies `--property` pairs whose keys are in [`PRODUCER_PROPERTIES`].
    /// `-K` has already set `key_separator`; `parse.key=true` keeps it or
    /// defaults to tab, as Kafka does.
    pub fn with_properties<'a>(
        mut self,
        properties: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, String> {
        let mut parse_key = self.key_separator.is_some();
        let mut key_separator = self.key_separator.clone().unwrap_or_else(|| b"\t".to_vec());
        let mut parse_headers = false;
        let (mut delimiter, mut pairs, mut kv) = (b"\t".to_vec(), b",".to_vec(), b":".to_vec());
        for (key, value) in properties {
            match key {
                "parse.key" => parse_key = parse_bool(key, value)?,
                "key.separator" => key_separator = separator(key, value)?,
                "parse.headers" => parse_headers = parse_bool(key, value)?,
                "headers.delimiter" => delimiter = separator(key, value)?,
                "headers.separator" => pairs = separator(key, value)?,
                "headers.key.separator" => kv = separator(key, value)?,
                "null.marker" => self.null_marker = Some(separator(key, value)?),
                _ => {
                    return Err(format!(
                        "--property {key} is not a console producer property"
                    ))
                }
            }
        }
        for (name, sep) in [
            ("key.separator", &key_separator),
            ("headers.delimiter", &delimiter),
        ] {
            if sep.is_empty() {
                return Err(format!("--property {name} must not be empty"));
            }
        }
        self.key_separator = parse_key.then_some(key_separator);
        self.parse_headers = parse_headers.then_some((delimiter, pairs, kv));
        Ok(self)
    }

    fn nullable<'a>(&self, bytes: &'a [u8]) -> Option<Cow<'a, [u8]>> {
        match &self.null_marker {
            Some(marker) if marker == bytes => None,
            _ => Some(Cow::Borrowed(bytes)),
        }
    }

    /// `line_number` counts from 1 and only appears in errors.
    pub fn parse<'a>(&'a self, line: &'a [u8], line_number: u64) -> Result<OutRecord<'a>, String> {
        let mut rest = line;
        let mut headers: Vec<OutHeader<'a>> = self
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    Cow::Borrowed(name.as_str()),
                    value.as_deref().map(Cow::Borrowed),
                )
            })
            .collect();
        if let Some((delimiter, pairs, kv)) = &self.parse_headers {
            let Some(at) = find(rest, delimiter) else {
                return Err(format!(
                    "line {line_number} has no headers delimiter '{}' (parse.headers=true expects headers, the delimiter, then the record)",
                    String::from_utf8_lossy(delimiter).escape_debug()
                ));
            };
            let (section, after) = (&rest[..at], &rest[at + delimiter.len()..]);
            rest = after;
            if !section.is_empty() {
                for pair in split(section, pairs) {
                    let Some(at) = find(pair, kv) else {
                        return Err(format!(
                            "line {line_number}: header '{}' has no key separator '{}'",
                            String::from_utf8_lossy(pair),
                            String::from_utf8_lossy(kv).escape_debug()
                        ));
                    };
                    let name = std::str::from_utf8(&pair[..at])
                        .map_err(|_| format!("line {line_number}: a header name is not UTF-8"))?;
                    headers.push((Cow::Borrowed(name), self.nullable(&pair[at + kv.len()..])));
                }
            }
        }
        let mut key = self.fixed_key.as_deref().and_then(|k| self.nullable(k));
        if let Some(sep) = &self.key_separator {
            let Some(at) = find(rest, sep) else {
                return Err(format!(
                    "line {line_number} has no key separator '{}'",
                    String::from_utf8_lossy(sep).escape_debug()
                ));
            };
            key = self.nullable(&rest[..at]);
            rest = &rest[at + sep.len()..];
        }
        Ok(OutRecord {
            key,
            value: self.nullable(rest),
            headers,
            timestamp: None,
            partition: None,
        })
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn split<'a>(haystack: &'a [u8], sep: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = Some(haystack);
    std::iter::from_fn(move || {
        let r = rest?;
        match (sep.is_empty(), find(r, sep)) {
            (false, Some(at)) => {
                rest = Some(&r[at + sep.len()..]);
                Some(&r[..at])
            }
            _ => {
                rest = None;
                Some(r)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::TimestampType;

    fn record() -> RecordView<'static> {
        RecordView {
            topic: "t",
            partition: 2,
            offset: 7,
            timestamp: Some((TimestampType::Create, 1000)),
            key: Some(b"k"),
            value: Some(b"v"),
            headers: vec![("h1", Some(b"a")), ("h2", None)],
            delivery_count: None,
        }
    }

    fn render(layout: &ConsoleLayout, r: &RecordView<'_>) -> String {
        let mut out = Vec::new();
        layout.write(&mut out, r).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn kafka_field_order_and_separators() {
        let all = ConsoleLayout::default()
            .with_properties([
                ("print.timestamp", "true"),
                ("print.partition", "true"),
                ("print.offset", "true"),
                ("print.headers", "true"),
                ("print.key", "true"),
                ("key.separator", "|"),
            ])
            .unwrap();
        assert_eq!(
            render(&all, &record()),
            "CreateTime:1000|Partition:2|Offset:7|h1:a,h2:null|k|v\n"
        );
        let key_only = ConsoleLayout::default()
            .with_properties([("print.key", "true"), ("print.value", "false")])
            .unwrap();
        let mut r = record();
        r.key = None;
        assert_eq!(render(&key_only, &r), "null\n");
        assert_eq!(render(&ConsoleLayout::default(), &record()), "v\n");
        assert!(ConsoleLayout::default()
            .with_properties([("print.key", "yes")])
            .is_err());
    }

    #[test]
    fn lines_split_into_headers_key_and_value() {
        let parser = LineParser::default()
            .with_properties([
                ("parse.key", "true"),
                ("key.separator", ":"),
                ("parse.headers", "true"),
                ("null.marker", "NULL"),
            ])
            .unwrap();
        let r = parser.parse(b"a:1,b:NULL\tkey:va:lue", 1).unwrap();
        assert_eq!(r.key.as_deref(), Some(&b"key"[..]));
        assert_eq!(r.value.as_deref(), Some(&b"va:lue"[..]));
        let headers: Vec<(&str, Option<&[u8]>)> = r
            .headers
            .iter()
            .map(|(k, v)| (&**k, v.as_deref()))
            .collect();
        assert_eq!(headers, vec![("a", Some(&b"1"[..])), ("b", None)]);
        assert_eq!(parser.parse(b"\tNULL:NULL", 2).unwrap().value, None);
        let err = parser.parse(b"\tno-separator", 9).unwrap_err();
        assert!(err.contains("line 9"), "{err}");
        assert!(parser
            .parse(b"a=1\tk:v", 3)
            .unwrap_err()
            .contains("header 'a=1'"));
    }

    #[test]
    fn plain_lines_are_values_and_fixed_keys_apply() {
        let parser = LineParser {
            fixed_key: Some(b"K".to_vec()),
            ..LineParser::default()
        };
        let r = parser.parse(b"x\ty", 1).unwrap();
        assert_eq!(
            (r.key.as_deref(), r.value.as_deref()),
            (Some(&b"K"[..]), Some(&b"x\ty"[..]))
        );
        assert_eq!(
            LineParser::default()
                .parse(b"", 1)
                .unwrap()
                .value
                .as_deref(),
            Some(&b""[..])
        );
    }
}
