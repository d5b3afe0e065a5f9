//! Multipart bodies: what an upload's generated `Form` impl writes, and the
//! `reqwest` form each attempt sends.

use std::fmt::Display;
use std::sync::Arc;

use super::file::{File, Payload};

/// A request body sent as `multipart/form-data`: an upload's model writes its fields.
pub(crate) trait Form {
    /// Writes each field that is set.
    fn form(&self, form: &mut FormWriter);
}

/// The parts of a multipart body, in order.
#[derive(Debug, Default)]
pub(crate) struct FormWriter {
    parts: Vec<(&'static str, Part)>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    File(File),
}

impl FormWriter {
    /// A text part: a value as its `Display` writes it.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn text(&mut self, name: &'static str, value: impl Display) {
        self.parts.push((name, Part::Text(value.to_string())));
    }

    /// A file part.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn file(&mut self, name: &'static str, file: &File) {
        self.parts.push((name, Part::File(file.clone())));
    }

    pub(crate) fn finish(self) -> Parts {
        Parts(Arc::new(self.parts))
    }
}

/// A multipart body's parts, shared by the attempts of a call.
#[derive(Debug, Clone)]
pub(crate) struct Parts(Arc<Vec<(&'static str, Part)>>);

impl Parts {
    /// The form one attempt sends; `Err` names a file read from a stream that an earlier
    /// attempt took, which cannot be sent again.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Form, String> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in self.0.iter() {
            let part = match part {
                Part::Text(text) => reqwest::multipart::Part::text(text.clone()),
                Part::File(file) => {
                    let body = match file.take() {
                        Some(Payload::Bytes(bytes)) => reqwest::Body::from(bytes),
                        Some(Payload::Stream(stream)) => reqwest::Body::wrap_stream(stream),
                        None => {
                            return Err(format!(
                                "the file `{}` of part `{name}` is read from a stream, which was sent once already",
                                file.name()
                            ));
                        }
                    };
                    reqwest::multipart::Part::stream(body)
                        .file_name(file.name().to_owned())
                        .mime_str(file.content_type())
                        .map_err(|_| {
                            format!(
                                "the content type `{}` of the file `{}` is not a media type",
                                file.content_type().escape_debug(),
                                file.name()
                            )
                        })?
                }
            };
            form = form.part(*name, part);
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_file_is_sent_once_and_bytes_every_time() {
        let mut writer = FormWriter::default();
        writer.text("name", 5);
        writer.file("data", &File::from_bytes("a.png", "image/png", vec![1, 2]));
        let parts = writer.finish();
        assert!(parts.to_reqwest().is_ok());
        assert!(parts.to_reqwest().is_ok(), "bytes are sent again");
        let mut writer = FormWriter::default();
        writer.file(
            "data",
            &File::from_stream("b.png", "image/png", futures::stream::empty()),
        );
        let parts = writer.finish();
        assert!(parts.to_reqwest().is_ok());
        let again = parts.to_reqwest().unwrap_err();
        assert!(again.contains("sent once already"), "{again}");
        let mut writer = FormWriter::default();
        writer.file("data", &File::from_bytes("c", "not a type\n", vec![]));
        assert!(
            writer
                .finish()
                .to_reqwest()
                .unwrap_err()
                .contains("not a media type")
        );
    }

    #[test]
    fn parts_are_kept_in_the_order_written_with_text_as_display_writes_it() {
        let mut writer = FormWriter::default();
        writer.text("count", 5);
        writer.file("data", &File::from_bytes("a.png", "image/png", vec![1]));
        writer.text("note", "x y");
        let parts = writer.finish();
        let written: Vec<(&str, String)> = parts
            .0
            .iter()
            .map(|(name, part)| {
                let shown = match part {
                    Part::Text(text) => text.clone(),
                    Part::File(file) => format!("file {}", file.name()),
                };
                (*name, shown)
            })
            .collect();
        assert_eq!(
            written,
            [
                ("count", "5".to_owned()),
                ("data", "file a.png".to_owned()),
                ("note", "x y".to_owned())
            ]
        );
    }
}
