"""Fault tests: real threads, real servers, killed processes and a database that goes away."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: starts servers or runs many requests (seconds each); part of the suite"
    )
