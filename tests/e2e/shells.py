"""Drive the real bash, zsh and fish to complete an accelctl command line,
with the scripts of completions/ installed as a user would.

bash and zsh run interactively on a pseudo-terminal and get the line and a
TAB typed, so readline/ZLE split the words and call the completion; a hook
writes the candidates to a file (bash: the COMPREPLY the script set; zsh:
every match added with compadd). fish completes with `complete -C`.
Each returns the candidate words, in the shell's order.
"""

import os
import pty
import select
import shlex
import signal
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMPLETIONS = REPO / "completions"
END = "__END__"
TIMEOUT = 120


def shell_env(bindir, home):
    """accelctl first in PATH (the scripts call it by name)."""
    env = dict(os.environ)
    env.update(PATH=f"{bindir}:{env.get('PATH', '/usr/bin:/bin')}", HOME=str(home),
               TERM="xterm", LANG="C.UTF-8")
    return env


def _type(argv, env, setup, line, out):
    """Run argv on a pty, type setup (which must end by creating out.ready),
    then line and a TAB; return the lines written to out up to END."""
    ready = Path(f"{out}.ready")
    pid, fd = pty.fork()
    if pid == 0:  # child: the shell, on the pty as its controlling terminal
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    transcript = b""
    try:
        os.write(fd, setup.encode())
        typed = False
        deadline = time.monotonic() + TIMEOUT
        while True:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    transcript += os.read(fd, 65536)  # drain: a full pty blocks the shell
                except OSError:
                    break
            if not typed and ready.exists():
                os.write(fd, (line + "\t").encode())
                typed = True
            if out.exists() and END in out.read_text().splitlines():
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"{argv[0]} did not complete {line!r} in {TIMEOUT}s; "
                                     f"terminal: {transcript.decode(errors='replace')!r}")
        lines = out.read_text().splitlines()
        return [w for w in lines[:lines.index(END)] if w]
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
        for f in (out, ready):
            f.unlink(missing_ok=True)


def bash(line, env, tmp):
    """The script sourced as from ~/.bashrc; its function wrapped to record
    COMPREPLY after it ran."""
    out = tmp / "bash.out"
    rc = tmp / "bashrc"
    rc.write_text(f"""
source {shlex.quote(str(COMPLETIONS / 'accelctl.bash'))}
eval "$(declare -f _clap_complete_accelctl | sed '1s/.*/_accelctl_script ()/')"
_clap_complete_accelctl() {{
    _accelctl_script "$@"
    {{ printf '%s\\n' "${{COMPREPLY[@]}}"; echo {END}; }} > {out}
}}
PS1='$ '
""")
    return _type(["bash", "--noprofile", "--rcfile", str(rc), "-i"], env,
                 f"touch {out}.ready\n", line, out)


def zsh(line, env, tmp):
    """_accelctl autoloaded from $fpath by compinit (so the first TAB is
    the file's first run); compadd wrapped to record the matches it adds.
    $fpath keeps only the completion system itself: compinit reads the
    first line of every file in $fpath, 1,700 of them, which takes minutes
    over the guest's 9p root."""
    out = tmp / "zsh.out"
    setup = (
        f"fpath=({shlex.quote(str(COMPLETIONS))} ${{(M)fpath:#*/Completion(|/Base)}})\n"
        "autoload -Uz compinit; compinit -u -D\n"
        # Calls that only compute into arrays (-O/-A/-D) add nothing.
        "compadd() { if (( ${@[(I)-[OAD]*]} )); then builtin compadd \"$@\"; return; fi;"
        f" local -a hits; builtin compadd -O hits \"$@\"; print -rl -- $hits >> {out};"
        " builtin compadd \"$@\" }\n"
        f"_accel_end() {{ print -r -- {END} >> {out} }}; comppostfuncs=(_accel_end)\n"
        f"PS1='$ '; : > {out}; touch {out}.ready\n"
    )
    return _type(["zsh", "-f", "-i"], env, setup, line, out)


def fish(line, env, tmp):
    """accelctl.fish found in fish_complete_path, as when installed."""
    proc = subprocess.run(
        ["fish", "--no-config", "-c",
         "set -p fish_complete_path $argv[1]; complete -C $argv[2]",
         str(COMPLETIONS), line],
        capture_output=True, text=True, env=env, timeout=TIMEOUT)
    assert proc.returncode == 0 and not proc.stderr, (proc.returncode, proc.stderr)
    return [entry.split("\t")[0] for entry in proc.stdout.splitlines()]


SHELLS = {"bash": bash, "zsh": zsh, "fish": fish}
