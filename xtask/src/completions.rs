//! completions/: clap_complete's registration scripts for bash, zsh and
//! fish. On TAB they run `COMPLETE=SHELL accelctl -- WORDS...` and offer
//! what it prints; accelctl answers itself (accelctl/src/complete.rs)
//! rather than through clap_complete's engine, which would grow every
//! run of the binary.
//!
//! The scripts get the fixes accelctl's arguments need. Each fix replaces
//! text that must occur exactly once, so a clap_complete update that
//! changes a script fails generation instead of going unnoticed.

use std::io;

use clap_complete::env::{self, EnvCompleter};

/// (file below the repository root, registration script).
pub fn render() -> io::Result<Vec<(&'static str, Vec<u8>)>> {
    let raw = |shell: &dyn EnvCompleter| -> io::Result<String> {
        let mut buf = Vec::new();
        shell.write_registration("COMPLETE", "accelctl", "accelctl", "accelctl", &mut buf)?;
        String::from_utf8(buf).map_err(io::Error::other)
    };
    Ok(vec![
        ("completions/accelctl.bash", bash(raw(&env::Bash)?)?.into()),
        ("completions/_accelctl", zsh(raw(&env::Zsh)?).into()),
        ("completions/accelctl.fish", raw(&env::Fish)?.into()),
    ])
}

fn replace_once(s: String, from: &str, to: &str) -> io::Result<String> {
    match s.matches(from).count() {
        1 => Ok(s.replacen(from, to, 1)),
        n => Err(io::Error::other(format!(
            "clap_complete's script changed: {n} matches for {from:?}"
        ))),
    }
}

const BASH_WORDS: &str = r#"    local words=("${COMP_WORDS[@]}")
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        words[COMP_CWORD]="$2"
    fi
"#;

/// Bash splits words at ':' (COMP_WORDBREAKS), which cuts a handle such
/// as pci/0000:03:00.0 into five words: join the pieces that touch, and
/// give readline back only the part after the last ':' it replaces.
const BASH_JOIN: &str = r#"    # accelctl: rejoin words split at ':' (pci/0000:03:00.0 is one word)
    local words=() _w _i _pos=0 _rest _gap _n
    for ((_i = 0; _i <= COMP_CWORD; _i++)); do
        _w=${COMP_WORDS[_i]}
        _rest=${COMP_LINE:_pos}
        _gap=${_rest%%[![:space:]]*}
        _pos=$((_pos + ${#_gap} + ${#_w}))
        if ((_i == COMP_CWORD)) && [[ $_w != :* ]]; then
            _w=$2
        fi
        _n=${#words[@]}
        if ((_n > 1)) && [[ -z $_gap ]] && [[ $_w == :* || ${words[_n-1]} == *: ]]; then
            words[_n-1]+=$_w
        else
            words+=("$_w")
        fi
    done
    _CLAP_COMPLETE_INDEX=$((${#words[@]} - 1))
"#;

const BASH_END: &str = "    fi\n}\n";

const BASH_TRIM: &str = r#"    fi
    local _cur=${words[_CLAP_COMPLETE_INDEX]}
    if [[ $_cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
        local _pre=${_cur%"${_cur##*:}"}
        COMPREPLY=("${COMPREPLY[@]#"$_pre"}")
    fi
}
"#;

fn bash(raw: String) -> io::Result<String> {
    let s = replace_once(raw, BASH_WORDS, BASH_JOIN)?;
    let s = replace_once(s, BASH_END, BASH_TRIM)?;
    // Without bashdefault: no candidates means none, not file names
    // (accelctl takes no file arguments).
    let s = replace_once(
        s,
        "complete -o nospace -o bashdefault -o nosort -F",
        "complete -o nospace -o nosort -F",
    )?;
    replace_once(
        s,
        "complete -o nospace -o bashdefault -F",
        "complete -o nospace -F",
    )
}

/// Installed in $fpath, the file is autoloaded as the function `_accelctl`
/// on the first TAB, where clap's script only registers its completer:
/// call it then too, or the first TAB offers nothing.
fn zsh(raw: String) -> String {
    let bridge = "[[ ${funcstack[1]} = _accelctl ]] && _clap_dynamic_completer_accelctl \"$@\"\n";
    format!("{raw}{bridge}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixes applied, and the protocol accelctl answers is the one the
    /// scripts speak: COMPLETE=SHELL, words after `--`, the cursor's index
    /// and the separator in _CLAP_COMPLETE_INDEX and _CLAP_IFS.
    #[test]
    fn scripts_are_patched_and_speak_accelctls_protocol() {
        for (file, script) in render().unwrap() {
            let s = String::from_utf8(script).unwrap();
            let calls = s.contains("accelctl -- ") || s.contains("\"accelctl\" -- ");
            assert!(calls, "{file}: {s}");
            match file {
                "completions/accelctl.bash" => {
                    assert!(s.contains("rejoin words split at ':'"), "{s}");
                    assert!(!s.contains("bashdefault"), "{s}");
                    for var in ["COMPLETE=\"bash\"", "_CLAP_COMPLETE_INDEX=", "_CLAP_IFS="] {
                        assert!(s.contains(var), "{var}: {s}");
                    }
                }
                "completions/_accelctl" => {
                    assert!(
                        s.ends_with("_clap_dynamic_completer_accelctl \"$@\"\n"),
                        "{s}"
                    );
                    for var in ["COMPLETE=\"zsh\"", "_CLAP_COMPLETE_INDEX=", "_CLAP_IFS="] {
                        assert!(s.contains(var), "{var}: {s}");
                    }
                }
                _ => {
                    assert!(s.contains("COMPLETE=fish accelctl -- "), "{s}");
                    assert!(
                        s.contains("--cut-at-cursor) (commandline --current-token)"),
                        "{s}"
                    );
                }
            }
        }
    }
}
