"""How accelctl behaves as a process: what it does with the standard file
descriptors it was given (it has its own C entry point, so std's start-up
does not do it)."""

import os
import subprocess
import time

from accel_env import ACCELCTL


def open_fds(pid):
    return {fd: os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}


def test_closed_stdout_is_not_reused_for_the_netlink_socket():
    """Started with stdout closed (as some daemons start tools), accelctl
    must not let its netlink socket become fd 1: output would be sent to
    the kernel. monitor keeps the socket open, so it can be inspected."""
    proc = subprocess.Popen([ACCELCTL, "monitor"], stdin=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    try:
        deadline = time.monotonic() + 30
        fds = {}
        while time.monotonic() < deadline and proc.poll() is None:
            fds = open_fds(proc.pid)
            if any(t.startswith("socket:") for t in fds.values()):
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.stderr.read()
        assert any(t.startswith("socket:") for t in fds.values()), fds
        assert fds.get("1") == "/dev/null", fds
    finally:
        proc.kill()
        proc.wait()
