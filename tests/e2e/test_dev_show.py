"""accelctl dev show against the real accel family (issue 2)."""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from accel_env import (ACCELCTL, NOBODY, accelctl, accelctl_json, pci_sim_devices,
                       read_hex, readline, sim_add, sim_del, sim_ids, sims,
                       validate, wait_subscribed)


def devices(*args, **kw):
    _, doc = accelctl_json("dev", "show", *args, **kw)
    assert doc["version"] == 2
    assert doc["source"] == "netlink"
    return doc["devices"]


def sim_devices(*args, **kw):
    return [d for d in devices(*args, **kw) if d["bus_name"] == "accel_sim"]


@pytest.fixture
def pci_unbound():
    """Temporarily unbind the edu PCI device from accel_sim."""
    bound = pci_sim_devices()
    for dev in bound:
        Path("/sys/bus/pci/drivers/accel_sim/unbind").write_text(dev.name)
    yield
    for dev in bound:
        Path("/sys/bus/pci/drivers/accel_sim/bind").write_text(dev.name)
    assert pci_sim_devices() == bound


def test_no_devices(pci_unbound):
    assert os.listdir("/sys/class/accel") == []
    assert devices() == []
    text = accelctl("dev", "show")
    assert text.returncode == 0
    assert "accel" not in text.stdout.replace("ACCEL", "")


def test_several_devices_numa_nodes():
    with sims((1, 0), (2, 1), (3, None)) as minors:
        listed = {d["dev_name"]: d for d in sim_devices()}
        assert set(listed) == {"accel_sim1", "accel_sim2", "accel_sim3"}
        for (name, node), minor in zip((("accel_sim1", 0), ("accel_sim2", 1),
                                        ("accel_sim3", None)), minors):
            dev = listed[name]
            assert dev["index"] == minor
            assert dev["name"] == f"accel{minor}"
            assert dev["handle"] == f"accel_sim/{name}"
            assert dev["driver"] == "accel_sim"
            assert dev["numa_node"] == node
            assert dev["pci"] is None
            assert dev["runtime_suspended"] is False
        text = accelctl("dev", "show").stdout
        for minor in minors:
            assert f"accel{minor}" in text
        for name in listed:
            assert f"accel_sim/{name}" in text


def sysfs_speed_mts(text):
    """'8.0 GT/s PCIe' -> 8000, as the kernel's sysfs link attributes read."""
    return int(float(text.split()[0]) * 1000)


def test_pci_device():
    [pdev] = pci_sim_devices()
    [dev] = devices(f"pci/{pdev.name}")
    assert dev["bus_name"] == "pci" and dev["dev_name"] == pdev.name
    assert dev["driver"] == "accel_sim"
    pci = dev["pci"]
    assert pci["vendor_id"] == read_hex(pdev / "vendor") == 0x1234
    assert pci["device_id"] == read_hex(pdev / "device") == 0x11e8
    assert pci["subsystem_vendor_id"] == read_hex(pdev / "subsystem_vendor")
    assert pci["subsystem_device_id"] == read_hex(pdev / "subsystem_device")
    assert pci["revision"] == read_hex(pdev / "revision")
    assert pci["class"] == read_hex(pdev / "class")
    # edu is conventional PCI: its link is the one of the root port above it,
    # configured on the QEMU command line (x-speed=8, x-width=4).
    port = pdev.resolve().parent
    assert pci["link_speed"] == sysfs_speed_mts((port / "current_link_speed").read_text())
    assert pci["link_width"] == int((port / "current_link_width").read_text())
    assert pci["link_max_speed"] == sysfs_speed_mts((port / "max_link_speed").read_text())
    assert pci["link_max_width"] == int((port / "max_link_width").read_text())
    assert (pci["link_speed"], pci["link_width"]) == (8000, 4)
    numa = int((pdev / "numa_node").read_text())
    assert dev["numa_node"] == (None if numa < 0 else numa)
    text = accelctl("dev", "show", f"pci/{pdev.name}").stdout
    assert "0x1234" in text and "0x11e8" in text


def test_every_handle_form():
    [pdev] = pci_sim_devices()
    with sims((5, None)) as [minor]:
        expected = [d for d in devices() if d["index"] == minor]
        assert len(expected) == 1
        for handle in (f"accel{minor}", f"{minor}", f"/dev/accel/accel{minor}",
                       "accel_sim/accel_sim5"):
            assert devices(handle) == expected, handle
        [pci] = devices(f"pci/{pdev.name}")
        assert devices(f"accel{pci['index']}") == [pci]


def test_unknown_device():
    with sims((6, None)) as [minor]:
        pass  # deleted: its index is now known to be free
    proc = accelctl("dev", "show", f"accel{minor}", check=False)
    assert proc.returncode == 1
    assert "no accel device matches the handle" in proc.stderr  # extack, verbatim
    assert f"accel{minor}" in proc.stderr
    proc, doc = accelctl_json("dev", "show", f"accel{minor}", check=False)
    assert proc.returncode == 1
    assert "no accel device" in doc["error"]["message"]
    proc = accelctl("dev", "show", "accel_sim/accel_sim6", check=False)
    assert proc.returncode == 1
    assert "no accel device matches the handle" in proc.stderr


def test_bad_handle_is_usage_error():
    for bad in ("gpu0", "accel", "pci/", "/dev/accel/", "-1", "accel0x"):
        proc = accelctl("dev", "show", bad, check=False)
        assert proc.returncode == 2, (bad, proc.stderr)
        assert bad in proc.stderr, proc.stderr
        assert "panicked" not in proc.stderr


def max_minors_free():
    return 256 - len(os.listdir("/sys/class/accel"))


def test_256_devices_listed_completely():
    room = max_minors_free()
    created = list(range(1000, 1000 + room))
    for sim_id in created:
        sim_add(sim_id)
    listed = devices()
    assert len(listed) == 256
    assert sorted(d["index"] for d in listed) == list(range(256))
    assert {d["dev_name"] for d in listed if d["bus_name"] == "accel_sim"} == \
        {f"accel_sim{i}" for i in created}
    # The 257th accel minor does not exist: creating it fails cleanly.
    with pytest.raises(OSError):
        sim_add(5000)
    assert 5000 not in sim_ids()
    assert len(devices()) == 256
    text = accelctl("dev", "show").stdout
    assert all(f"accel{i}" in text for i in range(256))


def test_dump_during_hotplug():
    """Devices created and deleted while another process dumps in a loop."""
    stop = Path("/tmp/hotplug-stop")
    stop.unlink(missing_ok=True)
    script = (f"n=0; while [ ! -e {stop} ]; do "
              f"{ACCELCTL} -j dev show > /tmp/dump.$n || echo fail $n; "
              f"n=$((n+1)); done; echo $n")
    looper = subprocess.Popen(["sh", "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        for round_ in range(20):
            for sim_id in range(100, 110):
                sim_add(sim_id, round_ % 2)
            for sim_id in range(100, 110):
                sim_del(sim_id)
    finally:
        stop.touch()
        out, _ = looper.communicate(timeout=300)
    assert "fail" not in out
    count = int(out.split()[-1])
    assert count > 0
    for n in range(count):
        doc = json.loads(Path(f"/tmp/dump.{n}").read_text())
        indexes = [d["index"] for d in doc["devices"]]
        assert len(indexes) == len(set(indexes))  # no device twice
        for dev in doc["devices"]:
            assert dev["driver"] == "accel_sim"
            assert dev["name"] == f"accel{dev['index']}"


def test_unprivileged_user_lists_devices():
    with sims((7, 0), (8, None)):
        as_root = devices()
        assert devices(user=NOBODY) == as_root
        [mine] = [d for d in as_root if d["dev_name"] == "accel_sim7"]
        assert devices(f"accel{mine['index']}", user=NOBODY) == [mine]


def test_other_network_namespace_sees_nothing():
    with sims((9, None)):
        assert len(devices()) >= 1
        proc = subprocess.run(["unshare", "-n", ACCELCTL, "-j", "dev", "show"],
                              capture_output=True, text=True, timeout=60)
        doc = json.loads(proc.stdout)
        assert proc.returncode == 0, proc.stderr
        assert doc["devices"] == []


def test_monitor_sees_add_and_del():
    mon = subprocess.Popen([ACCELCTL, "-j", "monitor"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        wait_subscribed(mon.pid)
        minor = sim_add(11, 1)
        sim_del(11)
        events = []
        while len(events) < 2:
            events.append(json.loads(readline(mon)))
    finally:
        mon.terminate()
        mon.wait(timeout=30)
    for event in events:
        validate(event)
    assert [e["event"] for e in events] == ["dev-add", "dev-del"]
    for event in events:
        assert event["device"]["index"] == minor
        assert event["device"]["dev_name"] == "accel_sim11"
        assert event["device"]["numa_node"] == 1


def test_head_does_not_panic():
    with sims(*[(i, None) for i in range(200, 230)]):
        proc = subprocess.run(f"{ACCELCTL} dev show | head -n 1; "
                              f"{ACCELCTL} -j dev show | head -c 10",
                              shell=True, capture_output=True, text=True, timeout=60)
        assert "panicked" not in proc.stderr
        assert proc.stderr == ""


def test_query_does_not_wake_suspended_device():
    """Reading a runtime-suspended device reports it so and leaves it asleep."""
    with sims((12, 0)) as [minor]:
        sysdev = Path("/sys/bus/accel_sim/devices/accel_sim12")
        resumes = Path("/sys/kernel/debug/accel_sim/accel_sim12/runtime_resumes")
        status = sysdev / "power/runtime_status"
        assert status.read_text().strip() == "active"
        assert devices(f"accel{minor}")[0]["runtime_suspended"] is False

        (sysdev / "power/control").write_text("auto")
        deadline = time.monotonic() + 30
        while status.read_text().strip() != "suspended":
            assert time.monotonic() < deadline, status.read_text()
            time.sleep(0.05)
        before = int(resumes.read_text())
        for args in ((f"accel{minor}",), ("accel_sim/accel_sim12",), ()):
            [dev] = [d for d in devices(*args) if d["index"] == minor]
            assert dev["runtime_suspended"] is True
        assert "runtime_suspended true" in accelctl("dev", "show", f"accel{minor}").stdout
        assert int(resumes.read_text()) == before
        assert status.read_text().strip() == "suspended"

        # The counter does count: waking the device up is seen.
        (sysdev / "power/control").write_text("on")
        assert status.read_text().strip() == "active"
        assert int(resumes.read_text()) == before + 1
        assert devices(f"accel{minor}")[0]["runtime_suspended"] is False
