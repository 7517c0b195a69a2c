"""`accelctl dev reload` and the reload state of `accelctl dev show` against
the real kernel: what accelctl adds.

accel_sim supports driver-reinit and fw-activate (limit no-reset for
fw-activate only); fw-activate also re-initialises the driver, so it
reports both, unless limited to no-reset. debugfs knobs in
accel_sim/accel_simN/reload/: `fail` (the next N reloads fail with EIO and
"accel_sim: simulated reload failure"), `delay_ms` (reload_up sleeps),
`remote` (report an action done by the device on its own).
"""

import json
import subprocess
import time

from accel_env import (ACCELCTL, DEBUGFS, NOBODY, accelctl, accelctl_json, readline, sims,
                       validate)
from test_completion import complete, env, same  # noqa: F401 (fixtures)
from test_health import monitors

FAIL_MSG = "accel_sim: simulated reload failure"
CAP_MSG = "needs CAP_NET_ADMIN"


def rknob(sim_id, name):
    return DEBUGFS / f"accel_sim{sim_id}" / "reload" / name


def info_knob(sim_id, name):
    return DEBUGFS / f"accel_sim{sim_id}" / "info" / name


def reload(minor, *args, **kw):
    return accelctl("dev", "reload", f"accel{minor}", *args, **kw)


def reload_json(minor, *args):
    _, doc = accelctl_json("dev", "reload", f"accel{minor}", *args)
    assert doc["dev"]["index"] == minor, doc
    return doc["actions_performed"]


def device(minor, *opts):
    _, doc = accelctl_json(*opts, "dev", "show", f"accel{minor}")
    [dev] = doc["devices"]
    return dev


def stats(minor):
    """{(action, limit): (count, remote_count)} from `-s dev show`."""
    return {(s["action"], s["limit"]): (s["count"], s["remote_count"])
            for s in device(minor, "-s")["reload"]["stats"]}


def test_reload_actions_performed_text_and_json():
    with sims((41, None)) as [minor]:
        dev = f"accel{minor}"
        assert reload(minor).stdout == f"{dev}: reload done: driver_reinit\n"
        assert reload_json(minor) == ["driver_reinit"]
        assert reload_json(minor, "action", "driver_reinit") == ["driver_reinit"]
        # The driver does more than asked: fw-activate re-initialises too.
        assert reload(minor, "action", "fw_activate").stdout == \
            f"{dev}: reload done: driver_reinit, fw_activate\n"
        assert reload_json(minor, "action", "fw_activate") == ["driver_reinit", "fw_activate"]
        assert reload_json(minor, "action", "fw_activate", "limit", "no_reset") == \
            ["fw_activate"]
        # Refused before the driver is touched: exit 1, the kernel's reason,
        # and no reload-failed warning.
        proc = reload(minor, "limit", "no_reset", check=False)
        assert proc.returncode == 1, proc.stderr
        assert f"device {dev}: cannot reload:" in proc.stderr and "kernel:" in proc.stderr, \
            proc.stderr
        assert "reload-failed" not in proc.stderr, proc.stderr
        jproc = accelctl("-j", "dev", "reload", dev, "limit", "no_reset", check=False)
        assert jproc.returncode == 1
        assert validate(json.loads(jproc.stdout))["error"]["message"]
        assert device(minor)["reload"]["failed"] is False
        # Usage errors.
        for args in (("action", "reset"), ("action",), ("limit", "fast"),
                     ("action", "driver-reinit"), ("cmode", "runtime")):
            proc = reload(minor, *args, check=False)
            assert proc.returncode == 2, (args, proc.stderr)
        assert accelctl("dev", "reload", check=False).returncode == 2
        # Unprivileged.
        proc = reload(minor, check=False, user=NOBODY)
        assert proc.returncode == 1 and CAP_MSG in proc.stderr, proc.stderr
    proc = accelctl("dev", "reload", f"accel{minor}", check=False)
    assert proc.returncode == 1 and "run 'accelctl dev show'" in proc.stderr, proc.stderr


def test_dev_show_reload_actions_and_statistics():
    with sims((42, None)) as [minor]:
        dev = device(minor)
        assert dev["reload"] == {"actions": ["driver_reinit", "fw_activate"], "failed": False,
                                 "stats": None}, dev
        assert stats(minor) == {("driver_reinit", "none"): (0, 0),
                                ("fw_activate", "none"): (0, 0),
                                ("fw_activate", "no_reset"): (0, 0)}
        reload(minor)
        reload(minor, "action", "fw_activate")
        reload(minor, "action", "fw_activate", "limit", "no_reset")
        rknob(42, "remote").write_text("driver-reinit")
        assert stats(minor) == {("driver_reinit", "none"): (2, 1),
                                ("fw_activate", "none"): (1, 0),
                                ("fw_activate", "no_reset"): (1, 0)}
        text = accelctl("-s", "dev", "show", f"accel{minor}").stdout
        assert "  reload_actions driver_reinit fw_activate\n" in text, text
        assert ("  reload_stats:\n"
                "    action driver_reinit limit none count 2 remote_count 1\n") in text, text
        assert "    action fw_activate limit no_reset count 1 remote_count 0\n" in text, text
        assert "reload_stats" not in accelctl("dev", "show", f"accel{minor}").stdout
        # -s after the object, and on the list (detail views).
        listed = accelctl("dev", "show", "-s").stdout
        assert f"accel{minor}: accel_sim/accel_sim42\n" in listed, listed
        assert "reload_stats:" in listed, listed
        _, doc = accelctl_json("-s", "dev", "show")
        assert all(d["reload"]["stats"] is not None for d in doc["devices"]), doc


def test_reload_failure_shown_and_cleared():
    with sims((43, None)) as [minor]:
        dev = f"accel{minor}"
        rknob(43, "fail").write_text("1")
        proc = reload(minor, check=False)
        assert proc.returncode == 1, proc.stderr
        assert FAIL_MSG in proc.stderr, proc.stderr
        assert f"'accelctl dev show {dev}'" in proc.stderr and "reload-failed" in proc.stderr, \
            proc.stderr

        assert device(minor)["reload"]["failed"] is True
        detail = accelctl("dev", "show", dev).stdout
        assert detail.splitlines()[1] == (f"  reload_failed true (the last reload failed; "
                                          f"'accelctl dev reload {dev}' recovers it)"), detail
        table = accelctl("dev", "show").stdout
        assert f"{dev} (reload failed)" in table, table
        # Other requests about the device fail, saying how to recover.
        proc = accelctl("dev", "param", "show", dev, "name", "job_timeout_ms", check=False)
        assert proc.returncode == 1, proc.stderr
        assert f"'accelctl dev reload {dev}' recovers it" in proc.stderr, proc.stderr
        assert accelctl("dev", "info", dev, check=False).returncode == 1
        # Listing its parameters or reporters fails too, rather than show none.
        for args in (("dev", "param", "show", dev), ("health", "show", dev)):
            proc = accelctl(*args, check=False)
            assert proc.returncode == 1 and "reload failed" in proc.stderr, (args, proc)
        # Recovering needs a reload without a limit.
        proc = reload(minor, "action", "fw_activate", "limit", "no_reset", check=False)
        assert proc.returncode == 1, proc.stderr
        assert "reload it without a limit to recover" in proc.stderr, proc.stderr

        # A reload that succeeds clears it.
        assert reload(minor).stdout == f"{dev}: reload done: driver_reinit\n"
        assert device(minor)["reload"]["failed"] is False
        assert "(reload failed)" not in accelctl("dev", "show").stdout
        accelctl("dev", "param", "show", dev)


def test_fw_activate_makes_the_stored_firmware_run():
    with sims((44, None)) as [minor]:
        dev = f"accel{minor}"
        info_knob(44, "stored").write_text("fw 9.9.9\n")
        _, doc = accelctl_json("dev", "info", dev)
        assert doc["devices"][0]["pending_activation"] == ["fw"], doc
        reload(minor, "action", "fw_activate")
        _, doc = accelctl_json("dev", "info", dev)
        running = {v["name"]: v["value"] for v in doc["devices"][0]["versions"]["running"]}
        assert running["fw"] == "9.9.9", doc
        assert doc["devices"][0]["pending_activation"] == [], doc
        assert "(pending activation)" not in accelctl("dev", "info", dev).stdout


def test_reads_wait_for_a_reload_in_progress():
    with sims((45, None)) as [minor]:
        dev = f"accel{minor}"
        accelctl("dev", "param", "set", dev, "name", "job_timeout_ms", "value", "23456",
                 "cmode", "driverinit")
        rknob(45, "delay_ms").write_text("5000")
        bg = subprocess.Popen([ACCELCTL, "dev", "reload", dev], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
        try:
            # Well inside the reload's 5 s.
            time.sleep(2.0)
            start = time.monotonic()
            shown = accelctl("dev", "param", "show", dev, "name", "job_timeout_ms").stdout
            waited = time.monotonic() - start
        finally:
            out, err = bg.communicate(timeout=60)
        assert bg.returncode == 0, err
        assert out == f"{dev}: reload done: driver_reinit\n"
        assert waited > 1.0, f"param show returned after {waited:.2f}s, during the reload"
        # What it read is the state after the reload, never one in between.
        assert "cmode runtime value 23456\n" in shown, shown
        assert "pending" not in shown, shown


def test_monitor_dev_change_and_param_change_after_reload():
    with sims((46, None)) as [minor]:
        dev = f"accel{minor}"
        accelctl("dev", "param", "set", dev, "name", "job_timeout_ms", "value", "12345",
                 "cmode", "driverinit")
        with monitors() as (jmon, tmon):
            reload(minor)
            events, lines = [], []
            while len(events) < 2:
                events.append(validate(json.loads(readline(jmon))))
                lines.append(readline(tmon))
            kinds = sorted(e["event"] for e in events)
            assert kinds == ["dev-change", "param-change"], events
            change = next(e for e in events if e["event"] == "dev-change")
            assert change["device"]["index"] == minor
            assert change["device"]["reload"]["failed"] is False
            assert change["device"]["reload"]["stats"] is not None
            param = next(e for e in events if e["event"] == "param-change")["param"]
            assert param["name"] == "job_timeout_ms"
            assert [v["pending"] for v in param["values"]] == [None, None], param
            dev_line = next(line for line in lines if line.startswith("[dev,change]"))
            assert dev_line.startswith(
                f"[dev,change] {dev}: accel_sim/accel_sim46 reload_failed false reloads "
                "driver_reinit 1"), dev_line
            # A failed reload is announced too, as failed.
            rknob(46, "fail").write_text("1")
            reload(minor, check=False)
            event = validate(json.loads(readline(jmon)))
            line = readline(tmon)
            assert event["event"] == "dev-change" and event["device"]["reload"]["failed"], event
            assert " reload_failed true" in line, line


def test_completion_of_reload_keywords(complete):  # noqa: F811
    with sims((47, None)) as [minor]:
        dev = f"accel{minor}"
        same(complete(f"accelctl dev reload {dev} "), ["action", "limit"])
        same(complete(f"accelctl dev reload {dev} action "), ["driver_reinit", "fw_activate"])
        same(complete(f"accelctl dev reload {dev} action fw_activate limit "), ["no_reset"])
