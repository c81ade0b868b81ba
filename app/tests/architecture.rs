//! Guards the architecture (README "Architecture"): the import graph of `app/src`, read
//! from the sources themselves — every `use` tree and every `crate::…`, `super::…`,
//! `self::…` or child-module path in code (comments and strings skipped).
//!
//! Rules, each a test:
//! - layers run one way: `ui → api → backend → domain` (no arrow to a layer above);
//! - a page imports components, never another page; a component never imports a page;
//! - no circle between files.
//!
//! Run alone: `cargo test -p app --test architecture`.

mod common;

use common::rust_files;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path such as `ui::pages::postbox::inbox` (the crate root is the empty path).
type Module = String;

fn src_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The module a file defines: `ui/pages/mod.rs` → `ui::pages`, `lib.rs` → ``.
fn module_of(file: &Path) -> Module {
    let relative = file.strip_prefix(src_dir()).expect("below src");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts.join("::")
}

/// The source without comments, string and char literals, and without its unit tests.
fn code_only(source: &str) -> String {
    let source = match source.find("#[cfg(test)]\nmod tests") {
        Some(end) => &source[..end],
        None => source,
    };
    let c: Vec<char> = source.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < c.len() {
        let (ch, next) = (at(i), at(i + 1));
        if ch == '/' && next == '/' {
            while i < c.len() && at(i) != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == '*' {
            let mut depth = 0;
            while i < c.len() {
                if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if ch == 'r' && (next == '"' || (next == '#' && at(i + 2) == '"' || next == '#' && at(i + 2) == '#')) {
            let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
            i += hashes + 2;
            let closing: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            while i < c.len() && !c[i..].starts_with(&closing) {
                i += 1;
            }
            i += closing.len();
            out.push_str("\"\"");
        } else if ch == '"' {
            i += 1;
            while i < c.len() && at(i) != '"' {
                i += if at(i) == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if ch == '\'' && next == '\\' {
            i += 2;
            while i < c.len() && at(i) != '\'' {
                i += 1;
            }
            i += 1;
        } else if ch == '\'' && at(i + 2) == '\'' {
            i += 3;
        } else {
            out.push(ch);
            i += 1;
        }
    }
    out
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// Expands a `use` tree (`crate::{a::b, c::{d, e}}`) into its paths.
fn expand_use_tree(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else { return vec![tree] };
    let prefix = &tree[..open];
    let close = tree.rfind('}').unwrap_or(tree.len());
    let inner = &tree[open + 1..close.max(open + 1)];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (index, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|item| !item.is_empty())
        .flat_map(|item| expand_use_tree(item).into_iter().map(move |rest| format!("{prefix}{rest}")))
        .collect()
}

/// Every path a piece of code names: the expanded `use` trees and the paths in code that
/// start with `crate`, `super`, `self` or one of the file's own child modules.
fn named_paths(code: &str, children: &BTreeSet<String>) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    let mut without_uses = String::with_capacity(code.len());
    // `use` statements (including `pub use`, `pub(crate) use`).
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let after = &rest[at + 4..];
        match after.find(';') {
            Some(end) if before.is_none_or(|c| !is_ident(c)) => {
                paths.extend(expand_use_tree(&after[..end]));
                without_uses.push_str(&rest[..at]);
                rest = &after[end..];
            }
            _ => {
                without_uses.push_str(&rest[..at + 4]);
                rest = after;
            }
        }
    }
    without_uses.push_str(rest);
    // Paths in code.
    let chars: Vec<char> = without_uses.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if is_ident(chars[i]) && (i == 0 || (!is_ident(chars[i - 1]) && chars[i - 1] != ':')) {
            let start = i;
            while i < chars.len() && (is_ident(chars[i]) || (chars[i] == ':' && chars.get(i + 1) == Some(&':'))) {
                i += if chars[i] == ':' { 2 } else { 1 };
            }
            let path: String = chars[start..i].iter().collect();
            let first = path.split("::").next().unwrap_or_default();
            if path.contains("::") && (matches!(first, "crate" | "super" | "self") || children.contains(first)) {
                paths.push(path);
            }
        } else {
            i += 1;
        }
    }
    paths
}

/// Resolves a named path from `module` (defined in a `mod.rs`/`lib.rs` file or not) to
/// the deepest known module it points into.
fn resolve(path: &str, module: &str, is_dir_module: bool, modules: &BTreeSet<Module>) -> Option<Module> {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = if module.is_empty() { vec![] } else { module.split("::").map(str::to_owned).collect() };
    // The module relative paths start from: the file's own module.
    let mut rest = segments.as_slice();
    match rest.first() {
        Some(&"crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some(&"self") => rest = &rest[1..],
        Some(&"super") => {
            while rest.first() == Some(&"super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some(_) => {
            // A child module (`inbox::Page` in `pages/postbox/mod.rs`), only from dir modules
            // or a file with inline/child modules.
            let _ = is_dir_module;
        }
        None => return None,
    }
    let mut deepest = None;
    let mut candidate = base.clone();
    if modules.contains(&candidate.join("::")) {
        deepest = Some(candidate.join("::"));
    }
    for segment in rest {
        candidate.push((*segment).to_owned());
        let name = candidate.join("::");
        if modules.contains(&name) {
            deepest = Some(name);
        } else {
            break;
        }
    }
    deepest
}

/// The import graph: module → the modules it names (itself excluded).
fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(f)).collect();
    let mut edges = BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let is_dir_module = name == "mod.rs" || name == "lib.rs";
        let source = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let code = code_only(&source);
        let prefix = if module.is_empty() { String::new() } else { format!("{module}::") };
        let children: BTreeSet<String> = modules
            .iter()
            .filter_map(|m| m.strip_prefix(&prefix).filter(|_| is_dir_module || !module.is_empty()))
            .filter(|rest| !rest.contains("::") && !rest.is_empty())
            .map(str::to_owned)
            .collect();
        let targets: BTreeSet<Module> = named_paths(&code, &children)
            .iter()
            .filter_map(|path| resolve(path, &module, is_dir_module, &modules))
            .filter(|target| *target != module && !target.is_empty())
            .collect();
        edges.insert(module, targets);
    }
    edges
}

fn layer(module: &str) -> Option<usize> {
    ["domain", "backend", "api", "ui"].iter().position(|layer| module == *layer || module.starts_with(&format!("{layer}::")))
}

fn is_below(module: &str, parent: &str) -> bool {
    module == parent || module.starts_with(&format!("{parent}::"))
}

#[test]
fn layers_run_one_way() {
    let mut problems = Vec::new();
    for (from, targets) in graph() {
        for to in targets {
            if let (Some(a), Some(b)) = (layer(&from), layer(&to)) {
                if b > a {
                    problems.push(format!("{from} → {to}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "arrows to a layer above (ui → api → backend → domain):\n{}", problems.join("\n"));
}

#[test]
fn pages_import_components_never_pages() {
    let mut problems = Vec::new();
    for (from, targets) in graph() {
        for to in targets.iter().filter(|to| is_below(to, "ui::pages")) {
            let page_to_page = is_below(&from, "ui::pages") && from != "ui::pages" && !is_below(to, &from);
            let component_to_page = is_below(&from, "ui::components");
            if page_to_page || component_to_page {
                problems.push(format!("{from} → {to}"));
            }
        }
    }
    assert!(problems.is_empty(), "a page or component importing a page:\n{}", problems.join("\n"));
}

#[test]
fn no_circle_between_files() {
    let graph = graph();
    // Tarjan's strongly connected components.
    struct State<'a> {
        graph: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        circles: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(s: &mut State<'a>, node: &'a str) {
        let n = s.index.len();
        s.index.insert(node, n);
        s.low.insert(node, n);
        s.stack.push(node);
        s.on_stack.insert(node);
        for next in s.graph.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !s.graph.contains_key(next) {
                continue;
            }
            if !s.index.contains_key(next) {
                visit(s, next);
                let low = s.low[node].min(s.low[next]);
                s.low.insert(node, low);
            } else if s.on_stack.contains(next) {
                let low = s.low[node].min(s.index[next]);
                s.low.insert(node, low);
            }
        }
        if s.low[node] == s.index[node] {
            let mut component = Vec::new();
            while let Some(top) = s.stack.pop() {
                s.on_stack.remove(top);
                component.push(top);
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.circles.push(component);
            }
        }
    }
    let mut state = State {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        circles: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    let circles: Vec<String> = state.circles.iter().map(|c| c.join(" ↔ ")).collect();
    assert!(circles.is_empty(), "files that import each other (directly or around a circle):\n{}", circles.join("\n"));
}

#[test]
fn the_reader_sees_what_it_must() {
    // The checks above are only as good as the reader: known arrows must be found.
    let graph = graph();
    assert!(graph["ui"].iter().filter(|m| m.starts_with("ui::pages::")).count() > 10, "the router names its pages: {:?}", graph["ui"]);
    assert!(graph["api::auth"].iter().any(|m| m.starts_with("backend::")), "{:?}", graph["api::auth"]);
    assert!(graph.keys().any(|m| m == "domain::access"));
    assert_eq!(expand_use_tree("crate::{a::b, c::{d, e}}"), ["crate::a::b", "crate::c::d", "crate::c::e"]);
}

/// The longest body a server function or HTTP handler may have (lines between its
/// braces): resolve the caller, call one service, map the result.
const MAX_HANDLER_LINES: usize = 25;

/// `(file, name, body lines)` of every function in `dir` that `is_handler` picks from its
/// signature (the lines from the attribute or `fn` to the opening brace).
fn function_lengths(dir: &Path, is_handler: impl Fn(&str, &str) -> bool) -> Vec<(String, String, usize)> {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    let mut found = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let lines: Vec<&str> = source.lines().collect();
        for (start, line) in lines.iter().enumerate() {
            let Some(rest) = line.trim_start().strip_prefix("pub async fn ").or_else(|| line.trim_start().strip_prefix("async fn ")) else {
                continue;
            };
            let name = rest.split(['(', '<']).next().unwrap_or_default().to_owned();
            let Some(open) = (start..lines.len()).find(|&i| lines[i].trim_end().ends_with('{')) else { continue };
            let indent = line.len() - line.trim_start().len();
            let close = (open + 1..lines.len())
                .find(|&i| lines[i].trim_end() == format!("{}}}", " ".repeat(indent)))
                .unwrap_or(lines.len());
            let attribute = if start > 0 { lines[start - 1] } else { "" };
            let signature = lines[start..=open].join(" ");
            if is_handler(attribute, &signature) {
                found.push((file.display().to_string(), name, close - open - 1));
            }
        }
    }
    found
}

#[test]
fn server_functions_and_handlers_are_short() {
    let server_functions = function_lengths(&src_dir().join("api"), |attribute, _| attribute.trim_start().starts_with("#[server("));
    let http = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../server/src/http");
    // Handlers take extractors; middleware (which takes `Next`) is not a handler.
    let handlers = function_lengths(&http, |_, signature| {
        ["State(", "Extension(", "Path("].iter().any(|e| signature.contains(e)) && !signature.contains("Next")
    });
    assert!(server_functions.len() > 40, "the reader finds the server functions: {}", server_functions.len());
    assert!(handlers.len() >= 5, "the reader finds the HTTP handlers: {handlers:?}");
    let long: Vec<String> = server_functions
        .iter()
        .chain(&handlers)
        .filter(|(_, _, lines)| *lines > MAX_HANDLER_LINES)
        .map(|(file, name, lines)| format!("{file}: {name} has {lines} lines"))
        .collect();
    assert!(long.is_empty(), "longer than {MAX_HANDLER_LINES} lines (move the work into a service or a helper):\n{}", long.join("\n"));
}

/// Which backend service owns which table (README "Architecture"): only the owner writes
/// it, and reads it apart from the joins in [`READ_JOINS`].
const OWNERS: &[(&str, &[&str])] = &[
    ("backend::accessibility_feedback", &["accessibility_feedback"]),
    ("backend::accounts", &["accounts", "consents"]),
    ("backend::activation_codes", &["activation_codes"]),
    ("backend::appointments", &["appointments"]),
    ("backend::audit", &["audit_log"]),
    ("backend::clients", &["clients"]),
    ("backend::files", &["files", "file_chunks"]),
    ("backend::flash_stash", &["flash_stash"]),
    ("backend::job_centres", &["job_centres"]),
    ("backend::mfa::ceremonies", &["webauthn_ceremonies"]),
    ("backend::mfa::passkeys", &["passkeys"]),
    ("backend::mfa::recovery", &["recovery_codes"]),
    ("backend::mfa::totp", &["totp_secrets"]),
    ("backend::mobile_numbers", &["mobile_confirmations"]),
    ("backend::outbox", &["outbox"]),
    ("backend::postbox", &["postbox_items", "postbox_attachments"]),
    ("backend::profiles", &["profiles", "communication_options", "communication_history"]),
    ("backend::secrets", &["server_secrets"]),
    ("backend::sessions", &["sessions"]),
    ("backend::staff", &["staff_members"]),
    ("backend::throttle", &["attempt_limits"]),
    ("backend::tokens", &["account_tokens"]),
];

/// Reads of another service's table inside one statement, each for a reason.
const READ_JOINS: &[(&str, &str, &str)] = &[
    ("backend::mfa::passkeys", "accounts", "the account's WebAuthn user handle with its passkeys, in the sign-in lookup"),
    ("backend::sessions", "accounts", "the session lookup of every request returns the account's address with it"),
    ("backend::staff", "accounts", "the staff list shows each member's address"),
    ("backend::postbox", "clients", "items are scoped to the staff member's job centre in the same statement (no id guessing)"),
    ("backend::postbox", "outbox", "whether an item's notification mail went out (the legal trail)"),
];

/// The tables a SQL text reads and writes: `(written, read)`.
fn tables_in(sql: &str, known: &BTreeSet<&str>) -> (BTreeSet<String>, BTreeSet<String>) {
    let words: Vec<String> = sql.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).map(str::to_owned).collect();
    let (mut written, mut read) = (BTreeSet::new(), BTreeSet::new());
    for pair in words.windows(2) {
        let (keyword, table) = (pair[0].to_uppercase(), pair[1].as_str());
        if !known.contains(table) {
            continue;
        }
        match keyword.as_str() {
            "INTO" | "UPDATE" => {
                written.insert(table.to_owned());
            }
            "FROM" | "JOIN" => {
                read.insert(table.to_owned());
            }
            _ => {}
        }
    }
    // `DELETE FROM t` writes t.
    for triple in words.windows(3) {
        if triple[0].eq_ignore_ascii_case("DELETE") && triple[1].eq_ignore_ascii_case("FROM") && known.contains(triple[2].as_str()) {
            written.insert(triple[2].clone());
        }
    }
    (written, read)
}

/// The string literals of a file's code (raw and plain), comments skipped.
fn sql_literals(source: &str) -> Vec<String> {
    let code = source.split("#[cfg(test)]\nmod tests").next().unwrap_or(source);
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let mut end = 0;
        let bytes = after.as_bytes();
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        found.push(after[..end.min(after.len())].to_owned());
        rest = &after[(end + 1).min(after.len())..];
    }
    found
}

#[test]
fn every_table_is_written_by_its_owner_only() {
    let known: BTreeSet<&str> = OWNERS.iter().flat_map(|(_, tables)| tables.iter().copied()).collect();
    let owner_of = |table: &str| OWNERS.iter().find(|(_, tables)| tables.contains(&table)).map(|(m, _)| *m);
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for file in &files {
        let module = module_of(file);
        let source = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for sql in sql_literals(&source) {
            let (written, read) = tables_in(&sql, &known);
            for table in written.iter().chain(&read) {
                seen.insert(table.clone());
                let is_write = written.contains(table);
                let owner = owner_of(table).unwrap_or_default();
                let allowed = module == owner
                    || (!is_write && READ_JOINS.iter().any(|(m, t, _)| *m == module && t == table));
                if !allowed {
                    problems.push(format!("{module} {} {table} (owner: {owner})", if is_write { "writes" } else { "reads" }));
                }
            }
        }
    }
    assert!(seen.len() > 20, "the reader finds the tables: {seen:?}");
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "SQL on another service's table:\n{}", problems.join("\n"));
}

#[test]
fn every_flash_form_is_written_and_read() {
    let source = std::fs::read_to_string(src_dir().join("api/flash_form.rs")).expect("flash_form.rs");
    let variants: Vec<String> = source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("FlashForm::"))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    assert!(variants.len() > 20, "the reader finds the forms: {variants:?}");
    let text_of = |dirs: &[PathBuf]| {
        let mut files = Vec::new();
        for dir in dirs {
            rust_files(dir, &mut files);
        }
        files.iter().filter(|f| !f.ends_with("flash_form.rs")).map(|f| std::fs::read_to_string(f).unwrap_or_default()).collect::<String>()
    };
    let writers = text_of(&[src_dir().join("api"), PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../server/src")]);
    let readers = text_of(&[src_dir().join("ui")]);
    let mut problems = Vec::new();
    for variant in &variants {
        let name = format!("FlashForm::{variant}");
        let used = |text: &str| text.match_indices(&name).any(|(at, _)| !text[at + name.len()..].starts_with(|c: char| c.is_alphanumeric()));
        if !used(&writers) {
            problems.push(format!("{name} is never written"));
        }
        if !used(&readers) {
            problems.push(format!("{name} is never read"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `(name, value)` of every `pub const NAME: &str = "value";` in `domain/routes.rs`.
fn named_routes() -> Vec<(String, String)> {
    let source = std::fs::read_to_string(src_dir().join("domain/routes.rs")).expect("domain/routes.rs");
    source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|rest| {
            let (name, rest) = rest.split_once(": &str = \"")?;
            Some((name.to_owned(), rest.strip_suffix("\";")?.to_owned()))
        })
        .collect()
}

/// `/postfach/{id}` and `/postfach/{}` read alike.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_braces = false;
    for ch in path.chars() {
        match ch {
            '{' => in_braces = true,
            '}' => {
                in_braces = false;
                out.push_str("{}");
            }
            _ if !in_braces => out.push(ch),
            _ => {}
        }
    }
    out
}

#[test]
fn every_path_is_named_once() {
    let routes = named_routes();
    assert!(routes.len() > 40, "the reader finds the routes: {routes:?}");
    let shapes: BTreeSet<String> = routes.iter().map(|(_, v)| shape(v)).collect();
    // The page router may only register named paths (its `path!` needs literals).
    let router = std::fs::read_to_string(src_dir().join("ui/mod.rs")).expect("ui/mod.rs");
    let registered: Vec<String> = router
        .match_indices("path!(\"")
        .map(|(at, m)| router[at + m.len()..].split('"').next().unwrap_or_default().replace(":id", "{id}"))
        .map(|p| if p.is_empty() { "/".to_owned() } else { p })
        .collect();
    assert!(registered.len() > 30, "the reader finds the router: {registered:?}");
    let mut problems: Vec<String> =
        registered.iter().filter(|p| !shapes.contains(&shape(p))).map(|p| format!("ui/mod.rs registers {p}, which domain/routes.rs does not name")).collect();
    // Nothing else writes a named path (alone, with a query, or with an id) as a literal.
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    rust_files(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../server/src"), &mut files);
    let mut code = String::new();
    for file in &files {
        if file.ends_with("domain/routes.rs") {
            continue;
        }
        let source = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        code.push_str(&source);
        let without_comments: String = source.lines().filter(|l| !l.trim_start().starts_with("//")).map(|l| format!("{l}\n")).collect();
        for literal in sql_literals(&without_comments) {
            let literal = shape(&literal);
            let is_router_entry = file.ends_with("ui/mod.rs") && registered.iter().any(|p| shape(p) == literal || (p == "/" && literal.is_empty()));
            let named = routes.iter().find(|(_, v)| v != "/" && (literal == shape(v) || literal.starts_with(&format!("{}?", shape(v)))));
            if let (Some((name, _)), false) = (named, is_router_entry) {
                problems.push(format!("{} writes \"{literal}\": use domain::routes::{name}", file.display()));
            }
        }
    }
    // Every named path is served: registered as a page, or used by a link or an HTTP route.
    for (name, value) in &routes {
        let used = registered.iter().any(|p| shape(p) == shape(value)) || code.contains(&format!("::{name}")) || code.contains(&format!("{}(", name.to_lowercase()));
        if !used {
            problems.push(format!("domain::routes::{name} ({value}) is neither registered nor used"));
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
