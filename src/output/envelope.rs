//! The JSON envelope: one record per line, written by `dq consume --output
//! json` and read back by `dq produce --format json`, so that a topic can be
//! copied through a pipe without losing anything.
//!
//! ```json
//! {"topic":"t","partition":0,"offset":5,"timestamp":1714564800000,"timestamp_type":"CreateTime",
//!  "key":"k","value":{"base64":"3q2+7w=="},"headers":[{"key":"h","value":"v"}]}
//! ```
//!
//! Keys, values and header values are `null`, a string when the bytes are
//! UTF-8, or `{"base64": …}` when they are not, so null, empty and binary
//! stay distinct. Headers are a list because Kafka keeps their order and
//! allows a name twice.

use std::borrow::Cow;
use std::io::{self, Write};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::Deserialize;

use super::time::{iso, parse_iso, TimeFormat};
use super::{OutRecord, RecordView};

fn write_str(out: &mut impl Write, s: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *out, s).map_err(io::Error::from)
}

fn write_bytes(out: &mut impl Write, bytes: Option<&[u8]>) -> io::Result<()> {
    match bytes {
        None => out.write_all(b"null"),
        Some(b) => match std::str::from_utf8(b) {
            Ok(s) => write_str(out, s),
            Err(_) => write!(out, "{{\"base64\":\"{}\"}}", BASE64.encode(b)),
        },
    }
}

pub fn write(out: &mut impl Write, r: &RecordView<'_>, time: TimeFormat) -> io::Result<()> {
    out.write_all(b"{\"topic\":")?;
    write_str(out, r.topic)?;
    write!(
        out,
        ",\"partition\":{},\"offset\":{}",
        r.partition, r.offset
    )?;
    match r.timestamp {
        None => out.write_all(b",\"timestamp\":null")?,
        Some((kind, ms)) => {
            match time {
                TimeFormat::Millis => write!(out, ",\"timestamp\":{ms}")?,
                TimeFormat::Iso => write!(out, ",\"timestamp\":\"{}\"", iso(ms))?,
            }
            write!(out, ",\"timestamp_type\":\"{}\"", kind.kafka_name())?;
        }
    }
    out.write_all(b",\"key\":")?;
    write_bytes(out, r.key)?;
    out.write_all(b",\"value\":")?;
    write_bytes(out, r.value)?;
    out.write_all(b",\"headers\":[")?;
    for (i, (name, value)) in r.headers.iter().enumerate() {
        out.write_all(if i == 0 { b"{\"key\":" } else { b",{\"key\":" })?;
        write_str(out, name)?;
        out.write_all(b",\"value\":")?;
        write_bytes(out, *value)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]")?;
    // Only a share group counts deliveries; other readers' envelopes keep
    // their documented fields.
    if let Some(n) = r.delivery_count {
        write!(out, ",\"delivery_count\":{n}")?;
    }
    out.write_all(b"}\n")
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Data {
    Text(String),
    Binary { base64: String },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Timestamp {
    Millis(i64),
    Iso(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    key: String,
    #[serde(default)]
    value: Option<Data>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    #[serde(default, rename = "topic")]
    _topic: Option<String>,
    #[serde(default)]
    partition: Option<i32>,
    #[serde(default, rename = "offset")]
    _offset: Option<i64>,
    #[serde(default)]
    timestamp: Option<Timestamp>,
    #[serde(default, rename = "timestamp_type")]
    _timestamp_type: Option<String>,
    /// What `dq consume --share-group` adds; ignored when producing.
    #[serde(default, rename = "delivery_count")]
    _delivery_count: Option<i64>,
    #[serde(default)]
    key: Option<Data>,
    #[serde(default)]
    value: Option<Data>,
    #[serde(default)]
    headers: Vec<Header>,
}

fn decode(data: Option<Data>, what: &str) -> Result<Option<Cow<'static, [u8]>>, String> {
    match data {
        None => Ok(None),
        Some(Data::Text(s)) => Ok(Some(Cow::Owned(s.into_bytes()))),
        Some(Data::Binary { base64 }) => BASE64
            .decode(base64.as_bytes())
            .map(|b| Some(Cow::Owned(b)))
            .map_err(|e| format!("{what} is not valid base64 ({e})")),
    }
}

/// Reads envelopes, one per line. The envelope's topic and offset are
/// ignored (the record goes to the topic being produced to, at the offset the
/// broker assigns); its partition, timestamp, key, value and headers are kept.
#[derive(Debug, Default, Clone)]
pub struct EnvelopeReader;

impl EnvelopeReader {
    pub fn parse(&self, line: &[u8], line_number: u64) -> Result<OutRecord<'static>, String> {
        let fail = |e: String| format!("line {line_number} is not a dq JSON envelope: {e}");
        let envelope: Envelope = serde_json::from_slice(line).map_err(|e| fail(e.to_string()))?;
        let timestamp =
            match envelope.timestamp {
                None => None,
                Some(Timestamp::Millis(ms)) => Some(ms),
                Some(Timestamp::Iso(s)) => Some(parse_iso(&s).ok_or_else(|| {
                    fail(format!("timestamp '{s}' is not ISO-8601 or milliseconds"))
                })?),
            };
        let mut headers = Vec::with_capacity(envelope.headers.len());
        for h in envelope.headers {
            let value = decode(h.value, &format!("header '{}'", h.key)).map_err(fail)?;
            headers.push((Cow::Owned(h.key), value));
        }
        Ok(OutRecord {
            key: decode(envelope.key, "key").map_err(fail)?,
            value: decode(envelope.value, "value").map_err(fail)?,
            headers,
            timestamp,
            partition: envelope.partition,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::TimestampType;

    #[test]
    fn binary_null_and_empty_survive_a_round_trip() {
        let r = RecordView {
            topic: "t\"q",
            partition: 3,
            offset: 9,
            timestamp: Some((TimestampType::Create, 1_714_564_800_000)),
            key: Some(b""),
            value: Some(&[0xde, 0xad, 0xbe, 0xef]),
            headers: vec![("h", Some(b"v")), ("h", None), ("bin", Some(&[0xff]))],
            delivery_count: None,
        };
        for time in [TimeFormat::Millis, TimeFormat::Iso] {
            let mut line = Vec::new();
            write(&mut line, &r, time).unwrap();
            assert_eq!(line.last(), Some(&b'\n'));
            let back = EnvelopeReader.parse(&line, 1).unwrap();
            assert_eq!(back.key.as_deref(), Some(&b""[..]));
            assert_eq!(back.value.as_deref(), Some(&[0xde, 0xad, 0xbe, 0xef][..]));
            assert_eq!(back.partition, Some(3));
            assert_eq!(back.timestamp, Some(1_714_564_800_000));
            let headers: Vec<(&str, Option<&[u8]>)> = back
                .headers
                .iter()
                .map(|(k, v)| (&**k, v.as_deref()))
                .collect();
            assert_eq!(
                headers,
                vec![
                    ("h", Some(&b"v"[..])),
                    ("h", None),
                    ("bin", Some(&[0xff][..]))
                ]
            );
        }
        let mut line = Vec::new();
        write(
            &mut line,
            &RecordView {
                key: None,
                value: None,
                ..r
            },
            TimeFormat::Millis,
        )
        .unwrap();
        let text = String::from_utf8(line.clone()).unwrap();
        assert!(text.contains("\"key\":null,\"value\":null"), "{text}");
        let back = EnvelopeReader.parse(&line, 1).unwrap();
        assert_eq!((back.key, back.value), (None, None));
    }

    #[test]
    fn bad_envelopes_name_the_line_and_the_problem() {
        let err = EnvelopeReader.parse(b"{\"vaule\":\"x\"}", 4).unwrap_err();
        assert!(err.contains("line 4") && err.contains("vaule"), "{err}");
        let err = EnvelopeReader
            .parse(b"{\"value\":{\"base64\":\"!!\"}}", 5)
            .unwrap_err();
        assert!(err.contains("base64"), "{err}");
        assert!(EnvelopeReader.parse(b"plain text", 6).is_err());
    }
}
