"""Shared pytest set-up: real-server fixtures come from tests/servers."""

pytest_plugins = ["tests.servers.fixtures"]
