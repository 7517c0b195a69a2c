"""`accelctl health` against the real kernel: what accelctl adds.

Every accel_sim bus device has two reporters: "empty" (no ops) and "dummy"
(recover, dump, diagnose, test; grace period 0, auto-recover and auto-dump on),
driven through the debugfs knobs in accel_sim/accel_simN/health/. These tests
check accelctl's rendering (text, and JSON validated against the schema), its
exit codes and error messages, `accelctl monitor`, and that it agrees with the
kernel's ynl CLI. The state machine itself (auto-recover, auto-dump, grace
period, reports from any context) is the kselftests' (health.py).
"""

import contextlib
import datetime
import json
import re
import subprocess
import time

import pytest

from accel_env import (ACCELCTL, DEBUGFS, NOBODY, accelctl, accelctl_json, holds_for, readline,
                       sim_add, sim_del, sims, validate, wait_subscribed,
                       wait_until)
from test_family import ynl_cli, ynl_family

GRACE_MS = 60000
# Timestamps are CLOCK_REALTIME ns; allow for a coarse kernel clock.
TS_SLACK_NS = 10**9
CAP_MSG = "needs CAP_NET_ADMIN"


class _AnyTimestamp:
    """Equal to any RFC 3339 UTC timestamp with nanoseconds: for expected reporters."""

    def __eq__(self, other):
        return isinstance(other, str) and TS_RE.fullmatch(other) is not None

    def __repr__(self):
        return "<any timestamp>"


TS_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{9})Z")
A_TS = _AnyTimestamp()


def ts_ns(text):
    """Nanoseconds since the epoch of an RFC 3339 timestamp accelctl printed."""
    m = TS_RE.fullmatch(text)
    assert m, f"not an RFC 3339 timestamp with nanoseconds: {text!r}"
    secs = datetime.datetime(*map(int, m.groups()[:6]), tzinfo=datetime.timezone.utc).timestamp()
    return int(secs) * 10**9 + int(m.group(7))


def rfc3339(ns):
    """The kernel's ns timestamp as accelctl prints it."""
    if ns is None:
        return None
    t = datetime.datetime.fromtimestamp(ns // 10**9, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{ns % 10**9:09d}Z"


def json_u64(v):
    """A 64-bit value as accelctl's JSON carries it: a number up to 2^53 - 1."""
    return v if v is None or abs(v) <= 2**53 - 1 else str(v)


# accel_sim knobs

def hknob(sim_id, name):
    return DEBUGFS / f"accel_sim{sim_id}" / "health" / name


def set_hknob(sim_id, name, text):
    hknob(sim_id, name).write_text(text)


def inject(sim_id, msg, reporter="dummy"):
    """Report an error through a reporter (process context)."""
    set_hknob(sim_id, f"{reporter}_inject", msg)


# accelctl

def show(*args, **kw):
    _, doc = accelctl_json("health", "show", *args, **kw)
    assert doc["version"] == 2, doc
    return doc["reporters"]


def reporter(minor, name, **kw):
    reps = show(f"accel{minor}", "reporter", name, **kw)
    assert [(r["index"], r["reporter"]) for r in reps] == [(minor, name)], reps
    return reps[0]


def wait_reporter(minor, name, what, pred, timeout=60):
    return wait_until(lambda: reporter(minor, name), pred,
                      f"accel{minor} reporter {name}: {what}", timeout=timeout)


def stays(minor, name, what, pred):
    return holds_for(lambda: reporter(minor, name), pred,
                     f"accel{minor} reporter {name}: {what}")


def recovered(count):
    return lambda r: r["state"] == "healthy" and r["recover_count"] == count


def has_dump(rep):
    return rep["dump_time"] is not None


def act(*args):
    """A health action that must succeed, printing nothing."""
    proc = accelctl("health", *args)
    assert proc.stdout == "", f"accelctl health {' '.join(args)} printed {proc.stdout!r}"
    return proc


def refused(*args, code=1, user=None):
    """A health command that must fail with exit code `code`."""
    proc = accelctl("health", *args, user=user, check=False)
    assert proc.returncode == code, (f"accelctl health {' '.join(args)}: exit "
                                     f"{proc.returncode}, expected {code}; "
                                     f"stdout {proc.stdout!r} stderr {proc.stderr!r}")
    assert "panicked" not in proc.stderr, proc.stderr
    return proc


def refused_json(*args, user=None):
    """Error message of a health command run with -j, which must fail."""
    proc, doc = accelctl_json("health", *args, user=user, check=False)
    assert proc.returncode == 1, (args, proc.returncode, proc.stderr)
    return doc["error"]["message"]


def check(*args, user=None):
    return accelctl("health", "check", *args, user=user, check=False)


def check_line(minor, name, msg, errors, recovered_):
    return f"accel{minor} reporter {name}: error: {msg} (errors {errors}, recovered {recovered_})\n"


def fmsg_doc(minor, name, *cmd):
    _, doc = accelctl_json("health", *cmd, f"accel{minor}", "reporter", name)
    assert doc["version"] == 2, doc
    assert (doc["reporter"]["index"], doc["reporter"]["reporter"]) == (minor, name), doc
    return doc


def diagnose(minor, name="dummy"):
    return fmsg_doc(minor, name, "diagnose")


def dump_show(minor, name="dummy"):
    return fmsg_doc(minor, name, "dump", "show")


def expected(sim_id, minor, name, **changes):
    """A reporter as accelctl -j prints it: defaults, with changes."""
    rep = {"id": device_id(minor), "index": minor, "name": f"accel{minor}",
           "handle": f"accel_sim/accel_sim{sim_id}", "bus_name": "accel_sim",
           "dev_name": f"accel_sim{sim_id}",
           "reporter": name, "state": "healthy", "error_count": 0, "recover_count": 0,
           "last_error_time": None, "last_error_msg": None, "dump_time": None}
    if name == "dummy":
        rep.update(grace_period_ms=0, auto_recover=True, auto_dump=True)
    else:
        rep.update(grace_period_ms=None, auto_recover=None, auto_dump=None)
    rep.update(changes)
    return rep


def by_key(reps):
    return sorted(reps, key=lambda r: (r["index"], r["reporter"]))


def device_id(minor):
    """The per-boot id of accelN, as dev show reports it."""
    _, doc = accelctl_json("dev", "show", f"accel{minor}")
    return doc["devices"][0]["id"]


def assert_ts(ts, before, after, what):
    ns = ts_ns(ts)
    assert before - TS_SLACK_NS <= ns <= after + TS_SLACK_NS, \
        f"{what} {ts} not within [{before}, {after}] (CLOCK_REALTIME ns)"


# The ynl CLI's view

def from_ynl(msg):
    """A health-reporter-get message of cli.py in accelctl's JSON vocabulary."""
    h = msg["handle"]

    def flag(key):
        return None if key not in msg else bool(msg[key])
    return {
        "id": json_u64(h["id"]), "index": h["index"], "name": f"accel{h['index']}",
        "handle": f"{h['bus-name']}/{h['dev-name']}",
        "bus_name": h["bus-name"], "dev_name": h["dev-name"],
        "reporter": msg["name"], "state": msg["state"],
        "error_count": json_u64(msg["error-count"]),
        "recover_count": json_u64(msg["recover-count"]),
        "last_error_time": rfc3339(msg.get("last-error-ts-ns")),
        "last_error_msg": msg.get("last-error-msg"),
        "grace_period_ms": json_u64(msg.get("grace-period")),
        "auto_recover": flag("auto-recover"), "auto_dump": flag("auto-dump"),
        "dump_time": rfc3339(msg.get("dump-ts-ns")),
    }


def ynl_fmsg(op, minor, name):
    msgs = ynl_cli("--dump", op, "--json",
                   json.dumps({"handle": {"index": minor}, "name": name}))
    for msg in msgs:
        assert msg["handle"]["index"] == minor and msg["name"] == name, msg
    return fmsg_tree([item for msg in msgs for item in msg.get("tree-item", [])])


# Trees, as accelctl -j prints them: nodes {"name", "type", "members" |
# "elements" | "value"}, name None for array elements, binary in hex.

def val(name, kind, value):
    return {"name": name, "type": kind, "value": value}


def obj(name, *members):
    return {"name": name, "type": "object", "members": list(members)}


def arr(name, *elements):
    return {"name": name, "type": "array", "elements": list(elements)}


VALUES = obj("values",
             val("bool", "bool", True),
             val("u32", "uint", 4294967295),
             val("u64", "uint", "18446744073709551615"),
             val("s64", "sint", "-9223372036854775808"),
             val("string", "string", "accel_sim"),
             val("empty_string", "string", ""),
             val("binary", "binary", bytes(range(16)).hex()))


def diagnose_tree(recover_fails):
    return [VALUES,
            val("recover_fails", "bool", recover_fails),
            arr("array", *(val(None, "uint", i) for i in (1, 2, 3))),
            arr("nested",
                obj(None, val("name", "string", "a")),
                arr(None, val(None, "bool", False)),
                arr(None))]


def dump_tree(seq, reason, entries=3):
    return [val("dump_seq", "uint", seq),
            val("reason", "string", reason),
            VALUES,
            arr("log", *(val(None, "string", f"entry {i}") for i in range(entries)))]


def fmsg_tree(items):
    """The tree of fmsg items (as cli.py prints them) in accelctl's shape."""
    root = obj(None)
    stack = [root]
    for i, item in enumerate(items):
        kind = item.get("kind")
        if kind == "end":
            assert len(stack) > 1, f"fmsg item {i}: end outside any object or array"
            stack.pop()
            continue
        parent = stack[-1]
        name = item.get("name")
        if parent["type"] == "object":
            assert name is not None, f"fmsg item {i}: object member without a name: {item}"
        else:
            assert name is None, f"fmsg item {i}: array element with a name: {item}"
        if kind == "object":
            node = obj(name)
        elif kind == "array":
            node = arr(name)
        else:
            assert kind == "value", f"fmsg item {i}: bad kind: {item}"
            values = [(k[len("value-"):], v) for k, v in item.items() if k.startswith("value-")]
            assert len(values) == 1, f"fmsg item {i}: {len(values)} value attributes: {item}"
            vtype, value = values[0]
            if vtype == "bool":
                assert value in (0, 1), f"fmsg item {i}: {item}"
                value = bool(value)
            elif vtype == "binary" and isinstance(value, bytes):
                value = value.hex()
            elif vtype in ("uint", "sint"):
                value = json_u64(value)
            node = val(name, vtype, value)
        parent["members" if parent["type"] == "object" else "elements"].append(node)
        if kind in ("object", "array"):
            stack.append(node)
    assert len(stack) == 1, f"fmsg ends inside {len(stack) - 1} open object(s)/array(s)"
    return root["members"]


def first_diff(got, want, path="tree"):
    """Where two trees first differ, as text; None if they are equal."""
    if isinstance(got, list) and isinstance(want, list):
        for i, (g, w) in enumerate(zip(got, want)):
            label = w.get("name") if isinstance(w, dict) else None
            diff = first_diff(g, w, f"{path}[{i}{':' + label if label else ''}]")
            if diff:
                return diff
        if len(got) != len(want):
            return f"{path}: {len(got)} items, expected {len(want)}"
        return None
    if isinstance(got, dict) and isinstance(want, dict):
        for key in want:
            if key not in got:
                return f"{path}.{key}: missing, expected {want[key]!r}"
            diff = first_diff(got[key], want[key], f"{path}.{key}")
            if diff:
                return diff
        extra = [key for key in got if key not in want]
        return f"{path}: unexpected keys {extra}" if extra else None
    if type(got) is not type(want) or got != want:
        return f"{path}: got {got!r}, expected {want!r}"
    return None


def assert_tree(got, want, what):
    diff = first_diff(got, want)
    assert diff is None, f"{what}: {diff}"


def assert_text_values(text):
    """The text rendering of a tree holding VALUES shows every value."""
    for name in ("values", "bool", "u32", "u64", "s64", "string", "empty_string",
                 "binary"):
        assert re.search(rf"(?<!\w){name}(?!\w)", text), f"member {name} not in {text!r}"
    for token in ("true", "4294967295", "18446744073709551615",
                  "-9223372036854775808", "accel_sim"):
        assert re.search(rf"(?<![\w-]){re.escape(token)}(?!\w)", text), \
            f"value {token} not in {text!r}"
    # Binary as hex, whatever the separators.
    digits = re.sub(r"[^0-9a-f]", "", text.lower().replace("0x", ""))
    assert bytes(range(16)).hex() in digits, f"binary 00..0f not in {text!r}"


# Monitors

EVENT_PREFIX = {"health-error": "[health,error]", "health-recover": "[health,recover]",
                "health-change": "[health,change]", "health-new": "[health,new]",
                "health-del": "[health,del]"}


@contextlib.contextmanager
def monitors():
    """`accelctl -j monitor` and `accelctl monitor`, subscribed."""
    procs = [subprocess.Popen([ACCELCTL, *opts, "monitor"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for opts in (["-j"], [])]
    try:
        for proc in procs:
            wait_subscribed(proc.pid)
        yield procs
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)


def next_events(jmon, tmon, wanted, minor):
    """Events (and the matching text lines) until each of wanted (in any
    order) was seen; checks that they are about device minor."""
    events, lines = [], []
    missing = list(wanted)
    while missing:
        event = validate(json.loads(readline(jmon)))
        line = readline(tmon)
        events.append(event)
        lines.append(line)
        if event["event"] in missing:
            missing.remove(event["event"])
    for event, line in zip(events, lines):
        assert event["event"] in EVENT_PREFIX, (event, events)
        assert event["version"] == 2
        assert event["reporter"]["index"] == minor, event
        assert line.startswith(EVENT_PREFIX[event["event"]]), (line, event)
        assert f"accel{minor}" in line and event["reporter"]["reporter"] in line, line
    return events


def only(events, kind):
    return [e["reporter"] for e in events if e["event"] == kind]


def test_show_defaults_text_json_and_ynl():
    with sims((1, None), (2, None)) as [m1, m2]:
        mine = by_key(show(f"accel{m1}"))
        assert mine == [expected(1, m1, "dummy"), expected(1, m1, "empty")]
        for handle in (f"{m1}", f"/dev/accel/accel{m1}", "accel_sim/accel_sim1"):
            assert by_key(show(handle)) == mine, handle
        assert show(f"accel{m1}", "reporter", "empty") == [expected(1, m1, "empty")]
        assert show("accel_sim/accel_sim2", "reporter", "dummy") == [expected(2, m2, "dummy")]
        everything = show()
        theirs = [from_ynl(m) for m in ynl_cli("--dump", "health-reporter-get")]
        text = accelctl("health", "show", f"accel{m1}").stdout
        text_one = accelctl("health", "show", f"accel{m1}", "reporter", "dummy").stdout
    assert [(r["index"], r["reporter"]) for r in by_key(everything)
            if r["bus_name"] == "accel_sim"] == [(m1, "dummy"), (m1, "empty"),
                                                 (m2, "dummy"), (m2, "empty")]
    assert by_key(everything) == by_key(theirs)
    for word in (f"accel{m1}", "dummy", "empty", "healthy"):
        assert word in text, (word, text)
    assert "dummy" in text_one, text_one


def test_manual_recover_dump_clear_and_health_check():
    with sims((4, None), (5, None)) as [minor, other]:
        act("set", f"accel{minor}", "reporter", "dummy", "auto_recover", "false")
        assert reporter(minor, "dummy") == expected(4, minor, "dummy", auto_recover=False)

        inject(4, "foo bar")
        rep = wait_reporter(minor, "dummy", "auto-dump", has_dump)
        assert (rep["state"], rep["error_count"], rep["recover_count"]) == ("error", 1, 0), rep
        dump_ts = rep["dump_time"]
        assert by_key(show()) == by_key(
            from_ynl(m) for m in ynl_cli("--dump", "health-reporter-get"))

        line = check_line(minor, "dummy", "foo bar", 1, 0)
        for args in ((), (f"accel{minor}",)):
            proc = check(*args)
            assert (proc.returncode, proc.stdout) == (3, line), (args, proc.stdout, proc.stderr)
        proc = check(f"accel{other}")
        assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
        proc, doc = accelctl_json("health", "check", check=False)
        assert proc.returncode == 3, proc.stderr
        assert doc == {"version": 2, "healthy": False, "unhealthy": [rep]}
        proc, doc = accelctl_json("health", "check", f"accel{other}", check=False)
        assert proc.returncode == 0, proc.stderr
        assert doc == {"version": 2, "healthy": True, "unhealthy": []}

        inject(4, "foo baz")
        rep = stays(minor, "dummy", "error, and the first dump kept",
                    lambda r: r["state"] == "error" and r["dump_time"] == dump_ts)
        assert (rep["error_count"], rep["last_error_msg"]) == (2, "foo baz"), rep
        assert check().stdout == check_line(minor, "dummy", "foo baz", 2, 0)
        doc = dump_show(minor)
        assert_tree(doc["tree"], dump_tree(1, "report"), "dump taken once over two reports")
        text = accelctl("health", "dump", "show", f"accel{minor}", "reporter", "dummy").stdout
        assert_text_values(text)
        for word in ("dump_seq", "reason", "report", "log", "entry 0", "entry 2"):
            assert word in text, (word, text)

        act("dump", "clear", f"accel{minor}", "reporter", "dummy")
        assert reporter(minor, "dummy")["dump_time"] is None
        act("recover", f"accel{minor}", "reporter", "dummy")
        assert reporter(minor, "dummy") == expected(
            4, minor, "dummy", auto_recover=False, error_count=2, recover_count=1,
            last_error_time=A_TS, last_error_msg="foo baz")
        act("recover", f"accel{minor}", "reporter", "dummy")  # healthy: a no-op
        assert reporter(minor, "dummy")["recover_count"] == 1

        proc = check()
        assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
        proc, doc = accelctl_json("health", "check", check=False)
        assert (proc.returncode, doc) == (0, {"version": 2, "healthy": True, "unhealthy": []})

        # Nothing stored: dump show takes one, and keeps it.
        assert_tree(dump_show(minor)["tree"], dump_tree(2, "request"), "dump taken on request")
        dump_ts = reporter(minor, "dummy")["dump_time"]
        assert dump_ts is not None
        assert_tree(dump_show(minor)["tree"], dump_tree(2, "request"), "the stored dump again")
        assert reporter(minor, "dummy")["dump_time"] == dump_ts


def test_diagnose_and_dump_values_round_trip():
    """Every fmsg type, kernel -> crate -> JSON and text, and as ynl sees it."""
    with sims((9, None)) as [minor]:
        doc = diagnose(minor)
        assert doc["reporter"] == reporter(minor, "dummy")
        assert_tree(doc["tree"], diagnose_tree(False), "accelctl diagnose")
        assert_tree(ynl_fmsg("health-reporter-diagnose", minor, "dummy"),
                    diagnose_tree(False), "ynl diagnose")
        text = accelctl("health", "diagnose", f"accel{minor}", "reporter", "dummy").stdout
        assert_text_values(text)
        for word in ("recover_fails", "array", "nested", "false"):
            assert word in text, (word, text)

        assert_tree(dump_show(minor)["tree"], dump_tree(1, "request"), "accelctl dump show")
        assert_tree(ynl_fmsg("health-reporter-dump-get", minor, "dummy"),
                    dump_tree(1, "request"), "ynl dump-get of the stored dump")
        assert_text_values(accelctl("health", "dump", "show", f"accel{minor}",
                                    "reporter", "dummy").stdout)

        proc = refused("diagnose", f"accel{minor}", "reporter", "empty")
        assert "reporter cannot diagnose" in proc.stderr, proc.stderr
        proc = refused("dump", "show", f"accel{minor}", "reporter", "empty")
        assert "reporter cannot dump" in proc.stderr, proc.stderr
        refused("dump", "clear", f"accel{minor}", "reporter", "empty")
        message = refused_json("diagnose", f"accel{minor}", "reporter", "empty")
        assert "reporter cannot diagnose" in message, message


def test_big_dump_complete():
    entries = 2000
    with sims((10, None)) as [minor]:
        set_hknob(10, "dummy_dump_entries", str(entries))
        proc, doc = accelctl_json("-v", "health", "dump", "show", f"accel{minor}",
                                  "reporter", "dummy")
        assert_tree(doc["tree"], dump_tree(1, "request", entries), "dump of 2000 entries")
        # ~56 KiB of fmsg cannot come in one datagram (at most 32 KiB).
        datagrams = [line for line in proc.stderr.splitlines() if "recv" in line]
        assert len(datagrams) >= 2, proc.stderr
        assert_tree(ynl_fmsg("health-reporter-dump-get", minor, "dummy"),
                    dump_tree(1, "request", entries), "ynl dump-get of 2000 entries")
        text = accelctl("health", "dump", "show", f"accel{minor}", "reporter", "dummy").stdout
        assert "entry 1999" in text


def test_empty_reporter_and_health_check_lines():
    with sims((13, None), (14, None), (15, None)) as [minor, second, healthy]:
        before = time.time_ns()
        inject(13, "empty went bad\n", "empty")
        after = time.time_ns()
        rep = reporter(minor, "empty")
        assert rep == expected(13, minor, "empty", state="error", error_count=1,
                               last_error_time=A_TS, last_error_msg="empty went bad")
        assert_ts(rep["last_error_time"], before, after, "last_error_time")
        assert reporter(minor, "dummy") == expected(13, minor, "dummy")

        refused("recover", f"accel{minor}", "reporter", "empty")
        for args, msg in ((("grace_period", "10"), "reporter cannot recover"),
                          (("auto_recover", "true"), "reporter cannot recover"),
                          (("auto_dump", "false"), "reporter cannot dump")):
            proc = refused("set", f"accel{minor}", "reporter", "empty", *args)
            assert msg in proc.stderr, (args, proc.stderr)

        act("set", f"accel{second}", "reporter", "dummy", "auto_recover", "false")
        inject(14, "dummy went bad")
        wait_reporter(second, "dummy", "auto-dump", has_dump)
        lines = [check_line(minor, "empty", "empty went bad", 1, 0),
                 check_line(second, "dummy", "dummy went bad", 1, 0)]
        proc = check()
        assert proc.returncode == 3, proc.stderr
        assert sorted(proc.stdout.splitlines(keepends=True)) == sorted(lines), proc.stdout
        proc = check(f"accel{minor}")
        assert (proc.returncode, proc.stdout) == (3, lines[0]), proc.stderr
        proc = check(f"accel{healthy}")
        assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
        proc, doc = accelctl_json("health", "check", check=False)
        assert proc.returncode == 3
        assert not doc["healthy"]
        assert by_key(doc["unhealthy"]) == by_key(
            [reporter(minor, "empty"), reporter(second, "dummy")])
        proc = check("accel_sim/accel_sim99")
        assert proc.returncode == 1, (proc.returncode, proc.stderr)


def test_unknown_reporter_device_and_usage_errors():
    with sims((16, None)) as [minor]:
        dev = f"accel{minor}"
        for args in (("show", dev, "reporter", "nosuch"),
                     ("set", dev, "reporter", "nosuch", "grace_period", "1"),
                     ("recover", dev, "reporter", "nosuch"),
                     ("diagnose", dev, "reporter", "nosuch"),
                     ("dump", "show", dev, "reporter", "nosuch"),
                     ("dump", "clear", dev, "reporter", "nosuch"),
                     ("test", dev, "reporter", "dumm")):
            proc = refused(*args)
            assert "no health reporter with this name on the device" in proc.stderr, \
                (args, proc.stderr)
            assert proc.stdout == "", (args, proc.stdout)
        message = refused_json("show", dev, "reporter", "nosuch")
        assert "no health reporter with this name on the device" in message, message

        for args in (("recover", dev),
                     ("recover", dev, "reporter"),
                     ("set", dev, "reporter", "dummy", "auto_recover", "maybe"),
                     ("set", dev, "reporter", "dummy", "grace_period", "-1"),
                     ("set", dev, "reporter", "dummy", "grace_period", "soon"),
                     ("set", dev, "reporter", "dummy", "grace_period"),
                     ("set", dev, "reporte", "dummy", "grace_period", "1"),
                     ("set", dev, "reporter", "dummy", "grace", "1"),
                     ("dump", dev, "reporter", "dummy"),
                     ("dump", "show", dev),
                     ("show", dev, "reporter"),
                     ("show", "gpu0"),
                     ("check", "accel"),
                     ("frobnicate",)):
            refused(*args, code=2)
        # Nothing to set: refused, by accelctl (usage) or by the kernel.
        proc = accelctl("health", "set", dev, "reporter", "dummy", check=False)
        assert proc.returncode in (1, 2), (proc.returncode, proc.stderr)
        assert reporter(minor, "dummy") == expected(16, minor, "dummy")

    # The device is gone now.
    proc = refused("show", f"accel{minor}")
    assert "no accel device" in proc.stderr, proc.stderr
    proc = refused("recover", f"accel{minor}", "reporter", "dummy")
    assert "no accel device" in proc.stderr, proc.stderr


def test_unprivileged_user_shows_but_cannot_act():
    with sims((17, None)) as [minor]:
        inject(17, "seen by all", "empty")
        assert by_key(show(user=NOBODY)) == by_key(show())
        assert show(f"accel{minor}", "reporter", "dummy", user=NOBODY) == \
            show(f"accel{minor}", "reporter", "dummy")
        proc = check(f"accel{minor}", user=NOBODY)
        assert (proc.returncode, proc.stdout) == \
            (3, check_line(minor, "empty", "seen by all", 1, 0)), proc.stderr

        before = by_key(show(f"accel{minor}"))
        dev = f"accel{minor}"
        for args in (("set", dev, "reporter", "dummy", "grace_period", "10"),
                     ("set", dev, "reporter", "dummy", "auto_recover", "false"),
                     ("recover", dev, "reporter", "dummy"),
                     ("recover", dev, "reporter", "empty"),
                     ("diagnose", dev, "reporter", "dummy"),
                     ("test", dev, "reporter", "dummy"),
                     ("dump", "show", dev, "reporter", "dummy"),
                     ("dump", "clear", dev, "reporter", "dummy")):
            proc = refused(*args, user=NOBODY)
            assert CAP_MSG in proc.stderr, (args, proc.stderr)
            message = refused_json(*args, user=NOBODY)
            assert CAP_MSG in message, (args, message)
        # Nothing happened: no parameter set, no dump taken, no test error.
        assert by_key(show(f"accel{minor}")) == before


def test_monitor_health_events():
    with sims((18, None)) as [minor]:
        dev = f"accel{minor}"
        with monitors() as (jmon, tmon):
            act("set", dev, "reporter", "dummy", "auto_recover", "false")
            events = next_events(jmon, tmon, ["health-change"], minor)
            assert [e["event"] for e in events] == ["health-change"], events
            assert events[0]["reporter"] == expected(18, minor, "dummy", auto_recover=False)

            inject(18, "watch me")
            events = next_events(jmon, tmon, ["health-error", "health-change"], minor)
            [error] = only(events, "health-error")
            assert (error["reporter"], error["state"], error["error_count"],
                    error["last_error_msg"]) == ("dummy", "error", 1, "watch me"), error
            assert has_dump(only(events, "health-change")[-1]), events

            act("recover", dev, "reporter", "dummy")
            events = next_events(jmon, tmon, ["health-recover"], minor)
            rec = only(events, "health-recover")[-1]
            assert (rec["state"], rec["recover_count"]) == ("healthy", 1), rec

            act("dump", "clear", dev, "reporter", "dummy")
            events = next_events(jmon, tmon, ["health-change"], minor)
            assert only(events, "health-change")[-1]["dump_time"] is None, events

            # The automatic path: error, dump, recovery, all from the kernel.
            act("set", dev, "reporter", "dummy", "auto_recover", "true")
            next_events(jmon, tmon, ["health-change"], minor)
            act("test", dev, "reporter", "dummy")
            events = next_events(jmon, tmon, ["health-error", "health-change",
                                              "health-recover"], minor)
            assert only(events, "health-error")[-1]["last_error_msg"] == "test error", events
            rec = only(events, "health-recover")[-1]
            assert (rec["state"], rec["error_count"], rec["recover_count"]) == \
                ("healthy", 2, 2), rec

            inject(18, "empty watched", "empty")
            events = next_events(jmon, tmon, ["health-error"], minor)
            assert only(events, "health-error")[-1] == expected(
                18, minor, "empty", state="error", error_count=1,
                last_error_time=A_TS, last_error_msg="empty watched")

            # A reporter created and destroyed by the driver.
            set_hknob(18, "extra_reporter", "1")
            events = next_events(jmon, tmon, ["health-new"], minor)
            assert only(events, "health-new")[-1]["reporter"] == "extra", events
            set_hknob(18, "extra_reporter", "0")
            events = next_events(jmon, tmon, ["health-del"], minor)
            assert only(events, "health-del")[-1]["reporter"] == "extra", events


def test_health_check_fails_when_it_sees_no_device():
    """From another network namespace the family shows nothing: a probe
    must not pass vacuously there."""
    with sims((22, None)):
        proc = subprocess.run(["unshare", "-n", ACCELCTL, "health", "check"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
        assert "no accel device is visible" in proc.stderr, proc.stderr
        proc = subprocess.run(["unshare", "-n", ACCELCTL, "-j", "health", "check"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1, proc.stderr
        doc = validate(json.loads(proc.stdout))
        assert "no accel device is visible" in doc["error"]["message"], doc
        assert check().returncode == 0


@pytest.mark.parametrize("when", ["right-away", "dump-taken", "stored"])
def test_device_deleted_during_dump_show(when):
    """Delete the device while `accelctl -j health dump show` reads a big
    dump: accelctl gets the whole dump or an error, never a crash or a
    partial tree (the harness fails the run on any kernel splat)."""
    # Enough for several messages; more only slows down schema validation.
    entries = 2000
    sim_id = 21
    minor = sim_add(sim_id)
    set_hknob(sim_id, "dummy_dump_entries", str(entries))
    fam = ynl_family()
    request = {"handle": {"index": minor}, "name": "dummy"}
    if when == "stored":
        assert_tree(dump_show(minor)["tree"], dump_tree(1, "request", entries),
                    f"dump of {entries} entries")
    proc = subprocess.Popen([ACCELCTL, "-j", "health", "dump", "show", f"accel{minor}",
                             "reporter", "dummy"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        if when == "dump-taken":
            # Polled through ynl in this process: faster than running accelctl.
            wait_until(lambda: fam.do("health-reporter-get", request),
                       lambda rep: "dump-ts-ns" in rep, "dump-get to take the dump",
                       interval=0.001)
        sim_del(sim_id)
    finally:
        out, err = proc.communicate(timeout=300)
    assert "panicked" not in err, err
    assert out, f"no JSON printed; exit {proc.returncode}, stderr {err!r}"
    doc = validate(json.loads(out))
    if proc.returncode == 0:
        assert_tree(doc["tree"], dump_tree(1, "request", entries),
                    "a dump read while its device was deleted")
    else:
        assert proc.returncode == 1, (proc.returncode, err)
        assert doc["error"]["message"], doc
    assert [r for r in show() if r["index"] == minor] == []
