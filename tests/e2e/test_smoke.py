"""Smoke test: the guest kernel has the DRM accel class."""

import os


def test_accel_class_exists():
    assert os.path.isdir("/sys/class/accel"), "kernel lacks CONFIG_DRM_ACCEL"
