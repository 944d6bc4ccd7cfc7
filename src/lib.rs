//! dq: Kafka console tools and a single-node Kafka-wire-protocol broker.
//!
//! - [`broker`]: `dq serve`, the broker and its Kafka-format storage;
//! - [`cli`]: argument parsing and one module per subcommand;
//! - [`client`]: rdkafka wrappers for the client subcommands;
//! - [`output`]: record formats (console layout, format strings, JSON), progress.
//!
//! Imports flow one way: `cli` uses `broker`, `client` and `output`; `client`
//! hands out `output`'s plain record types; `broker` and `output` use neither.

pub mod broker;
pub mod cli;
pub mod client;
pub mod output;
