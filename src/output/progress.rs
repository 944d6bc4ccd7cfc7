//! The progress bar `dq produce` shows while it reads a large input (bytes
//! read and records per second) and the perf tools show while they run
//! (records towards the total): on stderr, and only when stderr is a
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

    /// A bar counting records towards `total` (the perf tools), or a
    /// counter when the total is unknown.
    pub fn records(enabled: bool, total: Option<u64>) -> Progress {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let template = match total {
            Some(_) => {
                "{spinner} {bar:30} {human_pos}/{human_len} records {msg} ({elapsed}, ETA {eta})"
            }
            None => "{spinner} {human_pos} records {msg} ({elapsed})",
        };
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
            .with_style(ProgressStyle::with_template(template).expect("a valid progress template"));
        Progress { bar: Some(bar) }
    }

    /// For a bar made by [`Progress::records`].
    pub fn set_records(&self, records: u64, per_second: f64) {
        if let Some(bar) = &self.bar {
            bar.set_position(records);
            bar.set_message(format!("({per_second:.0} records/s)"));
        }
    }

    /// Runs `print` with the bar hidden, so lines written meanwhile to the
    /// same terminal do not tear it.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
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
