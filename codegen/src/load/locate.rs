//! Where each node of a YAML file is: an index from YAML path to line and column.
//!
//! `serde_yaml` gives positions only for its own errors. Later stages find problems by
//! YAML path, so this index, built by the first pass over the file (`scan.rs`), turns a
//! path back into a position.

use indexmap::IndexMap;

use crate::diagnostic::Position;

/// YAML path to position, for one file.
///
/// A mapping entry is found at its key (`operations.getOrganization.parameters.id`);
/// a sequence item at its value (`schemas.SortDirection.enum[1]`).
#[derive(Debug, Default, Clone)]
pub(crate) struct Locator {
    pub(super) positions: IndexMap<String, Position>,
}

impl Locator {
    /// The position of the node at `path`, or of its nearest ancestor that has one.
    pub(crate) fn find(&self, path: &str) -> Option<Position> {
        let mut path = path;
        loop {
            if let Some(position) = self.positions.get(path) {
                return Some(*position);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}
