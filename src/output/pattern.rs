//! kcat's `-f` format strings: `%t %p %o %k %s %h %T %K %S %R %%` plus
//! backslash escapes, compiled once into a list of pieces so that writing a
//! record is a walk over that list.

use std::io::{self, Write};

use super::escape::unescape;
use super::time::{iso, TimeFormat};
use super::RecordView;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(Vec<u8>),
    Topic,
    Partition,
    Offset,
    Key,
    KeyLength,
    Value,
    ValueLength,
    /// Value length as a 4-byte big-endian integer, for framing binary values.
    ValueLengthBinary,
    Timestamp,
    Headers,
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pieces: Vec<Piece>,
    time: TimeFormat,
}

pub const TOKENS: &str = "%t topic, %p partition, %o offset, %k key, %K key length, %s value, \
%S value length, %R value length as 4-byte big-endian, %T timestamp, %h headers, %% a percent sign";

impl Pattern {
    pub fn parse(format: &str, time: TimeFormat) -> Result<Pattern, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                literal.push(c);
                continue;
            }
            let piece = match chars.next() {
                Some('%') => {
                    literal.push('%');
                    continue;
                }
                Some('t') => Piece::Topic,
                Some('p') => Piece::Partition,
                Some('o') => Piece::Offset,
                Some('k') => Piece::Key,
                Some('K') => Piece::KeyLength,
                Some('s') => Piece::Value,
                Some('S') => Piece::ValueLength,
                Some('R') => Piece::ValueLengthBinary,
                Some('T') => Piece::Timestamp,
                Some('h') => Piece::Headers,
                Some(other) => {
                    return Err(format!(
                        "unknown token '%{other}' in format '{format}' (tokens: {TOKENS})"
                    ))
                }
                None => {
                    return Err(format!(
                        "format '{format}' ends with a lone '%' (write %% for a percent sign)"
                    ))
                }
            };
            if !literal.is_empty() {
                pieces.push(Piece::Literal(unescape(&std::mem::take(&mut literal))?));
            }
            pieces.push(piece);
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(unescape(&literal)?));
        }
        Ok(Pattern { pieces, time })
    }

    pub fn write(&self, out: &mut impl Write, r: &RecordView<'_>) -> io::Result<()> {
        for piece in &self.pieces {
            match piece {
                Piece::Literal(bytes) => out.write_all(bytes)?,
                Piece::Topic => out.write_all(r.topic.as_bytes())?,
                Piece::Partition => write!(out, "{}", r.partition)?,
                Piece::Offset => write!(out, "{}", r.offset)?,
                Piece::Key => out.write_all(r.key.unwrap_or_default())?,
                Piece::KeyLength => write!(out, "{}", r.key.map_or(-1, |k| k.len() as i64))?,
                Piece::Value => out.write_all(r.value.unwrap_or_default())?,
                Piece::ValueLength => write!(out, "{}", r.value.map_or(-1, |v| v.len() as i64))?,
                Piece::ValueLengthBinary => {
                    let len = r.value.map_or(-1, |v| v.len() as i32);
                    out.write_all(&len.to_be_bytes())?
                }
                Piece::Timestamp => match (r.timestamp, self.time) {
                    (None, _) => out.write_all(b"-1")?,
                    (Some((_, ms)), TimeFormat::Millis) => write!(out, "{ms}")?,
                    (Some((_, ms)), TimeFormat::Iso) => out.write_all(iso(ms).as_bytes())?,
                },
                Piece::Headers => {
                    for (i, (name, value)) in r.headers.iter().enumerate() {
                        if i > 0 {
                            out.write_all(b",")?;
                        }
                        out.write_all(name.as_bytes())?;
                        out.write_all(b"=")?;
                        out.write_all(value.unwrap_or_default())?;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::TimestampType;

    #[test]
    fn kcat_tokens_and_escapes() {
        let r = RecordView {
            topic: "t",
            partition: 1,
            offset: 42,
            timestamp: Some((TimestampType::Create, 5)),
            key: None,
            value: Some(b"hello"),
            headers: vec![("a", Some(b"1")), ("b", Some(b"2"))],
            delivery_count: None,
        };
        let p =
            Pattern::parse("%t/%p@%o %K:%k %S:%s %T [%h] 100%%\\n", TimeFormat::Millis).unwrap();
        let mut out = Vec::new();
        p.write(&mut out, &r).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "t/1@42 -1: 5:hello 5 [a=1,b=2] 100%\n"
        );
        let mut out = Vec::new();
        Pattern::parse("%R%s", TimeFormat::Millis)
            .unwrap()
            .write(&mut out, &r)
            .unwrap();
        assert_eq!(out, b"\0\0\0\x05hello");
        assert!(Pattern::parse("%q", TimeFormat::Millis)
            .unwrap_err()
            .contains("'%q'"));
        assert!(Pattern::parse("50%", TimeFormat::Millis).is_err());
    }
}
