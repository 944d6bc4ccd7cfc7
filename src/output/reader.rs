//! Splits an input stream into records at a delimiter (newline unless told
//! otherwise), binary-safe and without copying: each record is a slice of a
//! large read buffer. An interrupted read (Ctrl-C) surfaces as
//! `ErrorKind::Interrupted` instead of being retried, so the caller can stop.

use std::io::{self, Read};

pub struct RecordReader<R> {
    input: R,
    buf: Vec<u8>,
    /// `buf[start..end]` holds bytes not yet returned.
    start: usize,
    end: usize,
    /// Bytes of `buf[start..]` already searched for the delimiter, so that a
    /// long record is not rescanned on every read.
    scanned: usize,
    /// Where `has_record` found the next delimiter, absolute in `buf`.
    found: Option<usize>,
    delimiter: Vec<u8>,
    eof: bool,
    bytes_read: u64,
}

const CHUNK: usize = 1 << 20;

impl<R: Read> RecordReader<R> {
    pub fn new(input: R, delimiter: Vec<u8>) -> RecordReader<R> {
        assert!(!delimiter.is_empty(), "callers refuse an empty delimiter");
        RecordReader {
            input,
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            scanned: 0,
            found: None,
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
        if self.found.is_some() {
            return true;
        }
        let pending = &self.buf[self.start + self.scanned..self.end];
        let at = if self.delimiter.len() == 1 {
            memchr::memchr(self.delimiter[0], pending)
        } else {
            memchr::memmem::find(pending, &self.delimiter)
        };
        match at {
            Some(at) => {
                self.found = Some(self.start + self.scanned + at);
                true
            }
            None => {
                // A delimiter may straddle the boundary of what has been read.
                self.scanned = (self.end - self.start).saturating_sub(self.delimiter.len() - 1);
                self.eof && self.start < self.end
            }
        }
    }

    /// A record already in the buffer, without reading.
    pub fn next_buffered(&mut self) -> Option<&[u8]> {
        if !self.has_record() {
            return None;
        }
        let record_end = self.found.take().unwrap_or(self.end);
        let record = self.start..record_end;
        self.start = (record_end + self.delimiter.len()).min(self.end);
        self.scanned = 0;
        Some(&self.buf[record])
    }

    /// Everything was read and handed out.
    pub fn at_end(&self) -> bool {
        self.eof && self.start == self.end
    }

    /// Reads once more from the input (one `read` call).
    pub fn fill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.found = self.found.map(|f| f - self.start);
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
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
