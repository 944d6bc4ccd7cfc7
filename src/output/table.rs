//! Tables for people: borderless columns like the Kafka tools print, so the
//! output reads the same and still splits on whitespace; and the JSON that
//! `--output json` prints instead, for scripts. On a terminal a table fits
//! its width (long cells wrap); into a pipe or a file its rows never wrap,
//! so scripts read one row per line.

use std::io::{self, IsTerminal, Write};

use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

/// A borderless, left-aligned table with these column headers, laid out
/// as kafka-consumer-groups.sh lays out its own.
pub fn new(headers: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_header(headers.iter().copied());
    fit_terminal(&mut table);
    for column in table.column_iter_mut() {
        // No leading space; two between columns.
        column.set_padding((0, 2));
    }
    table
}

/// Wraps cells to the terminal's width when stdout is a terminal; leaves
/// rows whole otherwise.
pub fn fit_terminal(table: &mut Table) {
    match terminal_width() {
        Some(width) => {
            table
                .set_width(width)
                .set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
}

fn terminal_width() -> Option<u16> {
    if !io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ fills the winsize it is given, and nothing else.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col)
}

/// An optional value as a cell: Kafka's `-` for none.
pub fn cell<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// Writes the table, each line without the trailing padding comfy-table adds.
pub fn write(out: &mut impl Write, table: &Table) -> io::Result<()> {
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Writes `value` as one line of JSON.
pub fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Prints to stdout what an admin command answers: `json` as one JSON
/// document, or else a table of `headers` with one line per row; then
/// flushes.
pub fn print(
    as_json: bool,
    json: &impl Serialize,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if as_json {
        write_json(&mut out, json)?;
    } else {
        let mut t = new(headers);
        for row in rows {
            t.add_row(row);
        }
        write(&mut out, &t)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_borderless_columns() {
        let mut t = new(&["TOPIC", "PARTITION", "LAG"]);
        t.add_row(vec!["orders".to_string(), "0".to_string(), cell(Some(5))]);
        t.add_row(vec!["o".to_string(), "10".to_string(), cell(None::<i64>)]);
        let mut out = Vec::new();
        write(&mut out, &t).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<Vec<&str>> = text
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(lines[0], ["TOPIC", "PARTITION", "LAG"]);
        assert_eq!(lines[1], ["orders", "0", "5"]);
        assert_eq!(lines[2], ["o", "10", "-"]);
        assert!(!text.lines().any(|l| l.ends_with(' ')));
    }
}
