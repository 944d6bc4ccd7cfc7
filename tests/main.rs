//! One integration-test binary. Every test starts its own `dq serve` on port 0
//! with a temporary data directory (see `support`).

#[global_allocator]
static ALLOC: alloc_track::Counting = alloc_track::Counting;

mod alloc_track;
mod support;
mod topic_configs;
mod validation;

mod bad_input;
mod cli_consume;
mod cli_errors;
mod cli_groups;
mod cli_offsets;
mod cli_perf;
mod cli_produce;
mod cli_profile;
mod cli_repl;
mod cli_share;
mod cli_signals;
mod cli_support;
mod cli_topics;
mod cli_transactions;
mod clients;
mod cluster_configs;
mod crash;
mod disk;
mod fuzz;
mod generated;
mod groups;
mod idempotence;
mod json_output;
mod kip848;
mod limits;
mod log_dirs;
mod persistence;
mod produce_fetch;
mod seeds;
mod share_fetch;
mod share_groups;
mod transactions;
