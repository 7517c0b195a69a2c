//! `cargo run -p accel-codegen [ROOT]`: regenerate the family layer of
//! accel-netlink from the spec (ROOT: the repository, by default this one).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
    let files = match accel_codegen::render_all(&root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("accel-codegen: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (rel, data) in files {
        let path = root.join(rel);
        if let Err(e) = std::fs::write(&path, data) {
            eprintln!("accel-codegen: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
