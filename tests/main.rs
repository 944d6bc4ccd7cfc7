//! One integration-test binary. Every test starts its own `dq serve` on port 0
//! with a temporary data directory (see `support`).

mod support;
mod topic_configs;

mod bad_input;
mod cli_consume;
mod cli_errors;
mod cli_groups;
mod cli_offsets;
mod cli_perf;
mod cli_produce;
mod cli_profile;
mod cli_repl;
mod cli_support;
mod cli_topics;
mod clients;
mod disk;
mod generated;
mod groups;
mod json_output;
mod log_dirs;
mod persistence;
mod produce_fetch;
mod seeds;
