"""`accelctl dev selftest show|run` against the real kernel: results as text
and JSON, the exit status, the status events of monitor.

The accel_sim contract: tests id 1 "memory", 2 "compute", 3 "link"; knobs in
accel_sim/accel_simN/selftest/: `<name>_result` ("pass", "fail", "skip"),
`duration_ms` (per test); messages "accel_sim: simulated <name> failure"
and "accel_sim: <name> test skipped".
"""

import json
import subprocess
import time

from accel_env import (ACCELCTL, DEBUGFS, NOBODY, accelctl, accelctl_json, readline, sims,
                       validate)
from test_flash import OnPty, flash_knob, fw_dir, image  # noqa: F401 (fixture)
from test_flash import reader_gone_after_first_line
from test_health import monitors

TESTS = [(1, "memory"), (2, "compute"), (3, "link")]


def st_knob(sim_id, name):
    return DEBUGFS / f"accel_sim{sim_id}" / "selftest" / name


def run(minor, *args, **kw):
    return accelctl("dev", "selftest", "run", f"accel{minor}", *args, **kw)


def test_show_lists_the_tests():
    with sims((81, None), (82, None)) as [m1, m2]:
        out = accelctl("dev", "selftest", "show", f"accel{m1}").stdout
        assert out == (f"accel{m1}: accel_sim/accel_sim81\n"
                       "  id 1 name memory\n  id 2 name compute\n  id 3 name link\n"), out
        _, doc = accelctl_json("dev", "selftest", "show")
        by_index = {d["index"]: d for d in doc["devices"]}
        for m in (m1, m2):
            assert [(t["id"], t["name"]) for t in by_index[m]["tests"]] == TESTS
        # Unprivileged.
        proc = accelctl("dev", "selftest", "show", f"accel{m2}", user=NOBODY)
        assert "name link" in proc.stdout
        proc = accelctl("dev", "selftest", "show", "accel99", check=False)
        assert proc.returncode == 1 and "accelctl dev show" in proc.stderr, proc.stderr


def test_run_all_pass():
    with sims((83, None)) as [minor]:
        dev = f"accel{minor}"
        proc = run(minor)
        assert proc.stdout == (f"{dev}: memory (1): pass\n{dev}: compute (2): pass\n"
                               f"{dev}: link (3): pass\n"), proc.stdout
        _, doc = accelctl_json("dev", "selftest", "run", dev)
        assert doc["ok"] is True and doc["dev"]["index"] == minor
        assert [(r["id"], r["name"], r["result"], r["message"]) for r in doc["results"]] == \
            [(i, n, "pass", None) for i, n in TESTS]


def test_a_failure_exits_1_and_a_skip_does_not():
    with sims((84, None)) as [minor]:
        dev = f"accel{minor}"
        st_knob(84, "link_result").write_text("skip")
        proc = run(minor)
        assert proc.returncode == 0
        assert f"{dev}: link (3): skip: accel_sim: link test skipped\n" in proc.stdout
        st_knob(84, "compute_result").write_text("fail")
        proc = run(minor, check=False)
        assert proc.returncode == 1, proc.stderr
        assert f"{dev}: compute (2): fail: accel_sim: simulated compute failure\n" \
            in proc.stdout, proc.stdout
        assert f"{dev}: memory (1): pass\n" in proc.stdout
        proc = accelctl("-j", "dev", "selftest", "run", dev, check=False)
        assert proc.returncode == 1
        doc = validate(json.loads(proc.stdout))
        assert doc["ok"] is False
        results = {r["name"]: (r["result"], r["message"]) for r in doc["results"]}
        assert results == {"memory": ("pass", None),
                           "compute": ("fail", "accel_sim: simulated compute failure"),
                           "link": ("skip", "accel_sim: link test skipped")}, results


def test_closed_stdout_does_not_hide_a_failure():
    """The reader of stdout goes away before the results (`| head -0`): the
    exit status is still the run's result."""
    with sims((80, None)) as [minor]:
        dev = f"accel{minor}"
        st_knob(80, "duration_ms").write_text("300")
        st_knob(80, "compute_result").write_text("fail")
        for json_opt in (["-j"], []):
            code, _, err = reader_gone_after_first_line(
                *json_opt, "dev", "selftest", "run", dev, close_at_once=True)
            assert code == 1, (json_opt, code, err)
        st_knob(80, "compute_result").write_text("pass")
        code, _, err = reader_gone_after_first_line("-j", "dev", "selftest", "run", dev,
                                                    close_at_once=True)
        assert code == 0, (code, err)


def test_run_some_by_id_and_unknown_ids():
    with sims((85, None)) as [minor]:
        dev = f"accel{minor}"
        # The kernel runs the tests in the device's order, not the request's.
        proc = run(minor, "id", "3", "id", "1")
        assert proc.stdout == f"{dev}: memory (1): pass\n{dev}: link (3): pass\n", proc.stdout
        # Duplicates run once.
        proc = run(minor, "id", "2", "id", "2")
        assert proc.stdout == f"{dev}: compute (2): pass\n", proc.stdout
        proc = run(minor, "id", "9", check=False)
        assert proc.returncode == 1, proc.stdout
        assert "Invalid argument" in proc.stderr and "kernel:" in proc.stderr, proc.stderr
        assert "9" in proc.stderr and "dev selftest show" in proc.stderr, proc.stderr
        proc = run(minor, "id", "memory", check=False)
        assert proc.returncode == 2, proc.stderr


def test_run_needs_cap_net_admin():
    with sims((86, None)) as [minor]:
        proc = run(minor, user=NOBODY, check=False)
        assert proc.returncode == 1 and "needs CAP_NET_ADMIN" in proc.stderr, proc.stderr


def test_monitor_shows_status_events():
    with sims((87, None)) as [minor]:
        dev = f"accel{minor}"
        st_knob(87, "memory_result").write_text("fail")
        with monitors() as (jmon, tmon):
            run(minor, "id", "1", check=False)
            events = []
            while not events or events[-1].get("result") is None:
                event = validate(json.loads(readline(jmon)))
                if event["event"] == "selftest-status":
                    events.append(event)
            lines = []
            while not lines or " running" in lines[-1]:
                line = readline(tmon)
                if line.startswith("[selftest,"):
                    lines.append(line)
        assert events[0]["result"] is None and events[0]["id"] == 1, events
        assert events[-1]["result"] == "fail", events
        assert events[-1]["message"] == "accel_sim: simulated memory failure"
        assert all(e["dev"]["index"] == minor for e in events)
        prefix = f"[selftest,status] {dev}: accel_sim/accel_sim87 test 1 memory "
        assert lines[0] == prefix + "running\n", lines
        assert lines[-1] == prefix + "fail: accel_sim: simulated memory failure\n", lines


def test_running_test_shown_on_a_terminal():
    with sims((88, None)) as [minor]:
        dev = f"accel{minor}"
        st_knob(88, "duration_ms").write_text("500")
        pty_run = OnPty("dev", "selftest", "run", dev)
        code, out, err = pty_run.finish()
        assert code == 0, err
        assert f"{dev}: running memory (1)" in out, out
        assert f"{dev}: link (3): pass" in out, out


def test_refused_during_a_flash(fw_dir):  # noqa: F811 (fixture)
    with sims((89, None)) as [minor]:
        dev = f"accel{minor}"
        (fw_dir / "slow.bin").write_bytes(image("1.1.1"))
        flash_knob(89, "speed_kbps").write_text("16")
        bg = subprocess.Popen([ACCELCTL, "-j", "dev", "flash", dev, "file", "slow.bin"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert validate(json.loads(readline(bg)))["event"] == "flash-begin"
            start = time.monotonic()
            proc = run(minor, check=False)
            assert proc.returncode == 1, proc.stdout
            assert "Device or resource busy" in proc.stderr, proc.stderr
            assert time.monotonic() - start < 2.0
        finally:
            bg.communicate(timeout=120)
        assert bg.returncode == 0
