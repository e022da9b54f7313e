//! End-to-end tests: the real `hearth` binary on real SQLite files, one temp
//! data dir per test. Build the binary first: `cargo build -p hearth-cli`.

mod bad_input;
mod cli;
mod crash;
mod desktop;
mod ops;
mod server;
mod sync;
