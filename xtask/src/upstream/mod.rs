//! `cargo xtask upstream FILE...`: how `spec/` differs from Pipedrive's published
//! OpenAPI files.
//!
//! Each file is read with `openapiv3` and belongs to the spec version whose prefix its
//! server URL ends with (`/v1`, `/api/v2`). Each operation of the spec is matched by
//! version and operation id, and everything a caller can see is compared: method, path,
//! success status, each path and query parameter (type, whether it is required, default,
//! allowed values), the request body's fields (added, removed, type, required, nullable),
//! the response's fields (added, removed, type, and nullable where Pipedrive says so),
//! and where a page keeps its position. Operations of the files on the spec's paths that
//! the spec does not describe are listed too.
//!
//! A difference the spec makes on purpose carries its reason in the spec, beside the
//! entry (`upstream:` on an operation, parameter, schema, field or resource). The report
//! lists every difference, acknowledged ones with their reason, and acknowledgements
//! that no difference needs; `run` fails when anything is not acknowledged.

mod compare;
pub(crate) mod shape;

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub use compare::{Difference, Group, UpstreamFile};

/// What the comparison found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The files compared with.
    pub files: Vec<String>,
    /// One group per operation with a difference, and the groups of the spec as a whole.
    pub groups: Vec<Group>,
}

impl Report {
    /// How many differences the spec does not acknowledge.
    pub fn unacknowledged(&self) -> usize {
        self.groups
            .iter()
            .flat_map(|g| &g.differences)
            .filter(|d| d.acknowledged.is_none())
            .count()
    }

    /// How many it acknowledges.
    pub fn acknowledged(&self) -> usize {
        self.groups
            .iter()
            .flat_map(|g| &g.differences)
            .filter(|d| d.acknowledged.is_some())
            .count()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "spec/ compared with {}", self.files.join(", "))?;
        for group in &self.groups {
            writeln!(f, "\n{}", group.heading)?;
            for difference in &group.differences {
                match &difference.acknowledged {
                    None => writeln!(f, "  ! {}", difference.text)?,
                    Some(reason) => {
                        writeln!(f, "    {}\n      acknowledged: {reason}", difference.text)?
                    }
                }
            }
        }
        write!(
            f,
            "\n{} unacknowledged, {} acknowledged",
            self.unacknowledged(),
            self.acknowledged()
        )
    }
}

/// Compares the spec in `spec_dir` with the OpenAPI files.
pub fn report(spec_dir: &Path, files: &[PathBuf]) -> Result<Report> {
    let sources = crate::read_spec(spec_dir)?;
    let api = match codegen::compile(&sources) {
        Ok(api) => api,
        Err(diagnostics) => bail!("{diagnostics}"),
    };
    let mut upstream = Vec::with_capacity(files.len());
    for path in files {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let doc: openapiv3::OpenAPI = serde_yaml::from_str(&text)
            .with_context(|| format!("{} is not an OpenAPI 3.0 file", path.display()))?;
        let server = doc
            .servers
            .first()
            .map(|s| s.url.trim_end_matches('/').to_owned())
            .unwrap_or_default();
        let Some(version) = api.versions.iter().find(|v| server.ends_with(&v.prefix)) else {
            let prefixes: Vec<&str> = api.versions.iter().map(|v| v.prefix.as_str()).collect();
            bail!(
                "{}: its server URL `{server}` ends with none of the spec's prefixes {prefixes:?}",
                path.display()
            );
        };
        upstream.push(UpstreamFile {
            name: path.display().to_string(),
            version: version.name.clone(),
            doc,
        });
    }
    let groups = compare::compare(&api, &upstream);
    Ok(Report {
        files: upstream
            .iter()
            .map(|f| format!("{} ({})", f.name, f.version))
            .collect(),
        groups,
    })
}

/// `cargo xtask upstream FILE...`: prints the report of the repository's spec, and fails
/// when the spec does not acknowledge a difference.
pub fn run(files: &[PathBuf]) -> Result<()> {
    if files.is_empty() {
        bail!("name Pipedrive's OpenAPI files: cargo xtask upstream v1.yaml v2.yaml");
    }
    let report = report(&crate::root().join("spec"), files)?;
    println!("{report}");
    if report.unacknowledged() > 0 {
        bail!(
            "{} differences are not acknowledged: bring the spec in line, or give the reason with `upstream:` beside the entry",
            report.unacknowledged()
        );
    }
    Ok(())
}
