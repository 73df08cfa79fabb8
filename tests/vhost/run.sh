#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The vhost stage: vgpiochip --vhost-user on this machine (simulated host
# lines, no CUSE), a QEMU guest (the test VM's kernel, -accel tcg) with
# vhost-user-gpio-pci on its socket, and tests/vhost/guest.sh inside it with
# the unchanged libgpiod tools. The guest asks what only the host can see
# over a second serial port (a pipe here); see guest.sh. Then QEMU is killed
# with a line held (release state), and a second QEMU boots against the same
# daemon. Counts: the guest's ok lines (its console is shown) and the host's.
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/vm/common.sh
. tests/vm/common.sh
# shellcheck source=tests/tally.sh
. tests/tally.sh
build=${BUILD:-build}
make --no-print-directory "$build/vgpiochip" >/dev/null || exit 1
VGC=$PWD/$build/vgpiochip

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n"; fi; }
# wait_for SECONDS CMD...: retries CMD until it succeeds or time is up
wait_for() {
    local end=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.05
    done
}

work=$(mktemp -d /tmp/vgc-vhost.XXXXXX)
RUN=$work/run SOCK=$work/gpio.sock CONF=$work/vmt.conf LOG=$work/daemon.log
mkdir -m 0700 "$RUN"
DPID= QPID= SRV=
cleanup() {
    for p in $SRV $QPID $DPID; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

cat > "$CONF" <<CONF
[chip]
tenant = vmt
sim = 32
lines = 4

[line 0]
host = 17
name = LED
release = low

[line 1]
host = 27
name = BTN

[line 3]
host = 5
name = RO
read-only = yes
CONF

sim() { VGPIOCHIP_RUN_DIR=$RUN "$VGC" sim vmt "$@"; }
sim_is() { [ "$(sim get "$1")" = "$2" ]; }
start_daemon() {
    VGPIOCHIP_RUN_DIR=$RUN "$VGC" --config "$CONF" --vhost-user "$SOCK" >> "$LOG" 2>&1 &
    DPID=$!
    wait_for 20 test -S "$SOCK"
}
connections() { grep -c "front end connected" "$LOG"; }

# The guest: kernel, initramfs with guest.sh, QEMU with the vhost-user device.
# VGC_VHOST_KERNEL (and VGC_VHOST_MODULES, a directory with the modules and
# their load.list) boot another kernel than the test VM's.
image=${VGC_VHOST_KERNEL:-}
[ -n "$image" ] || image=$(tests/vm/build-kernel.sh) || exit 1
modules=()
[ -n "${VGC_VHOST_MODULES:-}" ] && modules=(--modules "$VGC_VHOST_MODULES")
tests/vm/fetch-debs.sh --no-stock >/dev/null || exit 1
# QEMU 10 from bookworm-backports: 7.2 gives the guest no interrupts (fetch-qemu.sh)
{ read -r qemu; read -r qemu_data; } < <(tests/vhost/fetch-qemu.sh) || exit 1
[ -x "$qemu" ] || exit 1
initrd() {
    local mode=$1
    printf '#!/bin/sh\nexec /vgc/guest.sh %s\n' "$mode" > "$work/run-$mode"
    chmod +x "$work/run-$mode"
    tests/vm/mkinitramfs.sh "${modules[@]}" --add tests/vhost/guest.sh:/vgc/guest.sh \
        --add "$work/run-$mode:/vgc/run" --add tests/vm/scenario-lib.sh:/opt/vgc/scenario-lib.sh \
        "$work/initrd-$mode.cpio.gz" >/dev/null
}
boot() {
    local mode=$1
    rm -f "$work/ctl.in" "$work/ctl.out"
    mkfifo "$work/ctl.in" "$work/ctl.out"
    # QEMU's memory is shared with the back end: memfd, share=on, one NUMA node over it.
    # No reconnect=: QEMU 10.0's vhost-user fails to start with it ("Failed to
    # set msg fds"), so the daemon-restart case is not run here.
    "$qemu" -L "$qemu_data" -L /usr/share/seabios -accel tcg -m 512M -smp 2 \
        -nodefaults -no-user-config \
        -display none -monitor none -no-reboot \
        -object memory-backend-memfd,id=mem,size=512M,share=on -numa node,memdev=mem \
        -chardev "socket,id=gpio0,path=$SOCK" \
        -device vhost-user-gpio-pci,chardev=gpio0 \
        -serial stdio -chardev "pipe,id=ctl,path=$work/ctl" -serial chardev:ctl \
        -kernel "$image" -initrd "$work/initrd-$mode.cpio.gz" \
        -append "console=ttyS0 clocksource=hpet panic=-1 loglevel=5 no_timer_check" \
        < /dev/null > "$work/console-$mode.log" 2>&1 &
    QPID=$!
}

# The host's half of the conversation over the guest's ttyS1.
serve() {
    local cmd a b
    exec 4> "$work/ctl.in"
    while read -r cmd a b; do
        case $cmd in
        get) echo "$(sim get "$a")" >&4 ;;
        set) if sim set "$a" "$b" >/dev/null; then echo ok; else echo failed; fi >&4 ;;
        wait) if wait_for 10 sim_is "$a" "$b"; then echo ok; else echo timeout; fi >&4 ;;
        audit) if wait_for 10 grep -qE "$a${b:+ $b}" "$LOG"; then echo yes; else echo no; fi >&4 ;;
        kill-qemu) echo "kill-qemu" > "$work/kill"; return ;;
        *) echo "unknown" >&4 ;;
        esac
    done < "$work/ctl.out"
}

started=$SECONDS
initrd first
initrd again
start_daemon || { fail "vgpiochip --vhost-user listens on its socket"; exit 1; }
pass "vgpiochip --vhost-user listens on its socket (this machine has no CUSE)"
boot first
serve &
SRV=$!
# the guest's end: it asks to be killed, or QEMU stops on its own (a failure)
wait_for 600 sh -c "test -f $work/kill || ! kill -0 $QPID"
sed 's/\r$//' "$work/console-first.log"
check "the guest scenario ran to its end" grep -q "# end of guest.sh" "$work/console-first.log"
check "QEMU connected to the daemon" grep -q "front end connected" "$LOG"
kill -9 "$QPID"; wait "$QPID" 2>/dev/null
QPID=
check "QEMU killed with line 0 held: host line 17 goes to its release state (low)" \
    wait_for 10 sim_is 17 0
check "the daemon saw the front end go" grep -q "front end disconnected" "$LOG"
check "the daemon is still running" kill -0 "$DPID"
before=$(connections)
boot again
wait_for 600 sh -c "! kill -0 $QPID"
sed 's/\r$//' "$work/console-again.log"
check "a new QEMU is accepted after the old one was killed" test "$(connections)" -gt "$before"
check "the second guest ran to its end" grep -q "VGC-VM-EXIT=0" "$work/console-again.log"
# idle with no front end: no wake-ups at all (context switches of all its threads)
switches() { cat /proc/"$DPID"/task/*/status | awk '/ctxt_switches/ { n += $2 } END { print n }'; }
idle_before=$(switches)
sleep 1	# a fixed window to count wake-ups in, not a wait for something
check "the idle daemon does not wake up (context switches over 1 s: $idle_before -> $(switches))" \
    test "$(switches)" = "$idle_before"
kill "$DPID"; wait "$DPID"
check "the daemon stops on SIGTERM" test $? = 0
DPID=
echo "# daemon log:"; sed 's/^/#   /' "$LOG"
echo "# vhost stage took $((SECONDS - started)) s"
echo "# end of vhost.sh: $passed passed, $failed failed"
[ "$failed" = 0 ]
