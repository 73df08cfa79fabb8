#!/bin/sh
# The injector on its own, against real callers of a FUSE file (tests/inject/):
# concurrency, signal storms, traced and killed clients, failure paths.
# Prints its own "N passed, N failed".
TEST_INJECT_KILL_ROUNDS=${TEST_INJECT_KILL_ROUNDS:-40} exec test-inject
