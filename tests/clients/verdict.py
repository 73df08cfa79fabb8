# SPDX-License-Identifier: GPL-2.0-or-later
"""What the Python clients share: one verdict line per check, and questions
to the driver (tests/lxd/clients.sh), which acts on the host side.

A verdict line is "WHAT: OUTCOME"; when the outcome is not what the kernel's
documentation says, " (UNEXPECTED, want W)" follows. ask() prints
"ASK ID REQUEST" and waits for the driver's answer in SYNC/ID."""
import errno
import os
import sys
import time

_sync = None
_seq = 0


def setup(sync_dir):
    global _sync
    _sync = sync_dir


def say(what, got, want=None):
    line = "%s: %s" % (what, got)
    if want is not None and got != want:
        line += " (UNEXPECTED, want %s)" % (want,)
    print(line, flush=True)


def errname(e):
    n = getattr(e, "errno", None)
    return errno.errorcode.get(n, str(n)) if n else type(e).__name__


def ask(request, timeout=30):
    """The driver's answer to REQUEST (level L, pull-up L, pull-down L,
    hold L, free L, request L), waited for, never slept instead of."""
    global _seq
    _seq += 1
    ident = "%s-%d" % (os.path.basename(sys.argv[0]).split(".")[0], _seq)
    print("ASK %s %s" % (ident, request), flush=True)
    path = os.path.join(_sync, ident)
    end = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > end:
            return "no answer"
        time.sleep(0.02)
    with open(path) as f:
        return f.read().strip()


def monotonic_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)
