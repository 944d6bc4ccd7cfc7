//! Record formats for the console, in both directions: how `dq consume`
//! writes a record (Kafka's console layout, kcat-style format strings, the
//! JSON envelope) and how `dq produce` reads one (lines with Kafka's
//! `parse.key`/`parse.headers`, or the same JSON envelope), plus the progress
//! bar. Plain data in, bytes out: this module never imports rdkafka or the
//! broker, so every format is unit-tested without a cluster.

pub mod console;
pub mod envelope;
pub mod escape;
pub mod pattern;
pub mod progress;
pub mod reader;
pub mod table;
pub mod time;
pub mod topics;

use std::borrow::Cow;
use std::io::{self, Write};

pub use console::{ConsoleLayout, LineParser};
pub use envelope::EnvelopeReader;
pub use pattern::Pattern;
pub use time::TimeFormat;

/// How the broker stamped a record's time (Kafka's `TimestampType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampType {
    Create,
    LogAppend,
}

impl TimestampType {
    /// Kafka's own spelling, as the console consumer prints it.
    pub fn kafka_name(self) -> &'static str {
        match self {
            TimestampType::Create => "CreateTime",
            TimestampType::LogAppend => "LogAppendTime",
        }
    }
}

/// One consumed record, borrowed from the client's buffers for as long as it
/// takes to write it out.
#[derive(Debug, Clone)]
pub struct RecordView<'a> {
    pub topic: &'a str,
    pub partition: i32,
    pub offset: i64,
    pub timestamp: Option<(TimestampType, i64)>,
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
    /// In the order the producer wrote them; names may repeat.
    pub headers: Vec<(&'a str, Option<&'a [u8]>)>,
    /// How many times a share group delivered the record (KIP-932); None
    /// for every other reader.
    pub delivery_count: Option<i16>,
}

/// A header to produce: its name and its value (null allowed).
pub type OutHeader<'a> = (Cow<'a, str>, Option<Cow<'a, [u8]>>);

/// One record to produce, built from a line (borrowing it, so the common case
/// copies nothing) or from an envelope (owning its decoded bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutRecord<'a> {
    pub key: Option<Cow<'a, [u8]>>,
    pub value: Option<Cow<'a, [u8]>>,
    pub headers: Vec<OutHeader<'a>>,
    /// Milliseconds since the epoch; `None` lets the client stamp it.
    pub timestamp: Option<i64>,
    /// Set only by an envelope that names one; `--partition` overrides it.
    pub partition: Option<i32>,
}

/// How `dq consume` writes each record.
#[derive(Debug, Clone)]
pub enum RecordFormat {
    Console(ConsoleLayout),
    Pattern(Pattern),
    Json(TimeFormat),
}

impl RecordFormat {
    pub fn write(&self, out: &mut impl Write, record: &RecordView<'_>) -> io::Result<()> {
        match self {
            RecordFormat::Console(layout) => layout.write(out, record),
            RecordFormat::Pattern(pattern) => pattern.write(out, record),
            RecordFormat::Json(time) => envelope::write(out, record, *time),
        }
    }
}
