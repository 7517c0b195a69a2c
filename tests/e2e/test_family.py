"""The accel family seen without accelctl: the kernel's own YNL tools.

Interop: tools/net/ynl/cli.py, driven by our spec, must agree with accelctl;
dumps must be complete through tiny socket buffers.
"""

import json
import socket
import subprocess
import sys

from accel_env import KSRC, accelctl_json, sims

# The spec as the patched tree carries it (byte-identical to
# netlink-family/accel.yaml: checked by tests/host/kernel-series.sh), next to
# the genetlink schema it is validated against.
SPEC = KSRC / "Documentation/netlink/specs/accel.yaml"


def ynl_family():
    sys.path.insert(0, str(KSRC / "tools/net/ynl"))
    from lib import YnlFamily  # pylint: disable=import-outside-toplevel
    return YnlFamily(str(SPEC))


def ynl_cli(*args):
    proc = subprocess.run([sys.executable, str(KSRC / "tools/net/ynl/cli.py"),
                           "--spec", str(SPEC), "--output-json", *args],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout)


def from_ynl(msg):
    """A cli.py dev-get message in accelctl's JSON vocabulary."""
    pci = msg.get("pci")
    h = msg["handle"]
    return {
        "id": h["id"], "index": h["index"], "name": msg["name"],
        "handle": f"{h['bus-name']}/{h['dev-name']}",
        "bus_name": h["bus-name"], "dev_name": h["dev-name"],
        "driver": msg["driver-name"], "numa_node": msg.get("numa-node"),
        "runtime_suspended": "runtime-suspended" in msg,
        "pci": None if pci is None else {
            key.replace("-", "_"): pci.get(key) for key in (
                "vendor-id", "device-id", "subsystem-vendor-id",
                "subsystem-device-id", "revision", "class", "link-speed",
                "link-width", "link-max-speed", "link-max-width")},
        # reload-actions is a flags attribute: ynl decodes it to the names.
        "reload": {
            "actions": sorted(a.replace("-", "_") for a in msg.get("reload-actions", ())),
            "failed": "reload-failed" in msg,
            "stats": None,
        },
    }


def test_ynl_cli_agrees_with_accelctl():
    with sims((1, 0), (2, 1), (3, None)):
        ynl = sorted((from_ynl(m) for m in ynl_cli("--dump", "dev-get")),
                     key=lambda d: d["index"])
        _, doc = accelctl_json("dev", "show")
        assert ynl == doc["devices"]
        assert len(ynl) >= 4  # three simulated devices and the PCI one
        one = ynl_cli("--do", "dev-get", "--json",
                      json.dumps({"handle": {"bus-name": "accel_sim", "dev-name": "accel_sim2"}}))
        _, doc = accelctl_json("dev", "show", "accel_sim/accel_sim2")
        assert [from_ynl(one)] == doc["devices"]


def test_filtered_dump_through_ynl():
    with sims((1, None), (2, None)) as [_, second]:
        fam = ynl_family()
        dumped = fam.dump("dev-get", {"handle": {"index": second}})
        assert [d["handle"]["index"] for d in dumped] == [second]
        dumped = fam.dump("dev-get", {"handle": {"bus-name": "accel_sim",
                                                 "dev-name": "accel_sim1"}})
        assert [d["handle"]["dev-name"] for d in dumped] == ["accel_sim1"]


def test_dump_with_tiny_receive_buffer():
    """The cursor in cb->ctx: every device exactly once, one skb at a time."""
    with sims(*[(i, None) for i in range(1, 121)]):
        fam = ynl_family()
        full = sorted(d["handle"]["index"] for d in fam.dump("dev-get", {}))
        tiny = ynl_family()
        tiny.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
        got = [d["handle"]["index"] for d in tiny.dump("dev-get", {})]
        assert sorted(got) == full
        assert len(got) == len(set(got)) >= 121
