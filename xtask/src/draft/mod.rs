//! `cargo xtask draft <openapi.yaml> <Tag> [--name <resource>] [--out <path>]`: a first
//! version of a resource file of the spec, drafted from Pipedrive's OpenAPI file for a
//! person to curate.
//!
//! Every operation tagged `<Tag>` becomes an operation of the dialect (spec/README.md),
//! every object, enum and scalar union it uses a named schema, and every guess the draft
//! makes is marked with a `# REVIEW:` comment on the line above the entry it concerns.
//! The draft is written to `spec/<resource>.yaml` (or `--out`), never over an existing
//! file, and nothing is written on any error.
//!
//! The modules: `openapi` reads the file (references resolved with the upstream report's
//! reader, `allOf` merged), `names` and `guess` hold the naming rules and the guesses
//! from prose, `schemas` drafts types and `named` the named schemas, `operations`,
//! `parameters` and `payloads` the operations, `render` the schemas' entries, and
//! `write` the YAML text with its comments.

mod guess;
mod named;
mod names;
mod openapi;
mod operations;
mod parameters;
mod payloads;
mod render;
mod schemas;
mod write;

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use names::{Noun, is_snake_identifier, snake};
use operations::Operations;
use schemas::{Schemas, described};
use write::{Entry, Node, text};

/// Why a draft was not made or not written.
#[derive(Debug)]
pub enum DraftError {
    /// The command line is not `draft <openapi.yaml> <Tag> [--name N] [--out P]`.
    Usage(String),
    /// The OpenAPI file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not an OpenAPI 3.0 document `openapiv3` can read.
    NotOpenApi {
        /// The file, as the caller named it.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// The file's server URL does not end with a version (`/v1`, `/api/v2`).
    NoVersion {
        /// The server URL, or nothing.
        url: String,
    },
    /// No operation carries the tag.
    NoOperations {
        /// The tag asked for.
        tag: String,
        /// The tags the file's operations do carry.
        tags: Vec<String>,
    },
    /// `--name` is not a `snake_case` identifier.
    BadName(String),
    /// The output file exists; a draft never replaces a file.
    Exists(PathBuf),
    /// The output file could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The draft does not read back as YAML: a bug of the drafter.
    Internal(String),
}

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(message) => write!(
                f,
                "{message}\nusage: cargo xtask draft <openapi.yaml> <Tag> [--name <resource_name>] [--out <path>]"
            ),
            Self::Read { path, source } => write!(f, "reading {}: {source}", path.display()),
            Self::NotOpenApi { file, message } => {
                write!(f, "{file} is not an OpenAPI 3.0 file: {message}")
            }
            Self::NoVersion { url } => write!(
                f,
                "the file's server URL `{url}` does not end with a version such as `/v1` or `/api/v2`"
            ),
            Self::NoOperations { tag, tags } => write!(
                f,
                "no operation is tagged `{tag}`; the file's tags are: {}",
                tags.join(", ")
            ),
            Self::BadName(name) => write!(
                f,
                "`{name}` is not a snake_case resource name (lower-case letters, digits and `_`)"
            ),
            Self::Exists(path) => write!(
                f,
                "{} already exists; a draft never replaces a file: curate that one, or draft to another path with --out",
                path.display()
            ),
            Self::Write { path, source } => write!(f, "writing {}: {source}", path.display()),
            Self::Internal(message) => write!(f, "the draft is not valid YAML (a bug): {message}"),
        }
    }
}

impl std::error::Error for DraftError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Read { source, .. } | Self::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A draft, not yet written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The resource name (`deal_products`).
    pub resource: String,
    /// The text of the resource file.
    pub text: String,
    /// How many operations it has.
    pub operations: usize,
    /// How many named schemas.
    pub schemas: usize,
    /// How many `# REVIEW:` comments.
    pub reviews: usize,
}

/// Drafts the resource of `tag` from the text of an OpenAPI file; `file` is how the
/// draft's header names the file. `name` overrides the resource name (the tag in
/// `snake_case`).
pub fn draft(
    file: &str,
    openapi: &str,
    tag: &str,
    name: Option<&str>,
) -> Result<Draft, DraftError> {
    let resource = match name {
        Some(name) if is_snake_identifier(name) => name.to_owned(),
        Some(name) => return Err(DraftError::BadName(name.to_owned())),
        None => snake(tag),
    };
    if !is_snake_identifier(&resource) {
        return Err(DraftError::BadName(resource));
    }
    let doc: openapiv3::OpenAPI =
        serde_yaml::from_str(openapi).map_err(|error| DraftError::NotOpenApi {
            file: file.to_owned(),
            message: error.to_string(),
        })?;
    let url = doc
        .servers
        .first()
        .map(|s| s.url.clone())
        .unwrap_or_default();
    let (prefix, version) = server(&url).ok_or(DraftError::NoVersion { url })?;
    let order = openapi::method_order(openapi);
    let tagged = openapi::tagged(&doc, &order, tag);
    if tagged.is_empty() {
        let tags: BTreeSet<&str> = doc
            .operations()
            .flat_map(|(_, _, op)| op.tags.iter().map(String::as_str))
            .collect();
        return Err(DraftError::NoOperations {
            tag: tag.to_owned(),
            tags: tags.into_iter().map(str::to_owned).collect(),
        });
    }
    let noun = Noun::of(tag);
    let mut drafter = Operations {
        doc: &doc,
        schemas: Schemas::new(openapi::Reader::new(&doc), &version),
        noun: noun.clone(),
        version: version.clone(),
        prefix,
    };

    // Method names: the obvious CRUD names first, then the derived ones, so that a
    // derived name never takes an obvious one's place.
    let ids: Vec<(String, Vec<String>)> = tagged
        .iter()
        .map(|op| match &op.operation.operation_id {
            Some(id) => (id.clone(), Vec::new()),
            None => (
                format!("{}{}", op.method.to_lowercase(), names::camel(op.path)),
                vec!["Pipedrive's file gives no operationId; this one is made up from the method and path".to_owned()],
            ),
        })
        .collect();
    let methods: Vec<names::MethodName> = tagged
        .iter()
        .zip(&ids)
        .map(|(op, (id, _))| noun.method_name(id, &op.method, op.path))
        .collect();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut chosen: Vec<Option<(String, Vec<String>)>> = vec![None; methods.len()];
    for (i, method) in methods.iter().enumerate() {
        if method.crud.is_some() && taken.insert(method.name.clone()) {
            chosen[i] = Some((method.name.clone(), Vec::new()));
        }
    }
    for (i, method) in methods.iter().enumerate() {
        if chosen[i].is_some() {
            continue;
        }
        let id = &ids[i].0;
        let mut name = method.name.clone();
        let mut reviews = vec![format!("method name derived from `{id}`: check it")];
        if taken.contains(&name) {
            let original = name.clone();
            name = snake(id);
            let mut n = 2;
            while taken.contains(&name) || !is_snake_identifier(&name) {
                name = format!("{}_{n}", snake(id));
                n += 1;
            }
            reviews = vec![format!(
                "method name `{original}` is another operation's; drafted `{name}` from `{id}`: choose one"
            )];
        }
        taken.insert(name.clone());
        chosen[i] = Some((name, reviews));
    }

    // The collection's own operations are drafted first, so that their schemas get the
    // obvious names (`Deal`, not a name derived from another operation); the file keeps
    // the operations in the OpenAPI file's order, and the schemas in first-use order.
    let mut drafting: Vec<usize> = (0..tagged.len()).collect();
    drafting.sort_by_key(|&i| methods[i].crud.is_none());
    let mut drafted: Vec<Option<Entry>> = vec![None; tagged.len()];
    for i in drafting {
        let (name, mut reviews) = chosen[i].clone().unwrap_or_default();
        reviews.extend(ids[i].1.iter().cloned());
        drafted[i] = Some(drafter.operation(&ids[i].0, &tagged[i], &methods[i], &name, reviews));
    }
    let mut operations: Vec<Entry> = drafted.into_iter().flatten().collect();
    if let Some(first) = operations.first_mut() {
        first.gap = false;
    }
    let named = render::first_use_order(drafter.schemas.into_named(), &operations);
    let schema_count = named.len();

    let tag_description = doc
        .tags
        .iter()
        .find(|t| t.name == tag)
        .and_then(|t| t.description.as_deref());
    let (description, description_reviews) = described(tag_description);
    let mut entries = vec![
        Entry::new(
            "resource",
            Node::Block(vec![
                Entry::new("name", text(&resource)),
                Entry::new("description", text(description)).reviewed(description_reviews),
            ]),
        ),
        Entry {
            gap: true,
            ..Entry::new("operations", Node::Block(operations))
        },
    ];
    if !named.is_empty() {
        entries.push(Entry {
            gap: true,
            ..Entry::new("schemas", Node::Block(render::schemas(named)))
        });
    }
    let header = vec![
        format!(
            "Drafted by `cargo xtask draft` from {file} ({} {}), tag `{tag}`.",
            doc.info.title, doc.info.version
        ),
        "A first version for a person to curate (spec/README.md, \"Curating a resource\"):"
            .to_owned(),
        "every guess is marked REVIEW on the line above it. Resolve each, then delete this header."
            .to_owned(),
    ];
    let text = write::document(&header, &entries);
    serde_yaml::from_str::<serde_yaml::Value>(&text)
        .map_err(|error| DraftError::Internal(error.to_string()))?;
    Ok(Draft {
        resource,
        operations: tagged.len(),
        schemas: schema_count,
        reviews: write::count_reviews(&entries),
        text,
    })
}

/// The path of the server URL and the version it ends with: `https://x/api/v2` →
/// (`/api/v2`, `v2`).
fn server(url: &str) -> Option<(String, String)> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("", |at| &after_scheme[at..])
        .trim_end_matches('/');
    let last = path.rsplit('/').next()?;
    let is_version =
        last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit());
    is_version.then(|| (path.to_owned(), last.to_owned()))
}

/// Drafts from the file at `openapi` and writes the draft to `out`, or to
/// `<spec_dir>/<resource>.yaml`; never over an existing file, and nothing on any error.
pub fn draft_to_file(
    openapi: &Path,
    tag: &str,
    name: Option<&str>,
    out: Option<&Path>,
    spec_dir: &Path,
) -> Result<(PathBuf, Draft), DraftError> {
    let text = fs::read_to_string(openapi).map_err(|source| DraftError::Read {
        path: openapi.to_owned(),
        source,
    })?;
    let file = openapi.file_name().map_or_else(
        || openapi.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    let draft = draft(&file, &text, tag, name)?;
    let path = match out {
        Some(out) => out.to_owned(),
        None => spec_dir.join(format!("{}.yaml", draft.resource)),
    };
    if path.exists() {
        return Err(DraftError::Exists(path));
    }
    // `create_new` refuses a file that appeared since: never replace one.
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => DraftError::Exists(path.clone()),
            _ => DraftError::Write {
                path: path.clone(),
                source,
            },
        })?;
    if let Err(source) = file
        .write_all(draft.text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        drop(file);
        let _ = fs::remove_file(&path);
        return Err(DraftError::Write { path, source });
    }
    Ok((path, draft))
}

/// `cargo xtask draft ...` with its arguments (after `draft`): writes the draft into the
/// repository's `spec/` unless `--out` says otherwise, and says what it wrote.
pub fn run(args: &[&str]) -> Result<(), DraftError> {
    let mut positional = Vec::new();
    let mut name = None;
    let mut out = None;
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--name" | "--out" => {
                let value = args
                    .next()
                    .ok_or_else(|| DraftError::Usage(format!("`{arg}` needs a value")))?;
                let slot = if arg == "--name" { &mut name } else { &mut out };
                if slot.replace(*value).is_some() {
                    return Err(DraftError::Usage(format!("`{arg}` is given twice")));
                }
            }
            flag if flag.starts_with("--") => {
                return Err(DraftError::Usage(format!("unknown option `{flag}`")));
            }
            value => positional.push(value),
        }
    }
    let [openapi, tag] = positional[..] else {
        return Err(DraftError::Usage(
            "name the OpenAPI file and the tag".to_owned(),
        ));
    };
    let (path, draft) = draft_to_file(
        Path::new(openapi),
        tag,
        name,
        out.map(Path::new),
        &crate::root().join("spec"),
    )?;
    println!(
        "wrote {}: resource `{}`, {} operations, {} schemas, {} REVIEW comments to resolve",
        path.display(),
        draft.resource,
        draft.operations,
        draft.schemas,
        draft.reviews
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_server_urls_last_segment() {
        assert_eq!(
            server("https://api.pipedrive.com/api/v2"),
            Some(("/api/v2".to_owned(), "v2".to_owned()))
        );
        assert_eq!(
            server("https://api.pipedrive.com/v1/"),
            Some(("/v1".to_owned(), "v1".to_owned()))
        );
        assert_eq!(server("https://api.pipedrive.com"), None);
        assert_eq!(server("https://api.pipedrive.com/api/vx"), None);
    }

    #[test]
    fn usage_errors_name_the_problem() {
        for (args, expected) in [
            (&["x.yaml"][..], "name the OpenAPI file and the tag"),
            (&["x.yaml", "Deals", "--name"][..], "`--name` needs a value"),
            (
                &["x.yaml", "Deals", "--force"][..],
                "unknown option `--force`",
            ),
            (
                &["x.yaml", "Deals", "--out", "a", "--out", "b"][..],
                "`--out` is given twice",
            ),
        ] {
            let error = run(args).expect_err("a usage error");
            assert!(error.to_string().contains(expected), "{error}");
        }
    }
}
