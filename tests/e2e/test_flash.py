"""`accelctl dev flash` against the real kernel: what accelctl adds
(progress rendering on a terminal and without one, JSON lines valid against
the schema, exit codes, Ctrl-C, the whole update sequence).

The accel_sim contract: an image is a 64-byte little-endian header (magic
"ACSIMFW1", u32 header_version 1, u32 payload_len, char component[16],
char version[24], u32 crc32 of the payload (zlib's), u32 flags) and the
payload, at most 1 MiB in all. Flashing writes the image's version as the
stored version of its component. Steps: "Erasing", "Writing" (done/total in
bytes of payload), "Verifying". Knobs in accel_sim/accel_simN/flash/:
speed_kbps (KiB/s, default 4096), fail_at_pct (the write fails with EIO and
"accel_sim: simulated flash failure at N%"). The kernel looks the file up in
its firmware search path: the tests point
/sys/module/firmware_class/parameters/path at a temp dir.
"""

import contextlib
import json
import os
import pty
import select
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from accel_env import (ACCELCTL, DEBUGFS, NOBODY, accelctl, accelctl_json, readline, sims,
                       validate, wait_until)
from sim_image import image
from test_health import monitors

FW_PATH = Path("/sys/module/firmware_class/parameters/path")
CAP_MSG = "needs CAP_NET_ADMIN"
HINT = "activate it with 'accelctl dev reload"


@pytest.fixture
def fw_dir():
    """A temp dir as the kernel's firmware search path (restored after)."""
    old = FW_PATH.read_text().rstrip("\n")
    with tempfile.TemporaryDirectory(prefix="accel-fw-") as d:
        FW_PATH.write_text(d)
        try:
            yield Path(d)
        finally:
            # An empty write would not reach the kernel: a NUL empties it.
            with open(FW_PATH, "wb") as f:
                f.write(old.encode() if old else b"\0")


def flash_knob(sim_id, name):
    return DEBUGFS / f"accel_sim{sim_id}" / "flash" / name


def info_knob(sim_id, name):
    return DEBUGFS / f"accel_sim{sim_id}" / "info" / name


def info(minor):
    _, doc = accelctl_json("dev", "info", f"accel{minor}")
    [dev] = doc["devices"]
    return dev


def versions(minor, group):
    return {v["name"]: v["value"] for v in info(minor)["versions"][group]}


def flash(minor, *args, **kw):
    return accelctl("dev", "flash", f"accel{minor}", *args, **kw)


def json_lines(text):
    """Every line of -j output, validated."""
    return [validate(json.loads(line)) for line in text.splitlines()]


class OnPty:
    """accelctl with its stdout on a pseudo-terminal (stderr a pipe)."""

    def __init__(self, *args):
        master, slave = pty.openpty()
        self.master = master
        self.proc = subprocess.Popen([ACCELCTL, *args], stdin=subprocess.DEVNULL,
                                     stdout=slave, stderr=subprocess.PIPE)
        os.close(slave)
        self.out = b""

    def read_until(self, pred, timeout=60):
        deadline = time.monotonic() + timeout
        while not pred(self.out):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out; output so far: {self.out!r}")
            if not select.select([self.master], [], [], left)[0]:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the other end is closed
                chunk = b""
            if not chunk:
                if not pred(self.out):
                    raise AssertionError(f"output ended: {self.out!r}")
                break
            self.out += chunk
        return self.out.decode(errors="replace")

    def exit_within(self, seconds):
        """Wait for the process to exit, reading its terminal meanwhile (a
        full pty would block it); kill it and fail if it takes longer than
        `seconds`. Returns the seconds it took."""
        start = time.monotonic()
        while self.proc.poll() is None:
            took = time.monotonic() - start
            if took > seconds:
                self.proc.kill()
                self.proc.wait()
                os.close(self.master)
                raise AssertionError(f"still running {took:.1f} s later; output: {self.out!r}")
            if select.select([self.master], [], [], 0.05)[0]:
                with contextlib.suppress(OSError):  # EIO: the other end is closed
                    self.out += os.read(self.master, 65536)
        return time.monotonic() - start

    def finish(self, timeout=120):
        """Read to the end; returns (exit status, stdout text, stderr text)."""
        with contextlib.suppress(AssertionError):
            self.read_until(lambda _: False, timeout)
        err = self.proc.stderr.read().decode()
        code = self.proc.wait(timeout=timeout)
        os.close(self.master)
        return code, self.out.decode(errors="replace"), err


def test_flash_stores_the_version_plain_lines_without_a_terminal(fw_dir):
    with sims((61, None)) as [minor]:
        dev = f"accel{minor}"
        (fw_dir / "fw-2.0.bin").write_bytes(image("2.0.0"))
        proc = flash(minor, "file", "fw-2.0.bin")
        lines = proc.stdout.splitlines()
        assert "\r" not in proc.stdout and "\x1b" not in proc.stdout, proc.stdout
        assert lines[0] == f"{dev}: flashing fw-2.0.bin", lines
        steps = lines[1:-1]
        assert any(": Erasing" in line for line in steps), lines
        assert any(": Verifying" in line for line in steps), lines
        writing = [line for line in steps if ": Writing" in line]
        # One line when the step begins, at most one more per 10 %.
        assert 1 <= len(writing) <= 11, writing
        assert writing[-1].split(" Writing ")[1].startswith("100%"), writing
        assert all("elapsed " in line for line in steps), steps
        assert lines[-1] == (f"{dev}: flash done: the new firmware is stored; activate it "
                             f"with 'accelctl dev reload {dev} action fw_activate'"), lines
        assert versions(minor, "stored")["fw"] == "2.0.0"
        assert info(minor)["pending_activation"] == ["fw"]


def test_json_lines_are_valid_monotonic_and_end_with_a_result(fw_dir):
    with sims((62, None)) as [minor]:
        (fw_dir / "a.bin").write_bytes(image("3.1.4", size=256 * 1024))
        proc = accelctl("-j", "dev", "flash", f"accel{minor}", "file", "a.bin")
        docs = json_lines(proc.stdout)
        kinds = [d["event"] for d in docs]
        assert kinds[0] == "flash-begin" and kinds[-2:] == ["flash-end", "flash-result"], kinds
        assert set(kinds[1:-2]) == {"flash-status"}, kinds
        assert all(d["version"] == 2 for d in docs)
        assert all(d["dev"]["index"] == minor for d in docs), docs
        assert docs[0]["file_name"] == "a.bin" and docs[0]["overwrite"] == []
        statuses = docs[1:-2]
        msgs = [s["status_msg"] for s in statuses]
        assert msgs.index("Erasing") < msgs.index("Writing") < msgs.index("Verifying"), msgs
        writing = [s for s in statuses if s["status_msg"] == "Writing"]
        done = [s["done"] for s in writing]
        assert done == sorted(done), done
        assert len(writing) > 2, writing
        assert all(s["total"] == 256 * 1024 for s in writing), writing
        assert done[-1] == 256 * 1024, done
        assert docs[-2]["error"] == 0 and docs[-2]["error_msg"] is None
        assert docs[-1]["ok"] is True and docs[-1]["errno"] is None
        assert docs[-1]["dev"]["index"] == minor


def test_progress_line_on_a_terminal(fw_dir):
    with sims((63, None)) as [minor]:
        dev = f"accel{minor}"
        (fw_dir / "slow.bin").write_bytes(image("4.0.0"))
        flash_knob(63, "speed_kbps").write_text("32")  # 64 KiB in 2 s
        run = OnPty("dev", "flash", dev, "file", "slow.bin")
        code, out, err = run.finish()
        assert code == 0, err
        # Redrawn: carriage return and clear-to-EOL before each state.
        assert "\r\x1b[K" in out, out
        draws = [d for d in out.split("\r\x1b[K") if " Writing " in d]
        assert len(draws) > 2, draws
        mid = [d for d in draws if "%" in d and "/s" in d]
        assert mid, draws
        assert "[" in mid[-1] and "]" in mid[-1], mid[-1]  # the bar
        assert "elapsed 0:0" in mid[-1], mid[-1]
        assert f"{dev}: fw: Writing" in out
        assert " 100% " in out, out
        assert HINT in out, out


def test_bad_images_fail_with_the_drivers_message(fw_dir):
    with sims((64, None)) as [minor]:
        before = versions(minor, "stored")
        cases = {
            "small.bin": (image("1")[:40], "image too small"),
            "magic.bin": (image("1", magic=b"NOTSIMFW"), "bad image magic"),
            "hver.bin": (image("1", header_version=2), "unsupported image header version"),
            "len.bin": (image("1", length=1000), "image length mismatch"),
            "crc.bin": (image("1", crc=0x1234), "image checksum mismatch"),
            "comp.bin": (image("1", component="nope"), "unknown component 'nope'"),
            "big.bin": (image("1", size=1024 * 1024), "image too large"),
        }
        for name, (data, msg) in cases.items():
            (fw_dir / name).write_bytes(data)
            proc = flash(minor, "file", name, check=False)
            assert proc.returncode == 1, (name, proc.stdout, proc.stderr)
            assert f"device accel{minor}: cannot flash:" in proc.stderr, proc.stderr
            assert f'(kernel: "{msg}' in proc.stderr, (name, proc.stderr)
            assert HINT not in proc.stdout
        # The request names another component than the image.
        (fw_dir / "fw.bin").write_bytes(image("1", component="fw"))
        proc = flash(minor, "file", "fw.bin", "component", "fw.mgmt", check=False)
        assert proc.returncode == 1
        assert "image is for component 'fw', not 'fw.mgmt'" in proc.stderr, proc.stderr
        # JSON: the result says so too.
        proc = accelctl("-j", "dev", "flash", f"accel{minor}", "file", "crc.bin", check=False)
        assert proc.returncode == 1
        result = json_lines(proc.stdout)[-1]
        assert result["event"] == "flash-result" and result["ok"] is False, result
        assert result["errno"] == 22 and result["kernel_message"].startswith(
            "image checksum mismatch"), result
        assert versions(minor, "stored") == before


def test_missing_file_and_usage_errors(fw_dir):
    with sims((65, None)) as [minor]:
        proc = flash(minor, "file", "absent.bin", check=False)
        assert proc.returncode == 1, proc.stderr
        assert "No such file or directory" in proc.stderr, proc.stderr
        assert "absent.bin" in proc.stderr, proc.stderr
        assert "firmware search path" in proc.stderr, proc.stderr
        proc = accelctl("-j", "dev", "flash", f"accel{minor}", "file", "absent.bin",
                        check=False)
        [result] = json_lines(proc.stdout)  # no event: the flash never began
        assert result["ok"] is False and result["errno"] == 2 and result["dev"] is None
        for args in (("file", "a", "overwrite", "everything"), ("component", "fw"),
                     ("file", "x" * 257)):
            proc = flash(minor, *args, check=False)
            assert proc.returncode == 2, (args, proc.stderr)
        proc = flash(minor, "file", "a", "overwrite", "everything", check=False)
        assert "everything" in proc.stderr
        proc = accelctl("dev", "flash", "accel99", "file", "a", check=False)
        assert proc.returncode == 1 and "accelctl dev show" in proc.stderr, proc.stderr


def test_needs_cap_net_admin(fw_dir):
    with sims((66, None)) as [minor]:
        (fw_dir / "a.bin").write_bytes(image("5"))
        proc = flash(minor, "file", "a.bin", user=NOBODY, check=False)
        assert proc.returncode == 1
        assert CAP_MSG in proc.stderr, proc.stderr


def background_flash(minor, name):
    """`accelctl -j dev flash` running; returns once it began."""
    bg = subprocess.Popen([ACCELCTL, "-j", "dev", "flash", f"accel{minor}", "file", name],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    begin = validate(json.loads(readline(bg)))
    assert begin["event"] == "flash-begin", begin
    return bg


def test_one_flash_at_a_time_and_reads_go_on(fw_dir):
    with sims((67, None)) as [minor]:
        dev = f"accel{minor}"
        (fw_dir / "slow.bin").write_bytes(image("6.0.0"))
        (fw_dir / "other.bin").write_bytes(image("6.0.1"))
        flash_knob(67, "speed_kbps").write_text("16")  # 64 KiB in 4 s
        bg = background_flash(minor, "slow.bin")
        try:
            proc = flash(minor, "file", "other.bin", check=False)
            assert proc.returncode == 1, proc.stdout
            assert "Device or resource busy" in proc.stderr, proc.stderr
            assert "a firmware flash is already in progress on this device" in proc.stderr
            # The refused flash printed none of the running flash's progress.
            assert "Writing" not in proc.stdout, proc.stdout
            # Reads are served during the flash.
            start = time.monotonic()
            assert versions(minor, "running")["fw"]
            accelctl("dev", "show", dev)
            accelctl("health", "show", dev)
            assert time.monotonic() - start < 2.0
            # A reload is refused.
            proc = accelctl("dev", "reload", dev, check=False)
            assert proc.returncode == 1
            assert "firmware flash in progress" in proc.stderr, proc.stderr
        finally:
            out, err = bg.communicate(timeout=120)
        assert bg.returncode == 0, err
        assert json_lines(out.decode())[-1]["ok"] is True
        assert versions(minor, "stored")["fw"] == "6.0.0"


def test_failure_midway_keeps_the_stored_version(fw_dir):
    with sims((68, None)) as [minor]:
        before = versions(minor, "stored")["fw"]
        (fw_dir / "a.bin").write_bytes(image("7.0.0"))
        flash_knob(68, "fail_at_pct").write_text("50")
        msg = "accel_sim: simulated flash failure at 50%"
        proc = flash(minor, "file", "a.bin", check=False)
        assert proc.returncode == 1
        assert "Input/output error" in proc.stderr and msg in proc.stderr, proc.stderr
        assert HINT not in proc.stdout
        proc = accelctl("-j", "dev", "flash", f"accel{minor}", "file", "a.bin", check=False)
        assert proc.returncode == 1
        docs = json_lines(proc.stdout)
        end, result = docs[-2:]
        assert end["event"] == "flash-end" and end["error"] == 5, end
        assert end["error_msg"] == msg
        assert result["ok"] is False and result["kernel_message"] == msg, result
        done = [d["done"] for d in docs if d["event"] == "flash-status"
                and d["status_msg"] == "Writing"]
        assert done and done[-1] < 64 * 1024, done
        assert versions(minor, "stored")["fw"] == before


def reader_gone_after_first_line(*args, close_at_once=False):
    """accelctl ARGS with stdout a pipe whose reader goes away after the first
    line (`accelctl ... | head -1`), or before any (`close_at_once`); returns
    (exit status, the line, stderr)."""
    proc = subprocess.Popen([ACCELCTL, *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = b"" if close_at_once else proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        code = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return code, first.decode(), err.decode()


def test_closed_stdout_does_not_hide_the_result(fw_dir):
    """stdout goes away during the flash: accelctl follows the flash to its
    end and exits with its result, 1 for a failure (not 0 for the EPIPE)."""
    with sims((74, None)) as [minor]:
        dev = f"accel{minor}"
        (fw_dir / "a.bin").write_bytes(image("9.0.0"))
        # 64 KiB at 32 KiB/s: the reader is gone long before the end.
        flash_knob(74, "speed_kbps").write_text("32")
        flash_knob(74, "fail_at_pct").write_text("50")
        msg = "accel_sim: simulated flash failure at 50%"
        code, first, err = reader_gone_after_first_line("-j", "dev", "flash", dev,
                                                        "file", "a.bin")
        assert code == 1, (code, err)
        assert validate(json.loads(first))["event"] == "flash-begin", first
        assert msg in err and "Input/output error" in err, err
        code, first, err = reader_gone_after_first_line("dev", "flash", dev, "file", "a.bin")
        assert code == 1, (code, err)
        assert first == f"{dev}: flashing a.bin\n", first
        assert msg in err, err
        assert versions(minor, "stored")["fw"] != "9.0.0"
        # A flash that succeeds still exits 0.
        flash_knob(74, "fail_at_pct").write_text("0")
        code, first, err = reader_gone_after_first_line("-j", "dev", "flash", dev,
                                                        "file", "a.bin")
        assert code == 0, (code, err)
        assert err == "", err
        assert versions(minor, "stored")["fw"] == "9.0.0"


def test_ctrl_c_leaves_the_flash_to_the_kernel(fw_dir):
    with sims((69, None)) as [minor]:
        dev = f"accel{minor}"
        (fw_dir / "slow.bin").write_bytes(image("8.0.0"))
        flash_knob(69, "speed_kbps").write_text("16")
        run = OnPty("dev", "flash", dev, "file", "slow.bin")
        run.read_until(lambda out: b"Writing" in out)
        run.proc.send_signal(signal.SIGINT)
        # It returns at once, without waiting for the flash (about 4 s more
        # at 16 KiB/s): a hang fails here instead of holding up the suite.
        took = run.exit_within(3.0)
        code, out, err = run.finish()
        assert code == 130, (code, err, f"{took:.2f} s")
        assert "continues in the kernel" in err and "accelctl monitor" in err, err
        assert HINT not in out
        # The flash completes without its requester.
        wait_until(lambda: versions(minor, "stored")["fw"], lambda v: v == "8.0.0",
                   "the stored version after the interrupted flash")


def test_component_and_overwrite(fw_dir):
    with sims((70, None)) as [minor]:
        dev = f"accel{minor}"
        (fw_dir / "mgmt.bin").write_bytes(image("2.5.0", component="fw.mgmt"))
        flash(minor, "file", "mgmt.bin", "component", "fw.mgmt")
        stored = versions(minor, "stored")
        assert stored["fw.mgmt"] == "2.5.0" and stored["fw"] != "2.5.0", stored
        # overwrite identifiers: the serial number becomes "SIM-" + version.
        (fw_dir / "ids.bin").write_bytes(image("9.9.0", flags=3))
        proc = accelctl("-j", "dev", "flash", dev, "file", "ids.bin", "overwrite",
                        "identifiers", "overwrite", "settings")
        begin = json_lines(proc.stdout)[0]
        assert begin["overwrite"] == ["settings", "identifiers"], begin
        assert info(minor)["serial_number"] == "SIM-9.9.0"


def test_monitor_follows_a_flash(fw_dir):
    with sims((71, None)) as [minor]:
        dev = f"accel{minor}"
        (fw_dir / "a.bin").write_bytes(image("1.2.3"))
        with monitors() as (jmon, tmon):
            flash(minor, "file", "a.bin")
            events = []
            while not events or events[-1]["event"] != "flash-end":
                event = validate(json.loads(readline(jmon)))
                if event["event"].startswith("flash-"):
                    events.append(event)
            lines = []
            while not lines or not lines[-1].startswith("[flash,end]"):
                line = readline(tmon)
                if line.startswith("[flash,"):
                    lines.append(line)
        assert events[0]["event"] == "flash-begin" and events[0]["dev"]["index"] == minor
        assert events[-1]["error"] == 0
        assert lines[0] == f"[flash,begin] {dev}: accel_sim/accel_sim71 file a.bin\n", lines
        assert any(line.startswith(f"[flash,status] {dev}: ") and " msg Writing " in line
                   for line in lines), lines
        assert lines[-1] == f"[flash,end] {dev}: accel_sim/accel_sim71 file a.bin ok\n", lines


def test_the_whole_update_sequence(fw_dir):
    """dev info -> dev flash -> stored pending -> reload fw_activate -> running."""
    with sims((72, None)) as [minor]:
        dev = f"accel{minor}"
        running = versions(minor, "running")["fw"]
        assert versions(minor, "stored")["fw"] == running
        assert info(minor)["pending_activation"] == []
        (fw_dir / "update.bin").write_bytes(image("10.0.0"))
        proc = flash(minor, "file", "update.bin")
        assert HINT in proc.stdout
        assert versions(minor, "stored")["fw"] == "10.0.0"
        assert versions(minor, "running")["fw"] == running
        assert info(minor)["pending_activation"] == ["fw"]
        assert "(pending activation)" in accelctl("dev", "info", dev).stdout
        accelctl("dev", "reload", dev, "action", "fw_activate")
        assert versions(minor, "running")["fw"] == "10.0.0"
        assert info(minor)["pending_activation"] == []
