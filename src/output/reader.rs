//! Splits an input stream into records at a delimiter (newline unless told
//! otherwise), binary-safe and without copying: each record is a slice of a
//! large read buffer. An interrupted read (Ctrl-C) surfaces as
//! `ErrorKind::Interrupted` instead of being retried, so the caller can stop.

use std::io::{self, Read};

pub struct RecordReader<R> {
    input: R,
    buf: Vec<u8>,
    /// `buf[..end]` holds what was read; `cursor` says how much of it was
    /// handed out.
    end: usize,
    cursor: Cursor,
    delimiter: Vec<u8>,
    eof: bool,
    bytes_read: u64,
}

/// How far into the buffer records were handed out and searched, kept apart
/// from the buffer so that [`Buffered`] can advance it while lending slices.
struct Cursor {
    /// `buf[start..end]` holds bytes not yet returned.
    start: usize,
    /// Bytes of `buf[start..]` already searched for the delimiter, so that a
    /// long record is not rescanned on every read.
    scanned: usize,
    /// Where the next delimiter was found, absolute in `buf`.
    found: Option<usize>,
}

impl Cursor {
    /// True when `buf` (everything read so far) holds a whole record past
    /// `start`, or the last record of a finished input.
    fn has_record(&mut self, buf: &[u8], delimiter: &[u8], eof: bool) -> bool {
        if self.found.is_some() {
            return true;
        }
        let pending = &buf[self.start + self.scanned..];
        let at = if delimiter.len() == 1 {
            memchr::memchr(delimiter[0], pending)
        } else {
            memchr::memmem::find(pending, delimiter)
        };
        match at {
            Some(at) => {
                self.found = Some(self.start + self.scanned + at);
                true
            }
            None => {
                // A delimiter may straddle the boundary of what has been read.
                self.scanned = (buf.len() - self.start).saturating_sub(delimiter.len() - 1);
                eof && self.start < buf.len()
            }
        }
    }

    fn next<'b>(&mut self, buf: &'b [u8], delimiter: &[u8], eof: bool) -> Option<&'b [u8]> {
        if !self.has_record(buf, delimiter, eof) {
            return None;
        }
        let record_end = self.found.take().unwrap_or(buf.len());
        let record = &buf[self.start..record_end];
        self.start = (record_end + delimiter.len()).min(buf.len());
        self.scanned = 0;
        Some(record)
    }
}

/// The records already in a [`RecordReader`]'s buffer, all borrowing it at
/// once, so that a batch of them can be handed on together.
pub struct Buffered<'r> {
    buf: &'r [u8],
    cursor: &'r mut Cursor,
    delimiter: &'r [u8],
    eof: bool,
}

impl<'r> Iterator for Buffered<'r> {
    type Item = &'r [u8];

    fn next(&mut self) -> Option<&'r [u8]> {
        self.cursor.next(self.buf, self.delimiter, self.eof)
    }
}

const CHUNK: usize = 1 << 20;

impl<R: Read> RecordReader<R> {
    pub fn new(input: R, delimiter: Vec<u8>) -> RecordReader<R> {
        assert!(!delimiter.is_empty(), "callers refuse an empty delimiter");
        RecordReader {
            input,
            buf: vec![0; CHUNK],
            end: 0,
            cursor: Cursor {
                start: 0,
                scanned: 0,
                found: None,
            },
            delimiter,
            eof: false,
            bytes_read: 0,
        }
    }

    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The next record, without its delimiter, reading as needed; a final
    /// record without a trailing delimiter is still a record. `None` at the
    /// end of input.
    pub fn next_record(&mut self) -> io::Result<Option<&[u8]>> {
        while !self.has_record() {
            if self.at_end() {
                return Ok(None);
            }
            self.fill()?;
        }
        Ok(self.next_buffered())
    }

    /// True when [`next_buffered`](Self::next_buffered) has a record to give
    /// without reading; remembers how far it searched.
    pub fn has_record(&mut self) -> bool {
        self.cursor
            .has_record(&self.buf[..self.end], &self.delimiter, self.eof)
    }

    /// A record already in the buffer, without reading.
    pub fn next_buffered(&mut self) -> Option<&[u8]> {
        self.cursor
            .next(&self.buf[..self.end], &self.delimiter, self.eof)
    }

    /// Every record already in the buffer, without reading.
    pub fn buffered(&mut self) -> Buffered<'_> {
        Buffered {
            buf: &self.buf[..self.end],
            cursor: &mut self.cursor,
            delimiter: &self.delimiter,
            eof: self.eof,
        }
    }

    /// Everything was read and handed out.
    pub fn at_end(&self) -> bool {
        self.eof && self.cursor.start == self.end
    }

    /// Reads once more from the input (one `read` call).
    pub fn fill(&mut self) -> io::Result<()> {
        let start = self.cursor.start;
        if start > 0 {
            self.cursor.found = self.cursor.found.map(|f| f - start);
            self.buf.copy_within(start..self.end, 0);
            self.end -= start;
            self.cursor.start = 0;
        }
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let n = self.input.read(&mut self.buf[self.end..])?;
        if n == 0 {
            self.eof = true;
        }
        self.end += n;
        self.bytes_read += n as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes a few at a time, to cross every boundary.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn all(input: &[u8], delimiter: &[u8], step: usize) -> Vec<Vec<u8>> {
        let mut r = RecordReader::new(Trickle(input, step), delimiter.to_vec());
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            out.push(rec.to_vec());
        }
        out
    }

    /// The same, taking whatever each read buffered in one borrow.
    fn all_buffered(input: &[u8], delimiter: &[u8], step: usize) -> Vec<Vec<u8>> {
        let mut r = RecordReader::new(Trickle(input, step), delimiter.to_vec());
        let mut out = Vec::new();
        while !r.at_end() {
            let batch: Vec<&[u8]> = r.buffered().collect();
            out.extend(batch.iter().map(|rec| rec.to_vec()));
            if !r.at_end() {
                r.fill().unwrap();
            }
        }
        out
    }

    #[test]
    fn buffered_records_match_one_at_a_time() {
        for step in [1, 2, 3, 1000] {
            for (input, delimiter) in [
                (&b"a\n\nbc\nd"[..], &b"\n"[..]),
                (b"x||y\0||", b"||"),
                (b"", b"\n"),
                (b"one\ntwo\n", b"\n"),
            ] {
                assert_eq!(
                    all_buffered(input, delimiter, step),
                    all(input, delimiter, step)
                );
            }
        }
    }

    #[test]
    fn splits_on_any_delimiter_across_reads() {
        for step in [1, 2, 3, 1000] {
            assert_eq!(
                all(b"a\n\nbc\nd", b"\n", step),
                vec![b"a".to_vec(), vec![], b"bc".to_vec(), b"d".to_vec()]
            );
            assert_eq!(
                all(b"x||y\0||", b"||", step),
                vec![b"x".to_vec(), b"y\0".to_vec()]
            );
            assert!(all(b"", b"\n", step).is_empty());
        }
        let big = vec![b'z'; 3 * CHUNK];
        let mut input = big.clone();
        input.push(b'\n');
        assert_eq!(all(&input, b"\n", CHUNK / 3), vec![big]);
    }
}
