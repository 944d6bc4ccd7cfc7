//! `dq serve`: a single-node broker speaking the Kafka wire protocol.
//!
//! A request goes `server` (accept) → `connection` (frames) → `dispatch`
//! (api key → handler) → `handlers` (response value) → `connection` (encode,
//! write). `storage` keeps the data in Kafka's segment format. This module
//! never imports `cli`, `client` or `output`.

pub mod connection;
pub mod coordinator;
pub mod dispatch;
pub mod flusher;
pub mod handlers;
pub mod limits;
pub mod server;
pub mod state;
pub mod storage;

pub use server::Server;
pub use state::BrokerConfig;
