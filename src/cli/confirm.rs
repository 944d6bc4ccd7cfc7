//! The one confirmation every destructive command asks (delete a topic,
//! delete a group, commit reset offsets): a dialoguer question on a
//! terminal, answered "no" by default. Without a terminal there is no one
//! to ask and the command proceeds, as kafka-topics.sh does; `--yes` skips
//! the question.

use std::io::{self, IsTerminal};

pub fn confirm(question: &str, yes: bool) -> anyhow::Result<bool> {
    if yes || !io::stdin().is_terminal() || !io::stderr().is_terminal() {
        return Ok(true);
    }
    dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(|e| {
            // Ctrl-C at the question is a "no" said firmly: exit 130 quietly.
            if crate::client::cancel::requested() {
                anyhow::Error::new(crate::client::cancel::Cancelled)
            } else {
                anyhow::anyhow!("cannot ask for confirmation on the terminal: {e}")
            }
        })
}
