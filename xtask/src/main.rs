//! `cargo run -p xtask -- gen [DIR]`: regenerate man/ and completions/.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen"] | ["gen", _] => {
            let root = args
                .get(1)
                .map(PathBuf::from)
                .unwrap_or_else(xtask::repo_root);
            match xtask::generate(&root) {
                Ok(files) => {
                    for f in files {
                        println!("wrote {}", f.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("xtask: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: cargo run -p xtask -- gen [DIR]");
            ExitCode::from(2)
        }
    }
}
