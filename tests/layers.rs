//! The core's modules form layers (src/lib.rs): a module names only modules of lower layers.
//! Read from the sources: every `crate::name` path, `use crate::{a, b}` groups included, outside
//! comments and test modules must point downward, so the module graph has no circle.

use std::collections::BTreeMap;

/// src/lib.rs's map, as (module, layer).
const LAYERS: &[(&str, u32)] = &[
    ("abi", 0),
    ("sync", 0),
    ("firmware", 1),
    ("time", 1),
    ("task", 1),
    ("stats", 2),
    ("list", 2),
    ("run_queue", 3),
    ("timer", 3),
    ("waiters", 3),
    ("wake", 4),
    ("event", 5),
    ("alarm", 5),
    ("permits", 5),
    ("fifo", 5),
    ("latch", 5),
    ("idle", 6),
    ("irq_queue", 6),
    ("condition", 6),
    ("timeout", 6),
    ("executor", 7),
    ("wait_for", 8),
];

/// The modules `src` names through `crate::`, outside comments and `#[cfg(test)]` modules.
fn uses(src: &str) -> Vec<String> {
    let code: String = src
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap()
        .lines()
        .map(|l| l.split("//").next().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap();
            for item in group[..end].split(',') {
                let name = item.trim().split("::").next().unwrap().trim();
                if !name.is_empty() {
                    out.push(name.to_string());
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn every_module_uses_only_lower_layers() {
    let layers: BTreeMap<&str, u32> = LAYERS.iter().copied().collect();
    let mut seen = 0;
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src")).unwrap() {
        let path = entry.unwrap().path();
        let module = path.file_stem().unwrap().to_str().unwrap().to_string();
        if module == "lib" {
            continue;
        }
        let own = *layers.get(module.as_str()).unwrap_or_else(|| panic!("src/{module}.rs: not in LAYERS (src/lib.rs's map)"));
        seen += 1;
        for used in uses(&std::fs::read_to_string(&path).unwrap()) {
            let theirs = *layers.get(used.as_str()).unwrap_or_else(|| panic!("src/{module}.rs names crate::{used}, not in LAYERS"));
            assert!(
                theirs < own || used == module,
                "src/{module}.rs (layer {own}) names crate::{used} (layer {theirs}): a circle or a sideways use"
            );
        }
    }
    assert_eq!(seen, LAYERS.len(), "a module of LAYERS has no file");
}

#[test]
fn the_reader_finds_paths_and_groups() {
    assert_eq!(uses("use crate::{a, b::c};\nfn f() { crate::d::e(); } // crate::x\n"), ["a", "b", "d"]);
}
