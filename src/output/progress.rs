//! The progress bar `dq produce` shows while it reads a large input: bytes
//! read and records per second, on stderr, and only when stderr is a
//! terminal (a bar in a log file or a pipe is noise).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// `total` is the input size when known (a file), for a bar with an ETA.
    pub fn new(enabled: bool, total: Option<u64>) -> Progress {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = match total {
            Some(len) => ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template(
                    "{spinner} {bar:30} {binary_bytes}/{binary_total_bytes} {msg} ({elapsed}, ETA {eta})",
                )
                .expect("a valid progress template"),
            ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{spinner} {binary_bytes} read ({binary_bytes_per_sec}) {msg} ({elapsed})")
                    .expect("a valid progress template"),
            ),
        };
        Progress { bar: Some(bar) }
    }

    pub fn update(&self, bytes: u64, records: u64, per_second: f64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{records} records, {per_second:.0} records/s"));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
