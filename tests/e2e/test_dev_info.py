"""`accelctl dev info` against the real kernel: versions set through the
accel_sim debugfs knobs must come out exactly, in text, JSON and ynl."""

import json
import subprocess
from pathlib import Path

from accel_env import (ACCELCTL, DEBUGFS, NOBODY, accelctl, accelctl_json, pci_sim_devices,
                       readline, sim_add, sim_del, sims, validate, wait_subscribed)
from test_family import ynl_cli


def knob(sim_id, name):
    return DEBUGFS / f"accel_sim{sim_id}" / "info" / name


def set_knob(sim_id, name, text):
    # A write(2) even for "": Python skips writing an empty string.
    knob(sim_id, name).write_text(text or "\n")


def knob_versions(sim_id, name):
    return [dict(zip(("name", "value"), line.split(" ", 1)))
            for line in knob(sim_id, name).read_text().splitlines() if line]


def info(*args, **kw):
    _, doc = accelctl_json("dev", "info", *args, **kw)
    return doc["devices"]


def test_defaults_are_reported_exactly():
    with sims((1, None)) as [minor]:
        [dev] = info(f"accel{minor}")
        serial = knob(1, "serial_number").read_text()
        fixed = ([{"name": "board.id", "value": knob(1, "board_id").read_text()}]
                 + knob_versions(1, "fixed"))
        running, stored = knob_versions(1, "running"), knob_versions(1, "stored")
    assert dev["index"] == minor and dev["name"] == f"accel{minor}"
    assert dev["handle"] == "accel_sim/accel_sim1"
    assert isinstance(dev["id"], int) and dev["error"] is None
    # accel_sim's defaults fill every field.
    assert serial and running and stored and len(fixed) > 1
    assert dev["serial_number"] == serial
    assert dev["versions"] == {"fixed": fixed, "running": running, "stored": stored}
    assert dev["pending_activation"] == []


def test_set_versions_text_and_json():
    with sims((2, None)) as [minor]:
        set_knob(2, "serial_number", "SN-4242\n")
        set_knob(2, "board_id", "BRD 7")
        set_knob(2, "fixed", "asic.id 0x1e5\nasic.rev B0\n")
        set_knob(2, "running", "fw 1.0.0\nfw.mgmt 2.1\naccel_sim.dsp 7 (debug)\n")
        set_knob(2, "stored", "fw 1.1.0\nfw.mgmt 2.1\nfw.app 3.0\n")
        text = accelctl("dev", "info", "accel_sim/accel_sim2").stdout
        [dev] = info(str(minor))
    assert text == f"""\
accel{minor}: accel_sim/accel_sim2
  serial_number SN-4242
  versions:
    fixed:
      board.id BRD 7
      asic.id 0x1e5
      asic.rev B0
    running:
      fw 1.0.0
      fw.mgmt 2.1
      accel_sim.dsp 7 (debug)
    stored:
      fw 1.1.0 (pending activation)
      fw.mgmt 2.1
      fw.app 3.0 (pending activation)
"""
    assert dev["serial_number"] == "SN-4242"
    assert dev["versions"] == {
        "fixed": [{"name": "board.id", "value": "BRD 7"},
                  {"name": "asic.id", "value": "0x1e5"},
                  {"name": "asic.rev", "value": "B0"}],
        "running": [{"name": "fw", "value": "1.0.0"},
                    {"name": "fw.mgmt", "value": "2.1"},
                    {"name": "accel_sim.dsp", "value": "7 (debug)"}],
        "stored": [{"name": "fw", "value": "1.1.0"},
                   {"name": "fw.mgmt", "value": "2.1"},
                   {"name": "fw.app", "value": "3.0"}],
    }
    assert dev["pending_activation"] == ["fw", "fw.app"]


def test_nothing_reported():
    """Empty knobs: no serial, no versions, said so in text."""
    with sims((3, None)) as [minor]:
        for name in ("serial_number", "board_id", "fixed", "running", "stored"):
            set_knob(3, name, "")
        text = accelctl("dev", "info", f"accel{minor}").stdout
        [dev] = info(f"accel{minor}")
    assert text == (f"accel{minor}: accel_sim/accel_sim3\n"
                    "  versions: none reported by the driver\n")
    assert dev["serial_number"] is None
    assert dev["versions"] == {"fixed": [], "running": [], "stored": []}


def test_driver_without_callback():
    """The edu PCI device's driver has no info callback: the handle only."""
    [pci] = pci_sim_devices()
    [dev] = info(f"pci/{pci.name}")
    assert dev["bus_name"] == "pci" and dev["error"] is None
    assert dev["serial_number"] is None
    assert dev["versions"] == {"fixed": [], "running": [], "stored": []}
    text = accelctl("dev", "info", f"pci/{pci.name}").stdout
    assert text.endswith("  versions: none reported by the driver\n")


def test_control_characters_are_escaped_in_text_only():
    with sims((4, None)) as [minor]:
        set_knob(4, "running", "fw 1.0\x1b[31mred\n")
        text = accelctl("dev", "info", f"accel{minor}").stdout
        [dev] = info(f"accel{minor}")
    assert "\x1b" not in text
    assert "fw 1.0\\e[31mred" in text or "fw 1.0\\x1b[31mred" in text
    assert dev["versions"]["running"] == [{"name": "fw", "value": "1.0\x1b[31mred"}]


def big_versions(tag, count=50):
    # 50 versions of ~110 bytes: ~6 KiB per device, more than one message
    # of a 4 KiB reader: the kernel splits it, accelctl joins the parts.
    return "".join(f"accel_sim.part{i:02} {tag}-{i:02}-{'v' * 100}\n" for i in range(count))


def test_large_replies_and_multi_message_dump():
    ids = list(range(10, 16))
    long_value = "".join(chr(ord("a") + n % 26) for n in range(3000))
    counts = {i: 25 if i == ids[0] else 50 for i in ids}
    with sims(*[(i, None) for i in ids]) as minors:
        for i in ids:
            set_knob(i, "running", big_versions(f"d{i}", counts[i]))
        set_knob(ids[0], "stored", f"fw {long_value}\n")
        proc, doc = accelctl_json("-v", "dev", "info")
        text = accelctl("dev", "info", f"accel{minors[0]}").stdout
        one = info(f"accel{minors[2]}")
        ynl = ynl_cli("--dump", "info-get")
    by_index = {d["index"]: d for d in doc["devices"]}
    for i, minor in zip(ids, minors):
        expected = [{"name": f"accel_sim.part{n:02}", "value": f"d{i}-{n:02}-{'v' * 100}"}
                    for n in range(counts[i])]
        assert by_index[minor]["versions"]["running"] == expected
    assert one == [by_index[minors[2]]]
    # One long value, whole, in JSON and text.
    assert by_index[minors[0]]["versions"]["stored"] == [{"name": "fw", "value": long_value}]
    assert f"      fw {long_value} (pending activation)\n" in text
    # ~36 KiB of replies cannot come in one datagram (at most 32 KiB).
    datagrams = [line for line in proc.stderr.splitlines() if "recv" in line]
    assert len(datagrams) >= 2, proc.stderr
    assert {m["handle"]["index"] for m in ynl} >= set(minors)


def test_one_device_larger_than_a_message_is_shown_whole():
    """Too large for a do reply: accelctl reads it as a filtered dump."""
    versions = "".join(f"accel_sim.c{i:03} {'v' * 100}\n" for i in range(100))
    with sims((20, None), (21, None)) as [minor, _]:
        set_knob(20, "running", versions)
        proc, doc = accelctl_json("dev", "info", f"accel{minor}")
        text = accelctl("dev", "info", f"accel{minor}").stdout
    [dev] = doc["devices"]
    assert dev["index"] == minor
    assert [v["name"] for v in dev["versions"]["running"]] == \
        [f"accel_sim.c{i:03}" for i in range(100)]
    assert text.count("accel_sim.c") == 100, text


def test_invalid_version_name_fails_that_device_only():
    with sims((22, None), (23, None)) as [minor, other]:
        set_knob(22, "running", "firmware 1.0\n")
        proc = accelctl("dev", "info", f"accel{minor}", check=False)
        _, doc = accelctl_json("dev", "info")
        text = accelctl("dev", "info").stdout
    assert proc.returncode == 1
    assert "version name neither generic nor accel_sim.*: firmware" in proc.stderr
    assert f"accel{minor}" in proc.stderr
    by_index = {d["index"]: d for d in doc["devices"]}
    assert by_index[minor]["error"] == {"errno": 22, "message": "Invalid argument"}
    assert by_index[other]["error"] is None and by_index[other]["versions"]["running"]
    assert f"accel{minor}: accel_sim/accel_sim22\n  error: " in text, text
    assert f"accel{other}: accel_sim/accel_sim23\n  serial_number" in text, text


def test_unknown_device():
    minor = sim_add(24)
    sim_del(24)
    proc = accelctl("dev", "info", f"accel{minor}", check=False)
    assert proc.returncode == 1
    assert f"accel{minor}" in proc.stderr and "no accel device" in proc.stderr
    assert "accelctl dev show" in proc.stderr
    proc = accelctl("dev", "info", "pci/0000:99:00.0", check=False)
    assert proc.returncode == 1 and "no accel device" in proc.stderr
    assert accelctl("dev", "info", "accel", check=False).returncode == 2


def test_unprivileged_read_equals_root():
    with sims((25, 0), (26, 1)):
        set_knob(26, "stored", "fw 9.9\n")
        assert info(user=NOBODY) == info()


def test_ynl_cli_agrees():
    with sims((27, None), (28, None)) as minors:
        set_knob(28, "serial_number", "")
        set_knob(28, "stored", "fw 2.0\n")
        ours = {d["index"]: d for d in info()}
        theirs = {}
        # A device's information may come in several messages: join them.
        for m in ynl_cli("--dump", "info-get"):
            msg = theirs.setdefault(m["handle"]["index"], {"handle": m["handle"]})
            for key, value in m.items():
                if key.startswith("version-"):
                    msg.setdefault(key, []).extend(value)
                elif key != "handle":
                    msg[key] = value
    assert set(ours) == set(theirs)
    for minor in minors:
        msg, dev = theirs[minor], ours[minor]
        assert dev["id"] == msg["handle"]["id"]
        assert dev["serial_number"] == msg.get("serial-number")
        for group in ("fixed", "running", "stored"):
            assert dev["versions"][group] == msg.get(f"version-{group}", [])


def test_monitor_reports_info_change():
    with sims((30, None)) as [minor]:
        mon = subprocess.Popen([ACCELCTL, "-j", "monitor"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        text_mon = subprocess.Popen([ACCELCTL, "monitor"], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        try:
            wait_subscribed(mon.pid)
            wait_subscribed(text_mon.pid)
            set_knob(30, "running", "fw 2.0.0\n")
            set_knob(30, "stored", "fw 2.0.0\n")
            set_knob(30, "changed", "1")
            line = readline(mon)
            text_line = readline(text_mon)
        finally:
            for p in (mon, text_mon):
                p.terminate()
                p.wait(timeout=30)
    event = validate(json.loads(line))
    assert event["event"] == "info-change"
    assert event["info"]["index"] == minor
    assert event["info"]["versions"]["running"] == [{"name": "fw", "value": "2.0.0"}]
    assert text_line == f"[info,change] accel{minor}: accel_sim/accel_sim30\n"


def test_info_dump_during_hotplug_and_changes():
    """Dumps and change notifications while devices come and go: every dump
    succeeds and lists each device once, whole."""
    stop = Path("/tmp/info-hotplug-stop")
    stop.unlink(missing_ok=True)
    script = (f"n=0; while [ ! -e {stop} ]; do "
              f"{ACCELCTL} -j dev info > /tmp/info.$n || echo fail $n; "
              f"n=$((n+1)); done; echo $n")
    looper = subprocess.Popen(["sh", "-c", script], stdout=subprocess.PIPE, text=True)
    mon = subprocess.Popen([ACCELCTL, "-j", "monitor"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    try:
        wait_subscribed(mon.pid)
        for _ in range(15):
            for sim_id in range(100, 108):
                sim_add(sim_id)
                set_knob(sim_id, "changed", "1")
            for sim_id in range(100, 108):
                sim_del(sim_id)
    finally:
        stop.touch()
        out, _ = looper.communicate(timeout=300)
        mon.terminate()
        mon.wait(timeout=30)
    assert "fail" not in out
    count = int(out.split()[-1])
    assert count > 0
    for n in range(count):
        doc = validate(json.loads(Path(f"/tmp/info.{n}").read_text()))
        indexes = [d["index"] for d in doc["devices"]]
        assert len(indexes) == len(set(indexes))
        for dev in doc["devices"]:
            if dev["bus_name"] == "accel_sim":
                assert dev["serial_number"] == f"SIM-{dev['dev_name']}"
                assert [v["name"] for v in dev["versions"]["running"]] == [
                    "fw", "fw.mgmt", "accel_sim.sched"]
