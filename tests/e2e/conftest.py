"""Shared pytest setup for the VM end-to-end tests (run in the guest by
tests/guest/suite.sh).

Every test report is echoed as one ``RESULT PASS|FAIL|SKIP <nodeid>`` line on
the real stdout, which tests/run-all.sh counts; pytest's own output capturing
is bypassed on purpose (``sys.__stdout__``).
"""

import os
import sys

import pytest


def _emit(verdict, nodeid):
    # Leading newline: pytest's progress dots share this stream.
    sys.__stdout__.write(f"\nRESULT {verdict} {nodeid}\n")
    sys.__stdout__.flush()


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report):
    # One line per test: the call phase decides, except that a failing or
    # skipping setup/teardown is reported too (the test did not pass).
    if report.when == "call":
        verdict = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}[report.outcome]
        if hasattr(report, "wasxfail"):
            verdict = "PASS" if report.skipped else "FAIL"  # xfail / xpass(strict)
        _emit(verdict, report.nodeid)
    elif report.failed:
        _emit("FAIL", f"{report.nodeid} ({report.when})")
    elif report.skipped and report.when == "setup":
        _emit("SKIP", report.nodeid)


def pytest_collection_modifyitems(config, items):
    # Shell completion is accelctl and the shells, not the kernel: it runs on
    # the min kernel only, which keeps the debug guest (KASAN, ~3x slower)
    # for what can find kernel bugs.
    if os.environ.get("ACCEL_FLAVOUR") != "debug":
        return
    deselected = [i for i in items if "completion" in i.nodeid]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [i for i in items if i not in deselected]


def pytest_collectreport(report):
    # A module that fails to import must not vanish from the count.
    if report.failed:
        _emit("FAIL", f"{report.nodeid} (collection)")


@pytest.fixture(autouse=True)
def clean_sims():
    """Every test starts and ends without accel_sim devices."""
    from accel_env import sim_del_all
    sim_del_all()
    yield
    sim_del_all()


@pytest.fixture(scope="session")
def accelctl():
    """Absolute path of the accelctl binary under test (from $ACCELCTL)."""
    path = os.environ.get("ACCELCTL", "target/x86_64-unknown-linux-gnu/release/accelctl")
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def ksrc():
    """The patched kernel tree (tools/, Documentation/, include/uapi/), from $KSRC."""
    return os.environ["KSRC"]
