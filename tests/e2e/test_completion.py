"""Shell completion in the real bash, zsh and fish, with the scripts of
completions/ installed as a user would, against live devices: DEV
positions offer the devices present now (accelN and BUS/NAME), `reporter`
the reporters the device has now, keywords and commands still complete,
and a completion that cannot find candidates offers nothing and prints
nothing. The shells are driven by shells.py.
"""

import os
import subprocess

import pytest

from accel_env import ACCELCTL, DEBUGFS, accelctl_json, sim_del, sims
from shells import COMPLETIONS, SHELLS, shell_env


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    bindir = tmp_path_factory.mktemp("bin")
    (bindir / "accelctl").symlink_to(ACCELCTL)
    return shell_env(bindir, tmp_path_factory.mktemp("home"))


class Completer:
    """complete(line) -> the candidates the shell offers at the line's end."""

    def __init__(self, shell, env, tmp):
        self.shell, self.env, self.tmp = shell, env, tmp

    def __call__(self, line):
        return SHELLS[self.shell](line, self.env, self.tmp)


@pytest.fixture(params=SHELLS)
def complete(request, env, tmp_path):
    return Completer(request.param, env, tmp_path)


def device_names():
    """accelN and BUS/NAME of every device, as the family lists them."""
    _, doc = accelctl_json("dev", "show")
    return [n for d in doc["devices"] for n in (d["name"], d["handle"])]


def reporter_names(dev):
    _, doc = accelctl_json("health", "show", dev)
    return [r["reporter"] for r in doc["reporters"]]


def same(got, expected):
    assert expected, "nothing to compare with: the test would pass vacuously"
    assert sorted(got) == sorted(expected), f"offered {got}, expected {expected}"


def test_dev_positions_offer_the_devices_present(complete):
    with sims((1, None), (2, 0)):
        expected = device_names()
        assert {"accel_sim/accel_sim1", "accel_sim/accel_sim2"} <= set(expected), expected
        same(complete("accelctl dev show "), expected)
        same(complete("accelctl -j dev info "), expected)
        sim_del(2)
        after = complete("accelctl health show ")
        same(after, device_names())
        assert "accel_sim/accel_sim2" not in after, after
        # A prefix narrows, in either form.
        same(complete("accelctl health check accel_sim/"), ["accel_sim/accel_sim1"])


def test_reporter_offers_the_reporters_of_that_device(complete):
    with sims((3, None)) as [minor]:
        expected = reporter_names(f"accel{minor}")
        assert set(expected) == {"empty", "dummy"}, expected
        same(complete(f"accelctl health show accel{minor} reporter "), expected)
        # A reporter the driver creates now is offered now.
        (DEBUGFS / "accel_sim3/health/extra_reporter").write_text("1")
        expected = reporter_names(f"accel{minor}")
        assert "extra" in expected, expected
        same(complete("accelctl health recover accel_sim/accel_sim3 reporter "), expected)
        same(complete(f"accelctl health dump show /dev/accel/accel{minor} reporter d"),
             ["dummy"])


@pytest.mark.parametrize("shell", SHELLS)
def test_a_pci_handle_reaches_accelctl_as_one_word(shell, tmp_path):
    """bash splits words at ':' (COMP_WORDBREAKS); its script must join
    them again, or the reporter lookup would get DEV "pci/0000". Here
    accelctl is a stub that records what the script passes it."""
    [pci] = [h for h in device_names() if h.startswith("pci/")]
    stub = tmp_path / "stub"
    stub.mkdir()
    log = tmp_path / "args"
    (stub / "accelctl").write_text(
        f'#!/bin/sh\nprintf "%s\\n" "index=$_CLAP_COMPLETE_INDEX" "$@" > {log}\n')
    (stub / "accelctl").chmod(0o755)
    got = Completer(shell, shell_env(stub, tmp_path), tmp_path)(
        f"accelctl health show {pci} reporter ")
    assert got == [], got
    index, *args = log.read_text().splitlines()
    assert args == ["--", "accelctl", "health", "show", pci, "reporter", ""], args
    # bash and zsh say where the cursor is; fish's words end there.
    assert index == ("index=" if shell == "fish" else "index=5"), index


def test_pci_handle_completes_after_a_colon(complete):
    """bash replaces only the text after the last ':' of the word, so its
    script must answer with that part; zsh and fish take the whole word."""
    [pci] = [h for h in device_names() if h.startswith("pci/")]
    typed = pci[:pci.index(":") + 2]  # pci/0000:0
    got = complete(f"accelctl dev show {typed}")
    if complete.shell == "bash":
        assert got == [pci[typed.rindex(":") + 1:]], (got, pci)
    else:
        assert got == [pci], (got, pci)


def test_keywords_and_commands(complete):
    with sims((4, None)) as [minor]:
        dev = f"accel{minor}"
        same(complete("accelctl health "),
             ["show", "set", "recover", "diagnose", "test", "dump", "check"])
        same(complete("accelctl health dump "), ["show", "clear"])
        same(complete(f"accelctl health show {dev} "), ["reporter"])
        same(complete(f"accelctl health set {dev} reporter dummy "),
             ["grace_period", "auto_recover", "auto_dump"])
        same(complete(f"accelctl health set {dev} auto_dump false reporter dummy a"),
             ["auto_recover"])
        same(complete(f"accelctl health set {dev} reporter dummy auto_recover "),
             ["true", "false"])
        same(complete("accelctl --js"), ["--json"])


def test_nothing_when_there_is_nothing_to_offer(complete):
    with sims((5, None)):
        # No such device, a number, a finished command: no candidates (and
        # neither options nor file names instead).
        assert complete("accelctl health show accel250 reporter ") == []
        assert complete("accelctl health set accel_sim/accel_sim5 grace_period ") == []
        assert complete("accelctl monitor ") == []


def completion_run(*words, netns=False):
    """accelctl asked for the candidates of its last word, as fish asks."""
    cmd = ["unshare", "-n"] if netns else []
    return subprocess.run([*cmd, ACCELCTL, "--", "accelctl", *words],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COMPLETE": "fish"})


def test_devices_without_the_family_reporters_never_error():
    """In another network namespace the family shows nothing: devices still
    complete (sysfs), reporters do not, and nothing goes to stderr."""
    with sims((6, None)) as [minor]:
        proc = completion_run("dev", "show", "accel_sim/", netns=True)
        assert (proc.returncode, proc.stderr) == (0, ""), proc
        assert proc.stdout == f"accel_sim/accel_sim6\taccel{minor}\n", proc.stdout
        proc = completion_run("health", "show", f"accel{minor}", "reporter", "", netns=True)
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", ""), proc
        proc = completion_run("health", "show", "pci/a b", "reporter", "")
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", ""), proc


@pytest.mark.parametrize("shell,script", [("bash", "accelctl.bash"), ("zsh", "_accelctl"),
                                          ("fish", "accelctl.fish")])
def test_the_binary_prints_the_installed_scripts(env, shell, script):
    """`COMPLETE=SHELL accelctl` prints exactly the file in completions/."""
    proc = subprocess.run(["accelctl"], capture_output=True, text=True, timeout=60,
                          env={**env, "COMPLETE": shell})
    assert proc.returncode == 0 and not proc.stderr, proc
    assert proc.stdout == (COMPLETIONS / script).read_text()


def test_other_complete_values_run_the_command():
    """An unrelated COMPLETE in the environment changes nothing."""
    with sims((7, None)):
        for value in ("1", "yes", ""):
            proc = subprocess.run([ACCELCTL, "-j", "dev", "show"], capture_output=True,
                                  text=True, timeout=60, env={**os.environ, "COMPLETE": value})
            assert proc.returncode == 0, proc
            assert "accel_sim/accel_sim7" in proc.stdout, proc.stdout
