//! The committed generated files (family layer, JSON Schema, man pages,
//! completions) are what their sources generate, and the man pages are
//! lint-clean.

use std::path::Path;
use std::process::Command;

#[test]
fn generated_files_are_current() {
    let root = xtask::repo_root();
    let mut stale = Vec::new();
    for (rel, fresh) in xtask::render_all().expect("render") {
        match std::fs::read(root.join(&rel)) {
            Ok(old) if old == fresh => {}
            _ => stale.push(rel.display().to_string()),
        }
    }
    assert!(
        stale.is_empty(),
        "stale: run cargo run -p xtask -- gen ({})",
        stale.join(", ")
    );
}

/// Regenerating into a temp dir writes the same set of files.
#[test]
fn generate_writes_every_file() {
    let dir = std::env::temp_dir().join(format!("accelctl-xtask-{}", std::process::id()));
    let files = xtask::generate(&dir).expect("generate");
    assert_eq!(files.len(), 11);
    for f in &files {
        assert!(
            f.metadata().map(|m| m.len() > 0).unwrap_or(false),
            "{}",
            f.display()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false)
}

/// `man --warnings` reports roff and formatting problems on stderr. Only
/// when man is installed; the byte comparison above runs regardless.
#[test]
fn man_pages_lint_clean() {
    if !on_path("man") {
        eprintln!("man not on PATH: lint not run (pages still compared byte for byte)");
        return;
    }
    let root = xtask::repo_root();
    for page in [
        "accelctl.8",
        "accelctl-dev.8",
        "accelctl-health.8",
        "accelctl-monitor.8",
    ] {
        let path = root.join("man").join(page);
        let out = Command::new("man")
            .args(["--warnings", "-E", "UTF-8", "-l"])
            .arg(Path::new(&path))
            .env("MANWIDTH", "80")
            .env("MAN_KEEP_FORMATTING", "0")
            .output()
            .expect("run man");
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && warnings.trim().is_empty(),
            "{page}: {warnings}"
        );
        assert!(!out.stdout.is_empty(), "{page}: man printed nothing");
    }
}
