"""`accelctl dev param` against the real kernel: what accelctl adds.

accel_sim registers the generic `job_timeout_ms` (u32, runtime + driverinit,
default 10000, validated to 1..600000) and one driver parameter of every
type, `accel_sim.test_{bool,u32,u64,string}` (defaults false, 32, 64, "sim"),
each in all three modes. A driverinit value is pending (driver_reinit) while
it differs from the runtime value; a permanent value is pending (fw_activate)
while it differs from the one in effect, which the simulator loads from its
"NVM" at device creation and at fw-activate (the NVM is kept across
del_device/new_device of the same id). These tests check the rendering (text,
JSON against the schema), value parsing, error texts and exit codes, monitor
lines and completion; the semantics are the kselftests'.
"""

import json

from accel_env import (NOBODY, accelctl, accelctl_json, readline, sim_add, sim_del, sims,
                       validate)
from test_completion import complete, env, same  # noqa: F401 # pylint: disable=unused-import
from test_health import monitors

DEFAULTS = {
    "job_timeout_ms": ("u32", True, {"runtime": 10000, "driverinit": 10000}),
    "accel_sim.test_bool": ("bool", False,
                            {"runtime": False, "driverinit": False, "permanent": False}),
    "accel_sim.test_u32": ("u32", False, {"runtime": 32, "driverinit": 32, "permanent": 32}),
    "accel_sim.test_u64": ("u64", False, {"runtime": 64, "driverinit": 64, "permanent": 64}),
    "accel_sim.test_string": ("string", False,
                              {"runtime": "sim", "driverinit": "sim", "permanent": "sim"}),
}
VALIDATOR_MSG = "job_timeout_ms must be between 1 and 600000 ms"
CAP_MSG = "needs CAP_NET_ADMIN"
CMODES = ("runtime", "driverinit", "permanent")
PENDING_ACTION = {"runtime": None, "driverinit": "driver_reinit", "permanent": "fw_activate"}


def params(*args, user=None):
    """`accelctl -j dev param show ARGS`, validated: {(index, name): param}."""
    _, doc = accelctl_json("dev", "param", "show", *args, user=user)
    assert doc["version"] == 2, doc
    return {(p["dev"]["index"], p["name"]): p for p in doc["params"]}


def param(minor, name, user=None):
    got = params(f"accel{minor}", "name", name, user=user)
    assert list(got) == [(minor, name)], got
    return got[(minor, name)]


def values(p):
    """{cmode: (value, pending)} of a param document."""
    return {v["cmode"]: (v["value"], v["pending"]) for v in p["values"]}


def set_param(minor, name, value, cmode, **kw):
    proc = accelctl("dev", "param", "set", f"accel{minor}", "name", name, "value", value,
                    "cmode", cmode, **kw)
    assert proc.stdout == "", proc.stdout
    return proc


def refused(*args, code=1, user=None):
    """accelctl dev param ARGS must fail with exit status code, saying why;
    with -j the error document is valid too. Returns the text run."""
    proc = accelctl("dev", "param", *args, check=False, user=user)
    assert proc.returncode == code, (args, proc.returncode, proc.stderr)
    assert proc.stderr.startswith("accelctl: ") or code == 2, (args, proc.stderr)
    assert proc.stdout == "", (args, proc.stdout)
    jproc = accelctl("-j", "dev", "param", *args, check=False, user=user)
    assert jproc.returncode == code, (args, jproc.returncode)
    doc = validate(json.loads(jproc.stdout))
    assert doc["error"]["message"], doc
    return proc


def test_show_every_type_and_mode_text_and_json():
    with sims((31, None), (32, None)) as [m1, m2]:
        mine = {name: p for (idx, name), p in params(f"accel{m1}").items() if idx == m1}
        assert set(mine) == set(DEFAULTS), mine
        for name, (ty, generic, vals) in DEFAULTS.items():
            p = mine[name]
            assert (p["type"], p["generic"]) == (ty, generic), p
            assert p["dev"]["name"] == f"accel{m1}"
            assert p["dev"]["handle"] == "accel_sim/accel_sim31"
            assert values(p) == {c: (v, None) for c, v in vals.items()}, p
            # The do form and the filtered dump agree, and anyone may read.
            assert param(m1, name) == p
            assert param(m1, name, user=NOBODY) == p
        # Without DEV: both devices.
        every = params()
        assert {(m1, n) for n in DEFAULTS} | {(m2, n) for n in DEFAULTS} <= set(every)

        text = accelctl("dev", "param", "show", f"accel{m1}").stdout
        lines = text.splitlines()
        assert lines[0] == f"accel{m1}: accel_sim/accel_sim31", text
        block = text[text.index("  name job_timeout_ms"):].splitlines()[:3]
        assert block == ["  name job_timeout_ms type generic u32",
                         "    cmode runtime value 10000",
                         "    cmode driverinit value 10000"], text
        for name in DEFAULTS:
            kind = "generic" if DEFAULTS[name][1] else "driver-specific"
            assert f"  name {name} type {kind} {DEFAULTS[name][0]}\n" in text, text
        assert "    cmode permanent value sim\n" in text, text
        assert "    cmode runtime value false\n" in text, text
        assert "pending" not in text, text
        # `dev param` alone is `dev param show`.
        assert accelctl("dev", "param").stdout == accelctl("dev", "param", "show").stdout


def test_set_every_type_and_mode():
    cases = [
        ("accel_sim.test_bool", "true", True, "true"),
        ("accel_sim.test_bool", "on", True, "true"),
        ("accel_sim.test_u32", "4294967295", 4294967295, "4294967295"),
        ("accel_sim.test_u32", "0x10", 16, "16"),
        ("accel_sim.test_u64", "9007199254740993", "9007199254740993", "9007199254740993"),
        ("accel_sim.test_u64", "0xffffffffffffffff", "18446744073709551615",
         "18446744073709551615"),
        ("accel_sim.test_string", "hello world", "hello world", "hello world"),
        ("accel_sim.test_string", "123", "123", "123"),
    ]
    with sims((33, None)) as [minor]:
        for name, typed, want_json, want_text in cases:
            for cmode in CMODES:
                set_param(minor, name, typed, cmode)
                got = values(param(minor, name))
                assert got[cmode][0] == want_json, (name, typed, cmode, got)
                text = accelctl("dev", "param", "show", f"accel{minor}", "name", name).stdout
                assert f"    cmode {cmode} value {want_text}" in text, (name, cmode, text)
            # Runtime never pending; the driverinit value equals the runtime
            # one now: not pending either.
            got = values(param(minor, name))
            assert got["runtime"][1] is None and got["driverinit"][1] is None, got


def test_pending_and_its_clearing_by_driver_reinit():
    with sims((34, None)) as [minor]:
        dev = f"accel{minor}"
        set_param(minor, "job_timeout_ms", "20000", "driverinit")
        assert values(param(minor, "job_timeout_ms")) == {
            "runtime": (10000, None), "driverinit": (20000, "driver_reinit")}
        text = accelctl("dev", "param", "show", dev, "name", "job_timeout_ms").stdout
        assert text == (f"{dev}: accel_sim/accel_sim34\n"
                        "  name job_timeout_ms type generic u32\n"
                        "    cmode runtime value 10000\n"
                        "    cmode driverinit value 20000 pending: reload driver_reinit\n"), text
        # Every type: a driverinit value that differs is pending.
        set_param(minor, "accel_sim.test_string", "next", "driverinit")
        set_param(minor, "accel_sim.test_bool", "yes", "driverinit")
        assert values(param(minor, "accel_sim.test_string"))["driverinit"] == \
            ("next", "driver_reinit")
        assert values(param(minor, "accel_sim.test_bool"))["driverinit"] == \
            (True, "driver_reinit")

        assert accelctl("dev", "reload", dev).stdout == f"{dev}: reload done: driver_reinit\n"
        assert values(param(minor, "job_timeout_ms")) == {
            "runtime": (20000, None), "driverinit": (20000, None)}
        assert values(param(minor, "accel_sim.test_string"))["runtime"] == ("next", None)
        assert values(param(minor, "accel_sim.test_bool"))["runtime"] == (True, None)
        assert "pending" not in accelctl("dev", "param", "show", dev).stdout


def test_permanent_pending_fw_activate_and_nvm_kept_across_recreate():
    with sims((35, None)) as [minor]:
        dev = f"accel{minor}"
        set_param(minor, "accel_sim.test_u32", "7", "permanent")
        assert values(param(minor, "accel_sim.test_u32"))["permanent"] == (7, "fw_activate")
        text = accelctl("dev", "param", "show", dev, "name", "accel_sim.test_u32").stdout
        assert "    cmode permanent value 7 pending: reload fw_activate\n" in text, text
        # driver_reinit does not apply a permanent value.
        accelctl("dev", "reload", dev, "action", "driver_reinit")
        assert values(param(minor, "accel_sim.test_u32"))["permanent"] == (7, "fw_activate")
        proc = accelctl("dev", "reload", dev, "action", "fw_activate")
        assert proc.stdout == f"{dev}: reload done: driver_reinit, fw_activate\n", proc.stdout
        assert values(param(minor, "accel_sim.test_u32"))["permanent"] == (7, None)

        # The simulated NVM keeps it for the same id, in effect from creation.
        set_param(minor, "accel_sim.test_string", "stored", "permanent")
    minor = sim_add(35)
    try:
        assert values(param(minor, "accel_sim.test_u32"))["permanent"] == (7, None)
        assert values(param(minor, "accel_sim.test_string"))["permanent"] == ("stored", None)
        # Other modes start from the defaults again.
        assert values(param(minor, "accel_sim.test_u32"))["runtime"] == (32, None)
    finally:
        sim_del(35)
    with sims((36, None)) as [other]:
        assert values(param(other, "accel_sim.test_u32"))["permanent"] == (32, None)


def test_errors_and_exit_codes():
    with sims((37, None)) as [minor]:
        dev = f"accel{minor}"
        before = params(dev)
        # The kernel refuses (exit 1), its message shown.
        proc = refused("set", dev, "name", "nosuch", "value", "1", "cmode", "runtime")
        assert f"device {dev} param nosuch: cannot set it:" in proc.stderr, proc.stderr
        assert f"run 'accelctl dev param show {dev}'" in proc.stderr, proc.stderr
        proc = refused("show", dev, "name", "nosuch")
        assert "param nosuch" in proc.stderr, proc.stderr
        for value in ("0", "600001"):
            proc = refused("set", dev, "name", "job_timeout_ms", "value", value,
                           "cmode", "runtime")
            assert VALIDATOR_MSG in proc.stderr, proc.stderr
        # The kernel's extack names what is wrong with the value.
        for name, value, msg in (
                ("accel_sim.test_u32", "4294967296",
                 "4294967296 is out of range for u32 parameter accel_sim.test_u32"),
                ("accel_sim.test_u32", "abc", 'value "abc" is not a number'),
                ("accel_sim.test_u32", "-1", 'value "-1" is not a number'),
                ("accel_sim.test_u64", "18446744073709551616",
                 "18446744073709551616 is out of range for u64 parameter accel_sim.test_u64"),
                ("accel_sim.test_bool", "2",
                 "2 is not a boolean (0 or 1) for parameter accel_sim.test_bool"),
                ("accel_sim.test_bool", "maybe", 'value "maybe" is not a boolean (0 or 1)')):
            proc = refused("set", dev, "name", name, "value", value, "cmode", "driverinit")
            assert f'kernel: "{msg}"' in proc.stderr, (name, value, proc.stderr)
            if "not a number" in msg:
                # The attribute the kernel missed, by its spec name.
                assert "[missing attribute 'value-uint']" in proc.stderr, proc.stderr
        # A mode the parameter does not have.
        proc = refused("set", dev, "name", "job_timeout_ms", "value", "5", "cmode", "permanent")
        assert 'kernel: "parameter job_timeout_ms has no permanent cmode"' in proc.stderr, \
            proc.stderr
        # Usage errors (exit 2): what no parameter could take.
        for args in (("set", dev, "name", "job_timeout_ms", "value", "5", "cmode", "now"),
                     ("set", dev, "name", "job_timeout_ms", "value", "5"),
                     ("set", dev, "name", "job_timeout_ms", "cmode", "runtime"),
                     ("set", dev, "value", "5", "cmode", "runtime"),
                     ("set", dev, "name", "accel_sim.test_string", "value", "x" * 129,
                      "cmode", "runtime"),
                     ("set", dev, "name", "job_timeout_ms", "value", "5", "cmode", "runtime",
                      "cmode", "driverinit"),
                     ("show", dev, "nmae", "job_timeout_ms"),
                     ("show", dev, "name"),
                     ("sh",)):
            refused(*args, code=2)
        # Nothing changed.
        assert params(dev) == before
        # Unprivileged: shows, cannot set.
        proc = refused("set", dev, "name", "accel_sim.test_u32", "value", "1",
                       "cmode", "runtime", user=NOBODY)
        assert CAP_MSG in proc.stderr, proc.stderr
        assert params(dev) == before
    proc = refused("show", f"accel{minor}")
    assert "no accel device" in proc.stderr, proc.stderr
    proc = refused("set", f"accel{minor}", "name", "job_timeout_ms", "value", "5",
                   "cmode", "runtime")
    assert "run 'accelctl dev show'" in proc.stderr, proc.stderr


def test_monitor_param_change():
    with sims((38, None)) as [minor]:
        dev = f"accel{minor}"
        with monitors() as (jmon, tmon):
            set_param(minor, "job_timeout_ms", "30000", "driverinit")
            event = validate(json.loads(readline(jmon)))
            line = readline(tmon)
            assert event["event"] == "param-change", event
            assert event["param"]["name"] == "job_timeout_ms"
            assert event["param"]["dev"]["index"] == minor
            assert values(event["param"])["driverinit"] == (30000, "driver_reinit")
            assert line == (f"[param,change] {dev}: accel_sim/accel_sim38 name job_timeout_ms "
                            "type generic u32: cmode runtime value 10000, cmode driverinit "
                            "value 30000 pending: reload driver_reinit\n"), line


def test_completion_of_param_names(complete):  # noqa: F811
    with sims((39, None)) as [minor]:
        dev = f"accel{minor}"
        same(complete("accelctl dev "),
             ["show", "info", "param", "reload", "flash", "selftest"])
        same(complete("accelctl dev param "), ["show", "set"])
        same(complete(f"accelctl dev param show {dev} "), ["name"])
        same(complete(f"accelctl dev param show {dev} name "), list(DEFAULTS))
        same(complete("accelctl dev param set accel_sim/accel_sim39 name accel_sim.test_u"),
             ["accel_sim.test_u32", "accel_sim.test_u64"])
        same(complete(f"accelctl dev param set {dev} name job_timeout_ms "), ["value", "cmode"])
        same(complete(f"accelctl dev param set {dev} name job_timeout_ms cmode "),
             list(CMODES))
