"""Markers of the core tests."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: starts real `jianfu` processes (10-20 s each); part of `make test`, "
                   "left out with `-m 'not slow'`")
