//! Backslash escapes in separators and format strings (`\t`, `\n`, `\0`,
//! `\xHH`), so that a tab can be typed as `\t` in a shell without `$'…'`.

/// Replaces `\n \r \t \0 \\ \xHH`; any other backslash stays as typed, so a
/// literal backslash separator still works.
pub fn unescape(s: &str) -> Result<Vec<u8>, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' || i + 1 == bytes.len() {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let next = bytes[i + 1];
        i += 2;
        match next {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'0' => out.push(0),
            b'\\' => out.push(b'\\'),
            b'x' => {
                let hex = s
                    .get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("'\\x' must be followed by two hex digits in '{s}'"))?;
                out.push(hex);
                i += 2;
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn escapes_become_bytes_and_unknown_ones_stay() {
        assert_eq!(unescape("a\\tb\\n").unwrap(), b"a\tb\n");
        assert_eq!(unescape("\\x00\\x7f").unwrap(), [0, 0x7f]);
        assert_eq!(unescape("\\\\").unwrap(), b"\\");
        assert_eq!(unescape("\\q\\").unwrap(), b"\\q\\");
        assert!(unescape("\\xZZ").is_err());
    }
}
