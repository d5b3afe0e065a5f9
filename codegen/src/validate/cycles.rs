//! Structs that would contain themselves: a cycle of struct fields with no list or map
//! in between has no finite size.
//!
//! Linear in the number of schemas and fields: strongly connected components (Tarjan,
//! with an explicit stack so a long chain cannot overflow the real one), then one
//! breadth-first search per cycle for the path the diagnostic shows.

use std::collections::VecDeque;

use indexmap::IndexMap;

use crate::diagnostic::{Code, Diagnostics};
use crate::ir::{Type, TypeName};
use crate::load::LoadedFile;

use super::{CheckedFile, CheckedSchemaKind};

/// How many steps of a cycle a diagnostic shows.
const SHOWN_STEPS: usize = 8;

/// Reports each cycle once, at the member whose name sorts first. Works on the checked
/// schemas, whose field types are already resolved.
pub(super) fn check(
    files: &[LoadedFile],
    checked: &[CheckedFile<'_>],
    diagnostics: &mut Diagnostics,
) {
    // Every struct, with the file it is in and the structs its fields hold directly.
    let mut structs: IndexMap<TypeName, (usize, Vec<&TypeName>)> = IndexMap::new();
    for (index, file) in checked.iter().enumerate() {
        let Some(module) = &file.module else { continue };
        for schema in &file.schemas {
            if let CheckedSchemaKind::Struct(fields) = &schema.kind {
                let direct = fields.iter().filter_map(|field| match &field.ty {
                    Type::Struct(target) => Some(target),
                    _ => None,
                });
                let name = TypeName {
                    module: module.clone(),
                    name: schema.name.to_owned(),
                };
                structs.insert(name, (index, direct.collect()));
            }
        }
    }
    let edges: Vec<Vec<usize>> = structs
        .values()
        .map(|(_, targets)| {
            targets
                .iter()
                .filter_map(|target| structs.get_index_of(*target))
                .collect()
        })
        .collect();
    for component in components(&edges) {
        let cyclic =
            component.len() > 1 || component.iter().any(|&node| edges[node].contains(&node));
        let Some(&start) = component
            .iter()
            .min_by_key(|&&node| structs.get_index(node).map(|(name, _)| name.name.as_str()))
        else {
            continue;
        };
        let (Some((name, (file, _))), true) = (structs.get_index(start), cyclic) else {
            continue;
        };
        let cycle: Vec<&str> = path_back(&edges, &component, start)
            .into_iter()
            .filter_map(|node| structs.get_index(node).map(|(name, _)| name.name.as_str()))
            .collect();
        // A long cycle shows its first steps and how many more there are.
        let shown = if cycle.len() > SHOWN_STEPS + 1 {
            format!(
                "{} -> ... ({} more) -> {name}",
                cycle[..SHOWN_STEPS].join(" -> "),
                cycle.len() - SHOWN_STEPS - 1
            )
        } else {
            cycle.join(" -> ")
        };
        diagnostics.push(
            files[*file]
                .error(
                    Code::RecursiveSchema,
                    format!("schemas.{name}"),
                    format!(
                        "schema `{name}` contains itself without a list or map in between: {shown}"
                    ),
                )
                .with_hint(
                    "break the cycle with a `list<...>` or `map<...>` field, which can be empty",
                ),
        );
    }
}

/// The strongly connected components of the graph.
fn components(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut tarjan = Tarjan {
        index: vec![None; edges.len()],
        low: vec![0; edges.len()],
        on_stack: vec![false; edges.len()],
        stack: Vec::new(),
        calls: Vec::new(),
        next: 0,
        components: Vec::new(),
    };
    for root in 0..edges.len() {
        if tarjan.index[root].is_some() {
            continue;
        }
        tarjan.enter(root);
        while let Some((node, edge)) = tarjan.calls.last().copied() {
            if let Some(&target) = edges[node].get(edge) {
                if let Some(call) = tarjan.calls.last_mut() {
                    call.1 += 1;
                }
                match tarjan.index[target] {
                    None => tarjan.enter(target),
                    Some(index) if tarjan.on_stack[target] => {
                        tarjan.low[node] = tarjan.low[node].min(index)
                    }
                    Some(_) => {}
                }
            } else {
                tarjan.leave(node);
            }
        }
    }
    tarjan.components
}

/// Tarjan's algorithm with its call stack made explicit.
struct Tarjan {
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    /// (node, index of the next edge to follow).
    calls: Vec<(usize, usize)>,
    next: usize,
    components: Vec<Vec<usize>>,
}

impl Tarjan {
    fn enter(&mut self, node: usize) {
        self.index[node] = Some(self.next);
        self.low[node] = self.next;
        self.next += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        self.calls.push((node, 0));
    }

    fn leave(&mut self, node: usize) {
        self.calls.pop();
        if let Some(&(parent, _)) = self.calls.last() {
            self.low[parent] = self.low[parent].min(self.low[node]);
        }
        if Some(self.low[node]) == self.index[node] {
            let mut component = Vec::new();
            while let Some(member) = self.stack.pop() {
                self.on_stack[member] = false;
                component.push(member);
                if member == node {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

/// A shortest path from `start` back to itself inside `component`, both ends included.
fn path_back(edges: &[Vec<usize>], component: &[usize], start: usize) -> Vec<usize> {
    let mut member = vec![false; edges.len()];
    for &node in component {
        member[node] = true;
    }
    let mut previous = vec![None; edges.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &target in &edges[node] {
            if target == start {
                let mut path = vec![start];
                let mut at = node;
                while at != start {
                    path.push(at);
                    at = previous[at].unwrap_or(start);
                }
                path.push(start);
                path.reverse();
                return path;
            }
            if member[target] && previous[target].is_none() {
                previous[target] = Some(node);
                queue.push_back(target);
            }
        }
    }
    vec![start, start]
}
