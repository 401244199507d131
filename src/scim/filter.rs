//! SCIM 2.0 filters and PATCH attribute paths (RFC 7644 §3.4.2.2 and §3.5.2).
//!
//! [`parse_filter`] turns filter text such as `userName eq "bjensen" and emails[type eq "work"]` into a
//! [`Filter`] tree, [`parse_path`] turns a PATCH `path` into a [`PatchPath`], and [`matches()`] evaluates a
//! filter against a resource rendered as SCIM JSON. Everything here is pure: no I/O and no state.
//!
//! Parsing takes time linear in the input, rejects text longer than [`MAX_LEN`] bytes or nested deeper
//! than [`MAX_DEPTH`] levels, and never panics. Evaluation never panics either: JSON of an unexpected
//! shape simply does not match.
//!
//! Schema URNs: `urn:…:2.0:User:employeeNumber` is the attribute `employeeNumber` of that schema. A bare
//! schema URN (its last segment follows a version segment starting with a digit, as in
//! `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`) is read as a complex attribute named by
//! the whole URN, which is how an extension appears in SCIM JSON. The words `and`, `or` and `not` are
//! reserved and cannot be used as attribute names.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use chrono::DateTime;
use serde_json::{Number, Value};

/// Longest filter or path text accepted, in bytes.
pub const MAX_LEN: usize = 4096;

/// Deepest nesting of parentheses and `not (…)` accepted in a filter.
pub const MAX_DEPTH: usize = 32;

const INVALID_FILTER: &str = "invalidFilter";
const INVALID_PATH: &str = "invalidPath";
const CORE_URN_PREFIX: &str = "urn:ietf:params:scim:schemas:core:";

/// Error with a SCIM `scimType` ("invalidFilter" for filters, "invalidPath" for paths) and a human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// `invalidFilter` for filters, `invalidPath` for PATCH paths.
    pub scim_type: &'static str,
    /// What is wrong and at which character offset.
    pub detail: String,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.scim_type, self.detail)
    }
}

impl std::error::Error for FilterError {}

/// An attribute path: optional schema URN, attribute name, optional sub-attribute. Names keep the case
/// they were written in; comparisons are case-insensitive.
///
/// A bare schema URN is represented as `urn: None` with the whole URN as `attr` (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// Schema URN prefix, without the colon that separates it from the attribute name.
    pub urn: Option<String>,
    /// Attribute name.
    pub attr: String,
    /// Sub-attribute name (the part after `.`).
    pub sub_attr: Option<String>,
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.attr)?;
        if let Some(sub) = &self.sub_attr {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `co`: contains.
    Co,
    /// `sw`: starts with.
    Sw,
    /// `ew`: ends with.
    Ew,
    /// `gt`: greater than.
    Gt,
    /// `ge`: greater than or equal.
    Ge,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal.
    Le,
}

impl CompareOp {
    /// The operator named by `word`, case-insensitively.
    fn from_word(word: &str) -> Option<Self> {
        const OPS: [(&str, CompareOp); 9] = [
            ("eq", CompareOp::Eq),
            ("ne", CompareOp::Ne),
            ("co", CompareOp::Co),
            ("sw", CompareOp::Sw),
            ("ew", CompareOp::Ew),
            ("gt", CompareOp::Gt),
            ("ge", CompareOp::Ge),
            ("lt", CompareOp::Lt),
            ("le", CompareOp::Le),
        ];
        OPS.iter()
            .find(|(name, _)| word.eq_ignore_ascii_case(name))
            .map(|&(_, op)| op)
    }

    /// Whether `value <op> literal` holds when comparing them gives `ordering`.
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Self::Eq => ordering.is_eq(),
            Self::Ne => ordering.is_ne(),
            Self::Gt => ordering.is_gt(),
            Self::Ge => ordering.is_ge(),
            Self::Lt => ordering.is_lt(),
            Self::Le => ordering.is_le(),
            Self::Co | Self::Sw | Self::Ew => false,
        }
    }
}

/// A comparison value from the filter text.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A JSON string, escapes decoded.
    Str(String),
    /// A JSON number.
    Num(Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// A parsed SCIM filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `path op value`.
    Compare {
        /// The attribute compared.
        path: AttrPath,
        /// The operator.
        op: CompareOp,
        /// The value compared against.
        value: Literal,
    },
    /// `path pr`: the attribute has a non-empty value.
    Present(AttrPath),
    /// Both filters match.
    And(Box<Filter>, Box<Filter>),
    /// Either filter matches.
    Or(Box<Filter>, Box<Filter>),
    /// The filter does not match.
    Not(Box<Filter>),
    /// `emails[type eq "work" and value co "@x"]` — a filter applied to each value of a multi-valued
    /// complex attribute; sub-paths inside are relative to the element.
    ValuePath {
        /// The multi-valued attribute.
        path: AttrPath,
        /// The filter each element is tested against.
        filter: Box<Filter>,
    },
}

/// A PATCH `path`: `attrPath`, `attrPath[valFilter]`, or `attrPath[valFilter].subAttr`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    /// The attribute targeted.
    pub attr: AttrPath,
    /// The filter selecting values of a multi-valued attribute, from `[…]`.
    pub value_filter: Option<Filter>,
    /// The sub-attribute after `[…]`, as in `emails[type eq "work"].value`.
    pub sub_attr: Option<String>,
}

/// Parses a filter (RFC 7644 §3.4.2.2). Errors have `scim_type` "invalidFilter".
pub fn parse_filter(text: &str) -> Result<Filter, FilterError> {
    let mut parser = Parser::new(text, INVALID_FILTER)?;
    if text.trim().is_empty() {
        return Err(parser.error(0, "empty filter"));
    }
    let filter = parser.or_expr()?;
    parser.skip_ws();
    if !parser.at_end() {
        return Err(parser.unexpected("'and', 'or' or end of filter"));
    }
    Ok(filter)
}

/// Parses a PATCH operation `path` (RFC 7644 §3.5.2). Errors have `scim_type` "invalidPath", including
/// syntax errors inside the value filter.
pub fn parse_path(text: &str) -> Result<PatchPath, FilterError> {
    let mut parser = Parser::new(text, INVALID_PATH)?;
    if text.is_empty() {
        return Err(parser.error(0, "empty path"));
    }
    let attr = parser.attr_path()?;
    let mut value_filter = None;
    let mut sub_attr = None;
    if parser.eat(b'[') {
        value_filter = Some(parser.bracketed()?);
        if parser.eat(b'.') {
            let (at, name) = parser.word();
            if !is_attr_name(name) {
                return Err(parser.error(at, format_args!("invalid sub-attribute name '{name}'")));
            }
            sub_attr = Some(name.to_owned());
        }
    }
    if !parser.at_end() {
        return Err(parser.unexpected("end of path"));
    }
    Ok(PatchPath {
        attr,
        value_filter,
        sub_attr,
    })
}

/// Recursive-descent parser over the filter or path text; positions are byte offsets.
struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
    in_brackets: bool,
    scim_type: &'static str,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, scim_type: &'static str) -> Result<Self, FilterError> {
        if src.len() > MAX_LEN {
            let detail = format!("longer than {MAX_LEN} bytes ({} bytes)", src.len());
            return Err(FilterError { scim_type, detail });
        }
        Ok(Self {
            src,
            pos: 0,
            depth: 0,
            in_brackets: false,
            scim_type,
        })
    }

    /// An error about the text at byte offset `at`, reported as a character offset.
    fn error(&self, at: usize, what: impl fmt::Display) -> FilterError {
        let offset = self.src.get(..at).map_or(at, |s| s.chars().count());
        FilterError {
            scim_type: self.scim_type,
            detail: format!("{what} at offset {offset}"),
        }
    }

    /// An error saying the text at the current position is not the `expected` thing.
    fn unexpected(&self, expected: &str) -> FilterError {
        let (_, word) = self.peek_word();
        let rest = self.src.get(self.pos..).unwrap_or("");
        match rest.chars().next() {
            None => self.error(self.pos, format_args!("expected {expected} but the text ended")),
            Some(_) if !word.is_empty() => {
                self.error(self.pos, format_args!("expected {expected}, found '{word}'"))
            }
            Some(c) => self.error(self.pos, format_args!("expected {expected}, found '{c}'")),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    /// Consumes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// Skips whitespace, then consumes `byte` or fails saying `what` was expected.
    fn require(&mut self, byte: u8, what: &str) -> Result<(), FilterError> {
        self.skip_ws();
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    /// The word at the current position (up to whitespace or one of `()[]"`), with its offset.
    fn peek_word(&self) -> (usize, &'a str) {
        let rest = self.src.get(self.pos..).unwrap_or("");
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || "()[]\"".contains(c))
            .unwrap_or(rest.len());
        (self.pos, rest.get(..end).unwrap_or(""))
    }

    /// Consumes and returns the word at the current position, which may be empty.
    fn word(&mut self) -> (usize, &'a str) {
        let (at, word) = self.peek_word();
        self.pos += word.len();
        (at, word)
    }

    /// Consumes `keyword` (case-insensitive) if it is the next word after optional whitespace.
    fn keyword(&mut self, keyword: &str) -> bool {
        let start = self.pos;
        self.skip_ws();
        let (_, word) = self.peek_word();
        if word.eq_ignore_ascii_case(keyword) {
            self.pos += word.len();
            true
        } else {
            self.pos = start;
            false
        }
    }

    /// `and_expr *("or" and_expr)`, left-associative.
    fn or_expr(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.and_expr()?;
        while self.keyword("or") {
            left = Filter::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    /// `term *("and" term)`, left-associative.
    fn and_expr(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.term()?;
        while self.keyword("and") {
            left = Filter::And(Box::new(left), Box::new(self.term()?));
        }
        Ok(left)
    }

    /// `"(" filter ")"`, `not "(" filter ")"`, `attrPath "[" valFilter "]"`, `attrPath pr` or
    /// `attrPath op value`.
    fn term(&mut self) -> Result<Filter, FilterError> {
        self.skip_ws();
        if self.eat(b'(') {
            return self.group();
        }
        if self.keyword("not") {
            self.skip_ws();
            if !self.eat(b'(') {
                return Err(self.unexpected("'(' after 'not'"));
            }
            return Ok(Filter::Not(Box::new(self.group()?)));
        }
        let path = self.attr_path()?;
        if self.eat(b'[') {
            return Ok(Filter::ValuePath {
                path,
                filter: Box::new(self.bracketed()?),
            });
        }
        self.skip_ws();
        let (at, word) = self.word();
        if word.eq_ignore_ascii_case("pr") {
            return Ok(Filter::Present(path));
        }
        let Some(op) = CompareOp::from_word(word) else {
            return Err(if word.is_empty() {
                self.unexpected("an operator")
            } else {
                self.error(at, format_args!("unknown operator '{word}'"))
            });
        };
        self.skip_ws();
        let value = self.literal()?;
        Ok(Filter::Compare { path, op, value })
    }

    /// The rest of a parenthesised filter, after its `(`.
    fn group(&mut self) -> Result<Filter, FilterError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(self.pos, format_args!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        let inner = self.or_expr()?;
        self.require(b')', "')'")?;
        self.depth -= 1;
        Ok(inner)
    }

    /// The rest of a value filter, after its `[`.
    fn bracketed(&mut self) -> Result<Filter, FilterError> {
        if self.in_brackets {
            return Err(self.error(self.pos, "'[' inside a value filter"));
        }
        self.in_brackets = true;
        let inner = self.or_expr()?;
        self.require(b']', "']'")?;
        self.in_brackets = false;
        Ok(inner)
    }

    /// `[URI ":"] ATTRNAME ["." ATTRNAME]`.
    fn attr_path(&mut self) -> Result<AttrPath, FilterError> {
        let (at, word) = self.word();
        if word.is_empty() {
            return Err(self.unexpected("an attribute path"));
        }
        if ["and", "or", "not"]
            .iter()
            .any(|reserved| word.eq_ignore_ascii_case(reserved))
        {
            return Err(self.error(at, format_args!("expected an attribute path, found '{word}'")));
        }
        let (urn, rest) = match split_urn(word) {
            Some((urn, rest)) if is_bare_urn(urn, rest) => {
                return Ok(AttrPath {
                    urn: None,
                    attr: word.to_owned(),
                    sub_attr: None,
                });
            }
            Some((urn, rest)) => (Some(urn), rest),
            None => (None, word),
        };
        let (attr, sub_attr) = match rest.split_once('.') {
            Some((attr, sub)) => (attr, Some(sub)),
            None => (rest, None),
        };
        let attr_at = at + word.len() - rest.len();
        if !is_attr_name(attr) {
            return Err(self.error(attr_at, format_args!("invalid attribute name '{attr}'")));
        }
        if let Some(sub) = sub_attr.filter(|sub| !is_attr_name(sub)) {
            let sub_at = attr_at + attr.len() + 1;
            return Err(self.error(sub_at, format_args!("invalid sub-attribute name '{sub}'")));
        }
        Ok(AttrPath {
            urn: urn.map(str::to_owned),
            attr: attr.to_owned(),
            sub_attr: sub_attr.map(str::to_owned),
        })
    }

    /// A quoted string, number, `true`, `false` or `null`.
    fn literal(&mut self) -> Result<Literal, FilterError> {
        if self.peek() == Some(b'"') {
            return self.string().map(Literal::Str);
        }
        let (at, word) = self.word();
        if word.is_empty() {
            Err(self.unexpected("a comparison value"))
        } else if word.eq_ignore_ascii_case("true") {
            Ok(Literal::Bool(true))
        } else if word.eq_ignore_ascii_case("false") {
            Ok(Literal::Bool(false))
        } else if word.eq_ignore_ascii_case("null") {
            Ok(Literal::Null)
        } else if word.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            serde_json::from_str(word)
                .map(Literal::Num)
                .map_err(|_| self.error(at, format_args!("invalid number '{word}'")))
        } else {
            Err(self.error(
                at,
                format_args!("invalid value '{word}' (strings must be quoted)"),
            ))
        }
    }

    /// A JSON string literal starting at the current `"`.
    fn string(&mut self) -> Result<String, FilterError> {
        let start = self.pos;
        let mut i = start + 1;
        while let Some(&byte) = self.src.as_bytes().get(i) {
            match byte {
                b'"' => {
                    self.pos = i + 1;
                    let token = self.src.get(start..=i).unwrap_or("");
                    return serde_json::from_str(token)
                        .map_err(|_| self.error(start, "invalid escape or control character in string"));
                }
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        Err(self.error(start, "unterminated string"))
    }
}

/// Splits `urn:…:name` at its last colon into the URN and the rest.
fn split_urn(word: &str) -> Option<(&str, &str)> {
    word.get(..4)
        .filter(|prefix| prefix.eq_ignore_ascii_case("urn:"))?;
    word.rsplit_once(':').filter(|(urn, _)| urn.len() > 4)
}

/// Whether `urn:rest` names a schema rather than an attribute: the URN's last segment is a version such
/// as `2.0` and `rest` a plain name such as `User`.
fn is_bare_urn(urn: &str, rest: &str) -> bool {
    let version = urn.rsplit(':').next().unwrap_or("");
    version.starts_with(|c: char| c.is_ascii_digit()) && is_attr_name(rest)
}

/// `ATTRNAME = ALPHA *("-" / "_" / DIGIT / ALPHA)`, also allowing a leading `$` for `$ref`.
fn is_attr_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Case sensitivity of string comparisons for an attribute, asked by the evaluator with the path
/// relative to the resource root (for values inside a ValuePath, the outer attr plus the inner name as
/// sub_attr).
pub trait Schema {
    /// Whether string comparisons on `path` are case-sensitive (`caseExact` in RFC 7643).
    fn case_exact(&self, path: &AttrPath) -> bool;
}

/// Evaluates a filter against a resource rendered as SCIM JSON (serde_json::Value object).
///
/// A multi-valued attribute matches if any value does; complex values are compared by their `value`
/// sub-attribute. `ne` matches a missing attribute. `eq null` means "not present" and `ne null` means
/// "present", as for `pr`: present is neither null, nor an empty string, array or object. Strings that
/// both parse as RFC 3339 date-times are compared as instants by every operator except `co`, `sw`, `ew`.
/// Values whose JSON type differs from the literal's only match `ne`.
pub fn matches(filter: &Filter, resource: &Value, schema: &dyn Schema) -> bool {
    eval(filter, resource, None, schema)
}

/// Evaluates `filter` on `root`, which is an element of the multi-valued attribute `outer` when
/// evaluating inside a value filter.
fn eval(filter: &Filter, root: &Value, outer: Option<&AttrPath>, schema: &dyn Schema) -> bool {
    match filter {
        Filter::Compare { path, op, value } => compare(root, path, outer, *op, value, schema),
        Filter::Present(path) => is_present(root, path),
        Filter::Not(inner) => !eval(inner, root, outer, schema),
        // Long `a and b and c …` chains nest to the left, so walk the left spine in a loop.
        Filter::And(..) => {
            let mut node = filter;
            while let Filter::And(left, right) = node {
                if !eval(right, root, outer, schema) {
                    return false;
                }
                node = left;
            }
            eval(node, root, outer, schema)
        }
        Filter::Or(..) => {
            let mut node = filter;
            while let Filter::Or(left, right) = node {
                if eval(right, root, outer, schema) {
                    return true;
                }
                node = left;
            }
            eval(node, root, outer, schema)
        }
        Filter::ValuePath { path, filter } => lookup(root, path)
            .into_iter()
            .flat_map(|value| match value {
                Value::Array(items) => items.as_slice(),
                other => std::slice::from_ref(other),
            })
            .filter(|element| element.is_object())
            .any(|element| eval(filter, element, Some(path), schema)),
    }
}

fn compare(
    root: &Value,
    path: &AttrPath,
    outer: Option<&AttrPath>,
    op: CompareOp,
    literal: &Literal,
    schema: &dyn Schema,
) -> bool {
    if *literal == Literal::Null {
        return match op {
            CompareOp::Eq => !is_present(root, path),
            CompareOp::Ne => is_present(root, path),
            _ => false,
        };
    }
    let values = comparable(lookup(root, path));
    if values.is_empty() {
        return op == CompareOp::Ne;
    }
    let case_exact = matches!(literal, Literal::Str(_)) && schema.case_exact(&schema_path(path, outer));
    values
        .into_iter()
        .any(|value| compare_value(value, op, literal, case_exact))
}

/// The path to ask the [`Schema`] about: inside a value filter, the outer attribute with the inner name
/// as its sub-attribute.
fn schema_path<'p>(path: &'p AttrPath, outer: Option<&AttrPath>) -> Cow<'p, AttrPath> {
    match outer {
        None => Cow::Borrowed(path),
        Some(outer) => Cow::Owned(AttrPath {
            urn: outer.urn.clone(),
            attr: outer.attr.clone(),
            sub_attr: Some(path.attr.clone()),
        }),
    }
}

/// The values at `path` in `root`: the attribute itself, or its sub-attribute in each element when the
/// attribute is multi-valued.
fn lookup<'v>(root: &'v Value, path: &AttrPath) -> Vec<&'v Value> {
    let base = match &path.urn {
        None => Some(root),
        Some(urn) => field(root, urn).or_else(|| is_core_urn(urn).then_some(root)),
    };
    let Some(value) = base.and_then(|base| field(base, &path.attr)) else {
        return Vec::new();
    };
    match (&path.sub_attr, value) {
        (None, _) => vec![value],
        (Some(sub), Value::Array(items)) => items.iter().filter_map(|item| field(item, sub)).collect(),
        (Some(sub), _) => field(value, sub).into_iter().collect(),
    }
}

/// The scalars to compare: arrays are compared element by element, complex elements by their `value`.
fn comparable(values: Vec<&Value>) -> Vec<&Value> {
    let mut out = Vec::new();
    for value in values {
        match value {
            Value::Array(items) => out.extend(items.iter().filter_map(|item| match item {
                Value::Object(_) => field(item, "value"),
                other => Some(other),
            })),
            other => out.push(other),
        }
    }
    out
}

/// The member `name` of a JSON object, matched case-insensitively.
fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    let object = value.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn is_core_urn(urn: &str) -> bool {
    urn.get(..CORE_URN_PREFIX.len())
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(CORE_URN_PREFIX))
}

fn is_present(root: &Value, path: &AttrPath) -> bool {
    lookup(root, path).into_iter().any(|value| match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
    })
}

fn compare_value(value: &Value, op: CompareOp, literal: &Literal, case_exact: bool) -> bool {
    match (value, literal) {
        (Value::String(value), Literal::Str(literal)) => compare_strings(value, literal, op, case_exact),
        (Value::Number(value), Literal::Num(literal)) => {
            compare_numbers(value, literal).is_some_and(|ordering| op.accepts(ordering))
        }
        (Value::Bool(value), Literal::Bool(literal)) => {
            matches!(op, CompareOp::Eq | CompareOp::Ne) && op.accepts(value.cmp(literal))
        }
        _ => op == CompareOp::Ne,
    }
}

fn compare_strings(value: &str, literal: &str, op: CompareOp, case_exact: bool) -> bool {
    if !matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew)
        && let (Ok(value), Ok(literal)) = (
            DateTime::parse_from_rfc3339(value),
            DateTime::parse_from_rfc3339(literal),
        )
    {
        return op.accepts(value.cmp(&literal));
    }
    let (value, literal) = if case_exact {
        (Cow::Borrowed(value), Cow::Borrowed(literal))
    } else {
        (
            Cow::Owned(value.to_lowercase()),
            Cow::Owned(literal.to_lowercase()),
        )
    };
    match op {
        CompareOp::Co => value.contains(literal.as_ref()),
        CompareOp::Sw => value.starts_with(literal.as_ref()),
        CompareOp::Ew => value.ends_with(literal.as_ref()),
        _ => op.accepts(value.cmp(&literal)),
    }
}

/// Orders two numbers exactly when both are integers, otherwise as floating point.
fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn path(attr: &str, sub: Option<&str>) -> AttrPath {
        AttrPath {
            urn: None,
            attr: attr.into(),
            sub_attr: sub.map(Into::into),
        }
    }

    fn cmp(attr: &str, op: CompareOp, value: Literal) -> Filter {
        Filter::Compare {
            path: path(attr, None),
            op,
            value,
        }
    }

    fn str_lit(s: &str) -> Literal {
        Literal::Str(s.into())
    }

    fn num(n: i64) -> Literal {
        Literal::Num(n.into())
    }

    fn pr(attr: &str) -> Filter {
        Filter::Present(path(attr, None))
    }

    fn or(a: Filter, b: Filter) -> Filter {
        Filter::Or(Box::new(a), Box::new(b))
    }

    fn and(a: Filter, b: Filter) -> Filter {
        Filter::And(Box::new(a), Box::new(b))
    }

    fn filter_err(text: &str) -> FilterError {
        let err = parse_filter(text).expect_err(text);
        assert_eq!(err.scim_type, "invalidFilter", "{text}: {err}");
        err
    }

    fn path_err(text: &str) -> FilterError {
        let err = parse_path(text).expect_err(text);
        assert_eq!(err.scim_type, "invalidPath", "{text}: {err}");
        err
    }

    const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    #[test]
    fn parses_every_rfc_example() {
        let examples = [
            r#"userName eq "bjensen""#,
            r#"name.familyName co "O'Malley""#,
            r#"userName sw "J""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            "title pr",
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
            r#"title pr and userType eq "Employee""#,
            r#"title pr or userType eq "Intern""#,
            r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            r#"userType eq "Employee" and (emails.type eq "work")"#,
            r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            concat!(
                r#"emails[type eq "work" and value co "@example.com"] or "#,
                r#"ims[type eq "xmpp" and value co "@foo.com"]"#,
            ),
            r#"userName Eq "john""#,
            r#"Username eq "john""#,
            r#"meta.resourceType eq "User""#,
            r#"members[value eq "2819c223-7f76-453a-919d-413861904646"]"#,
        ];
        for text in examples {
            assert!(parse_filter(text).is_ok(), "{text}: {:?}", parse_filter(text));
        }
    }

    #[test]
    fn parses_structure() {
        assert_eq!(
            parse_filter(r#"userName eq "bjensen""#),
            Ok(cmp("userName", CompareOp::Eq, str_lit("bjensen")))
        );
        assert_eq!(
            parse_filter(r#"name.familyName co "O'Malley""#),
            Ok(Filter::Compare {
                path: path("name", Some("familyName")),
                op: CompareOp::Co,
                value: str_lit("O'Malley"),
            })
        );
        assert_eq!(
            parse_filter(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#),
            Ok(Filter::Compare {
                path: AttrPath {
                    urn: Some("urn:ietf:params:scim:schemas:core:2.0:User".into()),
                    attr: "userName".into(),
                    sub_attr: None,
                },
                op: CompareOp::Sw,
                value: str_lit("J"),
            })
        );
        assert_eq!(parse_filter("title pr"), Ok(pr("title")));
        assert_eq!(
            parse_filter(r#"emails[type eq "work" and value co "@example.com"]"#),
            Ok(Filter::ValuePath {
                path: path("emails", None),
                filter: Box::new(and(
                    cmp("type", CompareOp::Eq, str_lit("work")),
                    cmp("value", CompareOp::Co, str_lit("@example.com")),
                )),
            })
        );
        assert_eq!(
            parse_filter(r#"userType ne "Employee" and not (emails pr)"#),
            Ok(and(
                cmp("userType", CompareOp::Ne, str_lit("Employee")),
                Filter::Not(Box::new(pr("emails"))),
            ))
        );
    }

    #[test]
    fn precedence_and_associativity() {
        let (a, b, c) = (
            cmp("a", CompareOp::Eq, num(1)),
            cmp("b", CompareOp::Eq, num(2)),
            cmp("c", CompareOp::Eq, num(3)),
        );
        assert_eq!(
            parse_filter("a eq 1 or b eq 2 and c eq 3"),
            Ok(or(a.clone(), and(b.clone(), c.clone())))
        );
        assert_eq!(
            parse_filter("a eq 1 and b eq 2 or c eq 3"),
            Ok(or(and(a.clone(), b.clone()), c.clone()))
        );
        assert_eq!(
            parse_filter("(a eq 1 or b eq 2) and c eq 3"),
            Ok(and(or(a.clone(), b.clone()), c.clone()))
        );
        assert_eq!(
            parse_filter("a pr or b pr or c pr"),
            Ok(or(or(pr("a"), pr("b")), pr("c")))
        );
        assert_eq!(
            parse_filter("a pr and b pr and c pr"),
            Ok(and(and(pr("a"), pr("b")), pr("c")))
        );
        assert_eq!(
            parse_filter("not (a pr) and b pr"),
            Ok(and(Filter::Not(Box::new(pr("a"))), pr("b")))
        );
    }

    #[test]
    fn keywords_are_case_insensitive_and_whitespace_tolerated() {
        assert_eq!(
            parse_filter(r#"userName EQ "x""#),
            Ok(cmp("userName", CompareOp::Eq, str_lit("x")))
        );
        assert_eq!(
            parse_filter("a PR Or b Pr AND c pR"),
            parse_filter("a pr or b pr and c pr")
        );
        assert_eq!(parse_filter("NOT (a pr)"), Ok(Filter::Not(Box::new(pr("a")))));
        assert_eq!(parse_filter("not(a pr)"), Ok(Filter::Not(Box::new(pr("a")))));
        assert_eq!(
            parse_filter("  userName   eq \t \"x\"  "),
            Ok(cmp("userName", CompareOp::Eq, str_lit("x")))
        );
        assert_eq!(parse_filter("( a pr )"), Ok(pr("a")));
        assert_eq!(parse_filter("notes pr"), Ok(pr("notes")));
        assert_eq!(parse_filter("order pr"), Ok(pr("order")));
    }

    #[test]
    fn literals() {
        assert_eq!(
            parse_filter(r#"a eq "say \"hi\" \\ \u00e9""#),
            Ok(cmp("a", CompareOp::Eq, str_lit("say \"hi\" \\ é")))
        );
        assert_eq!(
            parse_filter(r#"a eq "ünïcode""#),
            Ok(cmp("a", CompareOp::Eq, str_lit("ünïcode")))
        );
        assert_eq!(parse_filter("a gt -12"), Ok(cmp("a", CompareOp::Gt, num(-12))));
        let Ok(Filter::Compare {
            value: Literal::Num(n),
            ..
        }) = parse_filter("a lt 1.5e3")
        else {
            panic!("expected a number");
        };
        assert_eq!(n.as_f64(), Some(1500.0));
        assert_eq!(
            parse_filter("a eq TRUE"),
            Ok(cmp("a", CompareOp::Eq, Literal::Bool(true)))
        );
        assert_eq!(
            parse_filter("a eq false"),
            Ok(cmp("a", CompareOp::Eq, Literal::Bool(false)))
        );
        assert_eq!(
            parse_filter("a eq Null"),
            Ok(cmp("a", CompareOp::Eq, Literal::Null))
        );
        assert_eq!(
            parse_filter(r#"a eq """#),
            Ok(cmp("a", CompareOp::Eq, str_lit("")))
        );
    }

    #[test]
    fn filter_errors() {
        let cases = [
            "",
            "   ",
            "userName eq",
            r#"userName xx "a""#,
            r#"(userName eq "a""#,
            r#"userName eq "a")"#,
            r#"userName eq "a" junk"#,
            r#"userName eq "a"#,
            r#"userName eq "bad \q escape""#,
            r#"not userName eq "a""#,
            "userName eq bjensen",
            "userName eq 01",
            "userName pr extra",
            r#"9abc eq "a""#,
            r#"a.b.c eq "a""#,
            r#"emails[type eq "a"#,
            r#"emails[type[x eq 1] eq "a"]"#,
            r#"emails[type eq "work"].value eq "x""#,
            r#"emails [type eq "work"]"#,
            r#"userName eq "a" and"#,
            r#"userName eq "a" or or b pr"#,
            "and pr",
            "()",
            "ü eq 1",
            "urn:ü",
            r#"userName eq "a" ]"#,
        ];
        for text in cases {
            filter_err(text);
        }
        let err = filter_err(r#"userName xx "a""#);
        assert!(
            err.detail.contains("'xx'") && err.detail.contains("offset 9"),
            "{}",
            err.detail
        );
        let err = filter_err(r#"userName eq "a" junk"#);
        assert!(
            err.detail.contains("'junk'") && err.detail.contains("offset 16"),
            "{}",
            err.detail
        );
        let err = filter_err(r#"é eq "ab"#);
        assert!(err.detail.contains("offset 0"), "{}", err.detail);
        let err = filter_err(r#"a eq "é" junk"#);
        assert!(err.detail.contains("offset 9"), "{}", err.detail);
    }

    #[test]
    fn abuse_limits() {
        let long = format!(r#"userName eq "{}""#, "a".repeat(5000));
        assert!(filter_err(&long).detail.contains("4096"));
        assert_eq!(path_err(&"a".repeat(5000)).scim_type, "invalidPath");

        let nested = |n: usize| format!("{}a pr{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(parse_filter(&nested(MAX_DEPTH)), Ok(pr("a")));
        filter_err(&nested(MAX_DEPTH + 1));
        filter_err(&nested(40));
        filter_err(&"(".repeat(4000));
        let nots = format!("{}a pr{}", "not (".repeat(40), ")".repeat(40));
        filter_err(&nots);

        // A maximal left-nested chain parses and evaluates without deep recursion.
        let chain = |joiner: &str| {
            let mut chain = String::from("a pr");
            while chain.len() + joiner.len() + 5 <= MAX_LEN {
                chain.push_str(joiner);
                chain.push_str("zz pr");
            }
            parse_filter(&chain).expect("chain parses")
        };
        let any = chain(" or ");
        assert!(matches(&any, &json!({"a": 1}), &TestSchema));
        assert!(!matches(&any, &json!({"b": 1}), &TestSchema));
        assert!(!matches(&chain(" and "), &json!({"a": 1}), &TestSchema));
    }

    #[test]
    fn patch_paths() {
        assert_eq!(
            parse_path("name.givenName"),
            Ok(PatchPath {
                attr: path("name", Some("givenName")),
                value_filter: None,
                sub_attr: None
            })
        );
        assert_eq!(
            parse_path(r#"emails[type eq "work"].value"#),
            Ok(PatchPath {
                attr: path("emails", None),
                value_filter: Some(cmp("type", CompareOp::Eq, str_lit("work"))),
                sub_attr: Some("value".into()),
            })
        );
        assert_eq!(
            parse_path(r#"members[value eq "2819c223"]"#),
            Ok(PatchPath {
                attr: path("members", None),
                value_filter: Some(cmp("value", CompareOp::Eq, str_lit("2819c223"))),
                sub_attr: None,
            })
        );
        let urn_attr = |attr: &str, sub: Option<&str>| AttrPath {
            urn: Some(ENTERPRISE.into()),
            attr: attr.into(),
            sub_attr: sub.map(Into::into),
        };
        assert_eq!(
            parse_path(&format!("{ENTERPRISE}:employeeNumber")).map(|p| p.attr),
            Ok(urn_attr("employeeNumber", None))
        );
        assert_eq!(
            parse_path(&format!("{ENTERPRISE}:manager.value")).map(|p| p.attr),
            Ok(urn_attr("manager", Some("value")))
        );
        assert_eq!(
            parse_path(ENTERPRISE),
            Ok(PatchPath {
                attr: path(ENTERPRISE, None),
                value_filter: None,
                sub_attr: None
            })
        );
        assert_eq!(
            parse_path("members.$ref").map(|p| p.attr),
            Ok(path("members", Some("$ref")))
        );
        assert_eq!(
            parse_path("urn:ietf:params:scim:schemas:core:2.0:User:userName").map(|p| p.attr),
            Ok(AttrPath {
                urn: Some("urn:ietf:params:scim:schemas:core:2.0:User".into()),
                attr: "userName".into(),
                sub_attr: None,
            })
        );
    }

    #[test]
    fn patch_path_errors() {
        for text in [
            "",
            "emails[",
            r#"emails[type eq "work"]x"#,
            r#"emails[type eq "work"]."#,
            r#"emails[type eq "work"].value.x"#,
            r#"emails[type eq "work"].value[type eq "x"]"#,
            r#"emails[type xx "work"]"#,
            r#"emails[type eq "work"[x pr]]"#,
            "9abc",
            " name",
            "name ",
            "name.given.x",
            "name.",
            "urn:foo",
            "ü",
            "(a pr)",
        ] {
            path_err(text);
        }
        assert!(path_err("emails[").detail.contains("offset 7"));
    }

    struct TestSchema;

    impl Schema for TestSchema {
        fn case_exact(&self, path: &AttrPath) -> bool {
            path.urn.is_none()
                && path.sub_attr.is_none()
                && (path.attr.eq_ignore_ascii_case("externalId") || path.attr.eq_ignore_ascii_case("id"))
        }
    }

    /// Records every path the evaluator asks about.
    struct RecordingSchema(std::cell::RefCell<Vec<String>>);

    impl Schema for RecordingSchema {
        fn case_exact(&self, path: &AttrPath) -> bool {
            self.0.borrow_mut().push(path.to_string());
            false
        }
    }

    fn user() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
            "id": "2819c223",
            "externalId": "AbC",
            "userName": "BJensen",
            "title": "",
            "nickName": null,
            "name": {"givenName": "Barbara", "familyName": "O'Malley"},
            "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
            ],
            "phoneNumbers": [],
            "active": true,
            "loginCount": 42,
            "meta": {"resourceType": "User", "lastModified": "2026-01-02T03:04:05Z"},
            ENTERPRISE: {"employeeNumber": "701984", "manager": {"value": "26118915"}}
        })
    }

    fn eval_str(text: &str) -> bool {
        let filter = parse_filter(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        matches(&filter, &user(), &TestSchema)
    }

    #[test]
    fn evaluates_strings_and_case() {
        let cases = [
            (r#"userName eq "bjensen""#, true),
            (r#"USERNAME eq "BJENSEN""#, true),
            (r#"userName ne "bjensen""#, false),
            (r#"userName sw "bj""#, true),
            (r#"userName ew "SEN""#, true),
            (r#"userName co "jen""#, true),
            (r#"userName co "xyz""#, false),
            (r#"userName gt "a""#, true),
            (r#"userName lt "a""#, false),
            (r#"userName ge "bjensen""#, true),
            (r#"externalId eq "AbC""#, true),
            (r#"externalId eq "abc""#, false),
            (r#"externalId ne "abc""#, true),
            (r#"externalId sw "a""#, false),
            (r#"id eq "2819C223""#, false),
            (r#"name.familyName co "o'malley""#, true),
            (r#"name.givenName eq "barbara""#, true),
            (r#"name eq "barbara""#, false),
            (r#"meta.resourceType eq "User""#, true),
        ];
        for (text, expected) in cases {
            assert_eq!(eval_str(text), expected, "{text}");
        }
    }

    #[test]
    fn evaluates_multi_valued() {
        let cases = [
            (r#"emails eq "babs@jensen.org""#, true),
            (r#"emails eq "BABS@jensen.org""#, true),
            (r#"emails co "example.com""#, true),
            (r#"emails co "example.net""#, false),
            (r#"emails.value ew ".org""#, true),
            (r#"emails.type eq "home""#, true),
            (r#"emails.type eq "other""#, false),
            (r#"emails.primary eq true"#, true),
            (r#"emails[type eq "home" and value ew ".org"]"#, true),
            (r#"emails[type eq "home" and value ew ".com"]"#, false),
            (r#"emails[type eq "work" and primary eq true]"#, true),
            (r#"emails[not (type eq "work")]"#, true),
            (r#"emails[type eq "other"] or userName eq "bjensen""#, true),
            (
                r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
                true,
            ),
            (
                r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
                false,
            ),
            (
                r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "x.org")"#,
                false,
            ),
            (
                r#"userType ne "Employee" and not (emails co "example.net" or emails.value co "x.org")"#,
                true,
            ),
            (r#"phoneNumbers[type eq "work"]"#, false),
            (r#"userName[type eq "work"]"#, false),
            (r#"name[givenName eq "Barbara"]"#, true),
        ];
        for (text, expected) in cases {
            assert_eq!(eval_str(text), expected, "{text}");
        }
    }

    #[test]
    fn evaluates_other_types_presence_and_missing() {
        let cases = [
            ("active eq true", true),
            ("active ne true", false),
            ("active eq FALSE", false),
            ("active gt false", false),
            (r#"active eq "true""#, false),
            (r#"active ne "true""#, true),
            ("loginCount eq 42", true),
            ("loginCount eq 42.0", true),
            ("loginCount gt 41.5", true),
            ("loginCount le 41", false),
            ("loginCount co 4", false),
            (r#"meta.lastModified gt "2026-01-01T00:00:00Z""#, true),
            (r#"meta.lastModified lt "2026-01-01T00:00:00Z""#, false),
            (r#"meta.lastModified eq "2026-01-02T05:04:05+02:00""#, true),
            (r#"meta.lastModified ge "2026-01-02T04:00:00+01:00""#, true),
            (r#"meta.lastModified sw "2026-01""#, true),
            (r#"userType ne "Employee""#, true),
            (r#"userType eq "Employee""#, false),
            (r#"userType gt "a""#, false),
            (r#"nickName ne "x""#, true),
            (r#"nickName eq "x""#, false),
            ("userName pr", true),
            ("userType pr", false),
            ("title pr", false),
            ("nickName pr", false),
            ("phoneNumbers pr", false),
            ("emails pr", true),
            ("emails.value pr", true),
            ("emails.display pr", false),
            ("userType eq null", true),
            ("title eq null", true),
            ("userName eq null", false),
            ("userName ne null", true),
            ("userName gt null", false),
            (r#"not (userName eq "bjensen")"#, false),
            (r#"not (userName eq "other")"#, true),
            (r#"not (not (userName eq "bjensen"))"#, true),
        ];
        for (text, expected) in cases {
            assert_eq!(eval_str(text), expected, "{text}");
        }
    }

    #[test]
    fn evaluates_extension_urns() {
        let cases = [
            (format!(r#"{ENTERPRISE}:employeeNumber eq "701984""#), true),
            (
                format!(r#"{}:EMPLOYEENUMBER eq "701984""#, ENTERPRISE.to_lowercase()),
                true,
            ),
            (format!(r#"{ENTERPRISE}:employeeNumber eq "1""#), false),
            (format!(r#"{ENTERPRISE}:manager.value eq "26118915""#), true),
            (format!("{ENTERPRISE} pr"), true),
            (format!("{ENTERPRISE}:costCenter pr"), false),
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#.to_owned(),
                false,
            ),
            (
                r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "B""#.to_owned(),
                true,
            ),
            (r#"urn:example:other:1.0:Thing:userName sw "B""#.to_owned(), false),
        ];
        for (text, expected) in cases {
            assert_eq!(eval_str(&text), expected, "{text}");
        }
    }

    #[test]
    fn asks_schema_with_root_relative_paths() {
        let schema = RecordingSchema(Default::default());
        let filter = parse_filter(r#"emails[type eq "work"] or name.givenName eq "x" or active eq false"#)
            .expect("parses");
        matches(&filter, &user(), &schema);
        let mut asked = schema.0.take();
        asked.sort();
        asked.dedup();
        assert_eq!(asked, ["emails.type", "name.givenName"]);
    }

    #[test]
    fn odd_json_shapes_do_not_match() {
        let filters = [
            r#"userName eq "x""#,
            r#"userName ne "x""#,
            r#"emails[type eq "work"]"#,
            r#"emails.value co "x""#,
            r#"urn:x:1.0:Y:z eq "x""#,
        ];
        let resources = [
            json!(null),
            json!("userName"),
            json!([{"userName": "x"}]),
            json!({"userName": [["x"]], "emails": [[{"type": "work"}], 3, "x", null]}),
            json!({"userName": {"value": "x"}, "emails": {"value": [1, 2]}}),
        ];
        for text in filters {
            let filter = parse_filter(text).expect("parses");
            for resource in &resources {
                let result = matches(&filter, resource, &TestSchema);
                assert_eq!(result, text.contains(" ne "), "{text} on {resource}");
            }
        }
        assert!(matches(
            &parse_filter("n eq 18446744073709551615").expect("parses"),
            &json!({"n": u64::MAX}),
            &TestSchema
        ));
        assert!(matches(
            &parse_filter("n gt -1").expect("parses"),
            &json!({"n": u64::MAX}),
            &TestSchema
        ));
    }
}
