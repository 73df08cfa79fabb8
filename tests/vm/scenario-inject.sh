#!/bin/sh
# The injector on its own, against real callers of a FUSE file (tests/inject/):
# concurrency, signal storms, traced and killed clients, failure paths, a
# caller's path through a stalling FUSE mount. Then through the daemon: an
# open by the thread of a request that just failed is a plain chip open.
# test-inject's own ok/not ok lines are counted by the harness as printed.
. /opt/vgc/scenario-lib.sh

TEST_INJECT_KILL_ROUNDS=${TEST_INJECT_KILL_ROUNDS:-40} test-inject 2>&1 | tee /tmp/ti.out
check "test-inject ran to its end" grep -q "^# end of test-inject:" /tmp/ti.out

echo "# through the daemon"
modprobe cuse 2>/dev/null || true
[ -e /dev/cuse ] || { fail "no /dev/cuse in this kernel"; finish; exit 1; }
vgpiochip --name inj --sim 8 --map 0-7:0-7 >/tmp/inj.out 2>/tmp/inj.err &
DPID=$!
check "the daemon starts" wait_for 20 grep -q " is gpiochip" /tmp/inj.out
check "200 times, an open right after a request that failed (EPERM) is a chip, not its line" \
    vgc-inj rebind /dev/vgpiochip-inj 3 200
kill -TERM $DPID
check "the daemon stops" wait_for 15 gone $DPID
[ "$failed" -eq 0 ] || { echo "# the daemon's log:"; tail -20 /tmp/inj.err | sed 's/^/#   /'; }
finish
