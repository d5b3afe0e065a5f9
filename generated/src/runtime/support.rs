//! What generated code may use from the runtime beyond the public types: the request it
//! fills in, the calls that send and decode it by envelope kind, the page streams, and
//! the pieces of the models' `Decode` and `Encode` impls.
//!
//! This is the runtime's half of a contract; `codegen/src/contract.rs` is the other half
//! and names each item here. A test reads this file and fails when the two differ.

#![allow(
    unused_imports,
    reason = "generated code uses whichever of these its spec needs"
)]

pub(crate) use super::decode::{
    cursor_page, offset_page, plain, single, single_additional, single_list, single_optional,
};
pub(crate) use super::form::{Form, FormWriter};
pub(crate) use super::json::{Read, Reader};
pub(crate) use super::page::{items, pages};
pub(crate) use super::request::{CallOptions, Request};
pub(crate) use super::time::{TimeFormat, v1_datetime};
pub(crate) use super::wire::{
    Decode, Encode, Scalar, UnionMember, deserialize, field, limits, object, required, serialize,
    union, word,
};
pub(crate) use super::write::{Writer, Written};
