//! The tests every operation of `spec/` gets, derived from the spec by
//! `cargo xtask generate` into `tests/tests/operations/` (see
//! `codegen/src/emit/tests.rs` and `tests/src/operations.rs`): with every parameter and
//! body field set, each operation sends the request the spec describes, decodes
//! Pipedrive's example body without losing an item, and answers the same through its
//! typed mock. Hand-written tests of what these cannot check are in `client.rs`.

#[rustfmt::skip]
#[path = "operations/mod.rs"]
mod generated;
