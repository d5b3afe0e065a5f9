//! Names: words of identifiers, the dialect's cases, singular nouns, and the method name
//! a draft suggests for an operation.

/// The words of an identifier: split at anything not a letter or digit and at camel
/// humps (`getDealsProducts` → `get`, `Deals`, `Products`; `OAuthToken` → `O`, `Auth`,
/// `Token`; `deal_id` → `deal`, `id`).
pub(super) fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some(&previous) = current.chars().last().as_ref() {
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let hump = c.is_uppercase()
                && (previous.is_lowercase()
                    || previous.is_ascii_digit()
                    || (previous.is_uppercase() && next_lower));
            if hump {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `snake_case`: `DealProducts` → `deal_products`.
pub(super) fn snake(text: &str) -> String {
    words(text)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `UpperCamelCase`: `deal_products` → `DealProducts`, `ID` → `Id`.
pub(super) fn camel(text: &str) -> String {
    words(text).iter().map(|w| capitalized(w)).collect()
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// The singular of an English noun, by the few rules Pipedrive's names need
/// (`Activities` → `Activity`, `Statuses` → `Status`, `Persons` → `Person`).
pub(super) fn singular(word: &str) -> String {
    let lower = word.to_lowercase();
    let cut = |n: usize, add: &str| format!("{}{add}", &word[..word.len() - n]);
    if lower.ends_with("ies") && word.len() > 4 {
        cut(3, if word.ends_with("IES") { "Y" } else { "y" })
    } else if ["sses", "uses", "xes", "ches", "shes"]
        .iter()
        .any(|end| lower.ends_with(end))
    {
        cut(2, "")
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && word.len() > 1
    {
        cut(1, "")
    } else {
        word.to_owned()
    }
}

/// `UpperCamelCase` of `text` with its last word singular (`DealProducts` → `DealProduct`).
pub(super) fn singular_camel(text: &str) -> String {
    let mut words = words(text);
    if let Some(last) = words.last_mut() {
        *last = singular(last);
    }
    words.iter().map(|w| capitalized(w)).collect()
}

/// Whether `text` is a `snake_case` Rust identifier.
pub(super) fn is_snake_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !text.ends_with('_')
        && !text.contains("__")
}

/// Why the generator refuses a field or parameter named `wire`, if it does: names its
/// generated code takes (codegen/src/validate/names.rs).
pub(super) fn reserved(wire: &str, parameter: bool) -> Option<&'static str> {
    let rust = snake(wire);
    match rust.as_str() {
        "extra" if !parameter => Some("the generator's map of unlisted keys"),
        "new" if !parameter => Some("the generator's constructor"),
        "all_items" | "body" | "client" | "pages" | "send" if parameter => {
            Some("a method of the generator's request builder")
        }
        _ => None,
    }
}

/// What an operation does to the resource's own collection, when its id and path say
/// so plainly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Crud {
    /// `GET /things`.
    List,
    /// `GET /things/{id}`.
    Get,
    /// `POST /things`.
    Add,
    /// `PATCH` or `PUT /things/{id}`.
    Update,
    /// `DELETE /things/{id}`.
    Delete,
}

impl Crud {
    /// The method name.
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::List => "list",
            Self::Get => "get",
            Self::Add => "add",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }
}

/// The method name a draft suggests for an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MethodName {
    /// The suggested `snake_case` name.
    pub name: String,
    /// Set when the id and path plainly say which CRUD operation of the resource's own
    /// collection it is; such a name needs no review.
    pub crud: Option<Crud>,
    /// The operation id's verb (`get`, `add`, `search`).
    pub verb: String,
    /// The operation id's words without the verb (`Deal`, `Followers`).
    pub rest: Vec<String>,
}

/// The resource's noun, as its tag spells it: `DealProducts` has the words `Deal`,
/// `Products`.
#[derive(Debug, Clone)]
pub(super) struct Noun {
    words: Vec<String>,
}

impl Noun {
    /// The noun of a tag.
    pub(super) fn of(tag: &str) -> Self {
        Self { words: words(tag) }
    }

    /// `UpperCamelCase` singular: `DealProduct`.
    pub(super) fn singular(&self) -> String {
        singular_camel(&self.words.join(" "))
    }

    /// Suggests a method name for an operation of this resource.
    pub(super) fn method_name(&self, operation_id: &str, method: &str, path: &str) -> MethodName {
        let all = words(operation_id);
        let verb = all.first().map(|w| w.to_lowercase()).unwrap_or_default();
        let rest: Vec<String> = all.iter().skip(1).cloned().collect();
        let on_item = path.trim_end_matches('/').ends_with('}');
        let same = |a: &[String], b: &[String]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
        };
        let plural_words = &self.words;
        let singular_words: Vec<String> = {
            let mut w = self.words.clone();
            if let Some(last) = w.last_mut() {
                *last = singular(last);
            }
            w
        };
        let crud = match (verb.as_str(), method) {
            ("get", "GET") if !on_item && same(&rest, plural_words) => Some(Crud::List),
            ("get", "GET") if on_item && same(&rest, &singular_words) => Some(Crud::Get),
            ("add" | "create", "POST") if !on_item && same(&rest, &singular_words) => {
                Some(Crud::Add)
            }
            ("update", "PATCH" | "PUT") if on_item && same(&rest, &singular_words) => {
                Some(Crud::Update)
            }
            ("delete", "DELETE") if on_item && same(&rest, &singular_words) => Some(Crud::Delete),
            _ => None,
        };
        let name = match crud {
            Some(crud) => crud.name().to_owned(),
            None => self.derived(&verb, &rest, method),
        };
        let name = if is_snake_identifier(&name) {
            name
        } else if is_snake_identifier(&snake(operation_id)) {
            snake(operation_id)
        } else {
            format!("op_{}", snake(operation_id))
        };
        MethodName {
            name,
            crud,
            verb,
            rest,
        }
    }

    /// A name from the operation id without the resource's noun (or the longest part of
    /// it that the id has): `getDealFollowers` → `followers`, `searchDeals` → `search`,
    /// `deleteManyDealProducts` → `delete_many`.
    fn derived(&self, verb: &str, rest: &[String], method: &str) -> String {
        let key = |w: &str| singular(w).to_lowercase();
        let rest_keys: Vec<String> = rest.iter().map(|w| key(w)).collect();
        let noun_keys: Vec<String> = self.words.iter().map(|w| key(w)).collect();
        let mut found = None;
        'search: for len in (1..=noun_keys.len()).rev() {
            for start in 0..=noun_keys.len() - len {
                let part = &noun_keys[start..start + len];
                if let Some(at) = rest_keys.windows(len).position(|w| w == part) {
                    found = Some((at, len));
                    break 'search;
                }
            }
        }
        let (remaining, matched_last): (Vec<&String>, Option<&String>) = match found {
            Some((at, len)) => (
                rest.iter()
                    .enumerate()
                    .filter(|(i, _)| *i < at || *i >= at + len)
                    .map(|(_, w)| w)
                    .collect(),
                rest.get(at + len - 1),
            ),
            None => (rest.iter().collect(), None),
        };
        let verb = match (verb, method) {
            ("post" | "create", "POST") => "add",
            ("patch" | "put", _) => "update",
            ("remove", _) => "delete",
            (verb, _) => verb,
        };
        if remaining.is_empty() {
            let plural = matched_last.is_some_and(|w| singular(w) != *w);
            return match (verb, method) {
                ("get", "GET") if plural => "list".to_owned(),
                (verb, _) => verb.to_owned(),
            };
        }
        let tail: Vec<String> = remaining.iter().map(|w| w.to_lowercase()).collect();
        if verb == "get" && method == "GET" {
            tail.join("_")
        } else {
            format!("{verb}_{}", tail.join("_"))
        }
    }
}

/// A schema name from a title Pipedrive gave, cleaned: `UpperCamelCase`, without the
/// `Request`/`Response` wrapping words (`addDealProductRequest` → `AddDealProduct`,
/// `UpsertPipelineResponseData` → `UpsertPipeline`). `None` when nothing is left.
pub(super) fn clean_title(title: &str) -> Option<String> {
    let mut name = camel(title);
    for suffix in ["RequestBody", "ResponseData", "Request", "Response"] {
        if let Some(stripped) = name.strip_suffix(suffix) {
            name = stripped.to_owned();
            break;
        }
    }
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    valid.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_humps_and_separators() {
        assert_eq!(words("getDealsProducts"), ["get", "Deals", "Products"]);
        assert_eq!(words("OAuthToken"), ["O", "Auth", "Token"]);
        assert_eq!(words("deal_id"), ["deal", "id"]);
        assert_eq!(words("getV2Items"), ["get", "V2", "Items"]);
        assert_eq!(snake("DealProducts"), "deal_products");
        assert_eq!(camel("include_fields"), "IncludeFields");
        assert_eq!(camel("ID"), "Id");
    }

    #[test]
    fn singulars() {
        for (plural, one) in [
            ("Activities", "Activity"),
            ("Persons", "Person"),
            ("Statuses", "Status"),
            ("Boxes", "Box"),
            ("Address", "Address"),
            ("Status", "Status"),
            ("Search", "Search"),
            ("fields", "field"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
        assert_eq!(Noun::of("DealProducts").singular(), "DealProduct");
        assert_eq!(Noun::of("ItemSearch").singular(), "ItemSearch");
    }

    fn name(tag: &str, id: &str, method: &str, path: &str) -> (String, bool) {
        let m = Noun::of(tag).method_name(id, method, path);
        (m.name, m.crud.is_some())
    }

    #[test]
    fn crud_names_are_obvious_and_others_derived() {
        let o = |s: &str| (s.to_owned(), true);
        let d = |s: &str| (s.to_owned(), false);
        assert_eq!(name("Deals", "getDeals", "GET", "/deals"), o("list"));
        assert_eq!(name("Deals", "getDeal", "GET", "/deals/{id}"), o("get"));
        assert_eq!(name("Deals", "addDeal", "POST", "/deals"), o("add"));
        assert_eq!(
            name("Deals", "updateDeal", "PATCH", "/deals/{id}"),
            o("update")
        );
        assert_eq!(
            name("Deals", "deleteDeal", "DELETE", "/deals/{id}"),
            o("delete")
        );
        assert_eq!(
            name("Deals", "getDealFollowers", "GET", "/deals/{id}/followers"),
            d("followers")
        );
        assert_eq!(
            name("Deals", "addDealFollower", "POST", "/deals/{id}/followers"),
            d("add_follower")
        );
        assert_eq!(
            name("Deals", "searchDeals", "GET", "/deals/search"),
            d("search")
        );
        assert_eq!(
            name("Deals", "getArchivedDeals", "GET", "/deals/archived"),
            d("archived")
        );
        assert_eq!(
            name(
                "DealProducts",
                "getDealProducts",
                "GET",
                "/deals/{id}/products"
            ),
            o("list")
        );
        assert_eq!(
            name(
                "DealProducts",
                "deleteManyDealProducts",
                "DELETE",
                "/deals/{id}/products"
            ),
            d("delete_many")
        );
        assert_eq!(
            name("DealProducts", "getDealsProducts", "GET", "/deals/products"),
            d("list")
        );
        assert_eq!(
            name(
                "DealInstallments",
                "postInstallment",
                "POST",
                "/deals/{id}/installments"
            ),
            d("add")
        );
        assert_eq!(
            name(
                "ItemSearch",
                "searchItemByField",
                "GET",
                "/itemSearch/field"
            ),
            d("search_by_field")
        );
        assert_eq!(
            name(
                "Deals",
                "convertDealToLead",
                "POST",
                "/deals/{id}/convert/lead"
            ),
            d("convert_to_lead")
        );
        assert_eq!(name("Widgets", "9lives", "GET", "/x"), d("op_9lives"));
    }

    #[test]
    fn titles_are_cleaned() {
        assert_eq!(
            clean_title("addDealProductRequest").as_deref(),
            Some("AddDealProduct")
        );
        assert_eq!(
            clean_title("UpsertPipelineResponseData").as_deref(),
            Some("UpsertPipeline")
        );
        assert_eq!(clean_title("StageItem").as_deref(), Some("StageItem"));
        assert_eq!(clean_title("Response"), None);
        assert_eq!(clean_title("1 thing"), None);
    }
}
