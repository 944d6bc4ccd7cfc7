//! dq: Kafka console tools and a single-node Kafka-wire-protocol broker.
//!
//! - [`broker`]: `dq serve`, the broker and its Kafka-format storage;
//! - [`cli`]: argument parsing and one module per subcommand.
//!
//! Imports flow one way: `cli` uses `broker`; `broker` never uses `cli`.

pub mod broker;
pub mod cli;
