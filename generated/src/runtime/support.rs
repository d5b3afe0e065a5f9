//! What generated code may use from the runtime beyond the public types: the request it
//! fills in, the calls that send and decode it by envelope kind, the page streams, and
//! the decoders of `flag` fields.
//!
//! This is the runtime's half of a contract; `codegen/src/contract.rs` is the other half
//! and names each item here. A test reads this file and fails when the two differ.

#![allow(unused_imports, reason = "generated code uses whichever of these its spec needs")]

pub(crate) use super::decode::{cursor_page, offset_page, plain, single};
pub(crate) use super::flag::{deserialize as flag, deserialize_option as optional_flag};
pub(crate) use super::page::{PageData, items, pages};
pub(crate) use super::request::Request;
