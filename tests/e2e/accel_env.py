"""Helpers for the e2e tests: accel_sim devices, running accelctl, the schema.

These tests run inside the test VM, as root, against the real patched kernel.
"""

import contextlib
import glob
import json
import os
import select
import subprocess
import time
from pathlib import Path

import jsonschema

REPO = Path(__file__).resolve().parents[2]
ACCELCTL = os.environ.get("ACCELCTL",
                          str(REPO / "target/x86_64-unknown-linux-gnu/release/accelctl"))
KSRC = Path(os.environ.get("KSRC", "/nonexistent"))
SCHEMA = json.loads((REPO / "accelctl/schema/accelctl.schema.json").read_text())
# Checked once: jsonschema.validate() would check the schema itself each call.
jsonschema.validators.validator_for(SCHEMA).check_schema(SCHEMA)
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
SIM_BUS = Path("/sys/bus/accel_sim")
DEBUGFS = Path("/sys/kernel/debug/accel_sim")
NOBODY = 65534


def validate(doc):
    """Every JSON document accelctl prints must match the published schema."""
    VALIDATOR.validate(doc)
    return doc


def accelctl(*args, user=None, check=True, timeout=120):
    """Run accelctl; returns the CompletedProcess (text mode)."""
    proc = subprocess.run([ACCELCTL, *args], capture_output=True, text=True,
                          timeout=timeout, user=user)
    if check and proc.returncode != 0:
        raise AssertionError(f"accelctl {' '.join(args)} exited "
                             f"{proc.returncode}: {proc.stderr}")
    return proc


def accelctl_json(*args, user=None, check=True):
    """Run `accelctl -j ARGS`, validate its output and return it parsed."""
    proc = accelctl("-j", *args, user=user, check=check)
    return proc, validate(json.loads(proc.stdout))


def minor_of(sim_id):
    """Index N of the accelN minor below accel_sim device sim_id."""
    minors = glob.glob(f"{SIM_BUS}/devices/accel_sim{sim_id}/accel/accel*")
    assert len(minors) == 1, minors
    return int(os.path.basename(minors[0])[len("accel"):])


def sim_ids():
    return sorted(int(p.name[len("accel_sim"):])
                  for p in (SIM_BUS / "devices").iterdir())


def sim_add(sim_id, node=None):
    line = f"{sim_id}" if node is None else f"{sim_id} {node}"
    (SIM_BUS / "new_device").write_text(line)
    return minor_of(sim_id)


def sim_del(sim_id):
    (SIM_BUS / "del_device").write_text(f"{sim_id}")


def sim_del_all():
    for sim_id in sim_ids():
        sim_del(sim_id)


@contextlib.contextmanager
def sims(*specs):
    """Create accel_sim devices from (id, node) pairs; delete them after."""
    created = []
    try:
        for sim_id, node in specs:
            sim_add(sim_id, node)
            created.append(sim_id)
        yield [minor_of(i) for i in created]
    finally:
        for sim_id in created:
            if sim_id in sim_ids():
                sim_del(sim_id)


def wait_subscribed(pid, timeout=60):
    """Wait until process pid has a generic netlink socket joined to a group.

    /proc/net/netlink shows the first 32 multicast groups of each socket;
    the accel family is one of a handful on the test kernel, so its monitor
    group is among them.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in Path("/proc/net/netlink").read_text().splitlines()[1:]:
            fields = line.split()
            # sk Eth Pid Groups ...
            if fields[1] == "16" and int(fields[2]) == pid and int(fields[3], 16):
                return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} did not join a netlink group in {timeout}s")


def readline(proc, timeout=60):
    """Next stdout line of a running process, failing instead of hanging.

    Reads the pipe with os.read (a buffered reader could hold the next
    lines where select() cannot see them); use it for all reads of proc.
    """
    buf = getattr(proc, "_accel_lines", b"")
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    while b"\n" not in buf:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"no output from {proc.args} in {timeout}s")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise AssertionError(f"{proc.args} ended: {proc.stderr.read()}")
        buf += chunk
    line, _, proc._accel_lines = buf.partition(b"\n")
    return line.decode() + "\n"


def pci_sim_devices():
    """PCI devices bound to accel_sim (QEMU's edu device)."""
    return sorted(Path(p) for p in glob.glob("/sys/bus/pci/drivers/accel_sim/0000:*"))


def read_hex(path):
    return int(Path(path).read_text(), 16)


def wait_until(fetch, pred, what, timeout=60, interval=0.05):
    """Poll fetch() until pred(value) holds and return that value.

    For results of the kernel's work items (no fixed sleeps); on timeout
    fails naming what was awaited and the last value seen.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if pred(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                                 f"last value: {value!r}")
        time.sleep(interval)


def holds_for(fetch, pred, what, duration=1.0, interval=0.05):
    """Check that pred(fetch()) keeps holding for duration seconds: for
    things that must not happen. Returns the last value."""
    deadline = time.monotonic() + duration
    while True:
        value = fetch()
        if not pred(value):
            raise AssertionError(f"expected {what}, got {value!r}")
        if time.monotonic() > deadline:
            return value
        time.sleep(interval)
