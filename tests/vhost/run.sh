#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The vhost stage: vgpiochip --vhost-user on this machine (simulated host
# lines, no CUSE), a QEMU guest (the test VM's kernel, -accel tcg) with
# vhost-user-gpio-pci on its socket, and tests/vhost/guest.sh inside it with
# the unchanged libgpiod tools. The guest asks what only the host can see
# over a second serial port (a pipe here); see guest.sh. Then QEMU is killed
# with a line held (release state), a second QEMU boots against the same
# daemon, a third one reboots its guest, and a fourth, started before the
# daemon, lives through the daemon's restarts (SIGKILL and SIGTERM).
# Counts: the guest's ok lines (its console is shown) and the host's.
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
: > "$LOG"
QPID= SRV=
# the daemon's pid is in a file: the guest's requests restart it from serve's subshell
daemon_pid() { cat "$work/daemon.pid" 2>/dev/null; }
cleanup() {
    for p in $SRV $QPID $(daemon_pid); do kill "$p" 2>/dev/null; done
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
count() { grep -c "$1" "$LOG"; }
# start_daemon: a daemon on $SOCK, listening when this returns. A subshell
# waits for it, whoever started it, and leaves its exit status in daemon.rc.
start_daemon() {
    local n
    n=$(count "vhost-user-gpio back end on")
    rm -f "$work/daemon.rc"
    stat -c %s "$LOG" > "$work/daemon.off" 2>/dev/null || echo 0 > "$work/daemon.off"
    (
        VGPIOCHIP_RUN_DIR=$RUN "$VGC" --config "$CONF" --vhost-user "$SOCK" >> "$LOG" 2>&1 &
        echo $! > "$work/daemon.pid"
        wait $!
        echo $? > "$work/daemon.rc"
    ) &
    wait_for 20 sh -c "[ \$(grep -c 'vhost-user-gpio back end on' $LOG) -gt $n ]"
}
# stop_daemon SIGNAL: true once the daemon has exited; its status is in daemon.rc
stop_daemon() {
    kill -"$1" "$(daemon_pid)" && wait_for 20 test -f "$work/daemon.rc"
}
# what the running (or last) daemon logged
daemon_log() { tail -c +$(($(cat "$work/daemon.off") + 1)) "$LOG"; }
connections() { count "front end connected"; }

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
qemu10=("$qemu" -L "$qemu_data")
# Debian 12's own QEMU 7.2 for the daemon restarts: QEMU 10.0's vhost-user-gpio
# (built on vhost-user-base) cannot reconnect. With reconnect-ms= on the chardev
# the device fails to start ("Failed to set msg fds": it talks to the socket
# before the chardev's background connect is done); added after the connection
# (device_add), QEMU aborts when the back end comes back (vhost_dev_start:
# "Assertion `hdev->vhost_ops' failed": the reconnect path does not set the
# device up again). 7.2 waits for the back end at start and sets it up anew on
# every connection.
qemu72=(qemu-system-x86_64)
qemu72_version=$("${qemu72[@]}" --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')
initrd() {
    local mode=$1
    printf '#!/bin/sh\nexec /vgc/guest.sh %s\n' "$mode" > "$work/run-$mode"
    chmod +x "$work/run-$mode"
    tests/vm/mkinitramfs.sh "${modules[@]}" --add tests/vhost/guest.sh:/vgc/guest.sh \
        --add "$work/run-$mode:/vgc/run" --add tests/vm/scenario-lib.sh:/opt/vgc/scenario-lib.sh \
        "$work/initrd-$mode.cpio.gz" >/dev/null
}
# boot MODE [QEMU...]: QEMU (default 10) boots the guest in MODE; BOOT_OPTS
# (default -no-reboot) and SOCK_OPTS (options of the socket chardev) add to it.
boot() {
    local mode=$1
    shift
    [ $# -gt 0 ] || set -- "${qemu10[@]}"
    rm -f "$work/ctl.in" "$work/ctl.out" "$work/kill"
    mkfifo "$work/ctl.in" "$work/ctl.out"
    # QEMU's memory is shared with the back end: memfd, share=on, one NUMA node over it.
    # shellcheck disable=SC2086 # BOOT_OPTS: words
    "$@" -L /usr/share/seabios -accel tcg -m 512M -smp 2 \
        -nodefaults -no-user-config \
        -display none -monitor none ${BOOT_OPTS--no-reboot} \
        -object memory-backend-memfd,id=mem,size=512M,share=on -numa node,memdev=mem \
        -chardev "socket,id=gpio0,path=$SOCK${SOCK_OPTS:-}" \
        -device vhost-user-gpio-pci,chardev=gpio0 \
        -serial stdio -chardev "pipe,id=ctl,path=$work/ctl" -serial chardev:ctl \
        -kernel "$image" -initrd "$work/initrd-$mode.cpio.gz" \
        -append "console=ttyS0 clocksource=hpet panic=-1 loglevel=5 no_timer_check" \
        < /dev/null > "$work/console-$mode.log" 2>&1 &
    QPID=$!
}
# guest_done: the guest asked to be killed, or QEMU stopped on its own (a failure)
guest_done() { wait_for 600 sh -c "test -f $work/kill || ! kill -0 $QPID"; }
kill_qemu() { kill -9 "$QPID"; wait "$QPID" 2>/dev/null; QPID=; }
console() { sed 's/\r$//' "$work/console-$1.log"; }

# restart SIGNAL: the daemon is stopped with SIGNAL and started again, and
# the front end is back: connected and its guest's driver up again.
restart() {
    local up
    up=$(count "the guest's driver is up")
    stop_daemon "$1" || return 1
    # the killed daemon's log, for the guest's `last` questions
    daemon_log > "$work/last-daemon.log"
    start_daemon && wait_for 60 sh -c "[ \$(grep -c \"the guest's driver is up\" $LOG) -gt $up ]"
}

# The host's half of the conversation over the guest's ttyS1.
serve() {
    local cmd a b boots=0
    exec 4> "$work/ctl.in"
    while read -r cmd a b; do
        case $cmd in
        get) echo "$(sim get "$a")" >&4 ;;
        set) if sim set "$a" "$b" >/dev/null; then echo ok; else echo failed; fi >&4 ;;
        wait) if wait_for 10 sim_is "$a" "$b"; then echo ok; else echo timeout; fi >&4 ;;
        audit) if wait_for 10 grep -qE "$a${b:+ $b}" "$LOG"; then echo yes; else echo no; fi >&4 ;;
        last) if grep -qE "$a${b:+ $b}" "$work/last-daemon.log"; then echo yes; else echo no; fi >&4 ;;
        restart) if restart "$a"; then echo ok; else echo failed; fi >&4 ;;
        boot)
            boots=$((boots + 1))
            [ $boots = 1 ] && stat -c %s "$LOG" > "$work/boot.off"
            echo "$boots" >&4 ;;
        since-boot)
            if wait_for 10 sh -c "tail -c +\$((\$(cat $work/boot.off) + 1)) $LOG | grep -qE \"$a${b:+ $b}\""
            then echo yes; else echo no; fi >&4 ;;
        kill-qemu) echo "kill-qemu" > "$work/kill"; return ;;
        *) echo "unknown" >&4 ;;
        esac
    done < "$work/ctl.out"
}
serve_start() { serve & SRV=$!; }
serve_stop() { kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null; SRV=; }

started=$SECONDS
for mode in first again reboot reconnect; do initrd $mode; done
start_daemon || { fail "vgpiochip --vhost-user listens on its socket"; exit 1; }
pass "vgpiochip --vhost-user listens on its socket (this machine has no CUSE)"
boot first
serve_start
guest_done
console first
check "the guest scenario ran to its end" grep -q "# end of guest.sh" "$work/console-first.log"
check "QEMU connected to the daemon" grep -q "front end connected" "$LOG"
kill_qemu
serve_stop
check "QEMU killed with line 0 held: host line 17 goes to its release state (low)" \
    wait_for 10 sim_is 17 0
check "the daemon saw the front end go" grep -q "front end disconnected" "$LOG"
check "the daemon is still running" kill -0 "$(daemon_pid)"
before=$(connections)
boot again
wait_for 600 sh -c "! kill -0 $QPID"
QPID=
console again
check "a new QEMU is accepted after the old one was killed" test "$(connections)" -gt "$before"
check "the second guest ran to its end" grep -q "VGC-VM-EXIT=0" "$work/console-again.log"
# idle with no front end: no wake-ups at all (context switches of all its threads)
switches() { cat /proc/"$(daemon_pid)"/task/*/status | awk '/ctxt_switches/ { n += $2 } END { print n }'; }
idle_before=$(switches)
sleep 1	# a fixed window to count wake-ups in, not a wait for something
check "the idle daemon does not wake up (context switches over 1 s: $idle_before -> $(switches))" \
    test "$(switches)" = "$idle_before"

# A guest reboot (QEMU without -no-reboot): QEMU stops the rings (GET_VRING_BASE),
# the daemon lets go of every line; the rebooted guest's driver sets the device up anew.
BOOT_OPTS='' boot reboot
serve_start
guest_done
console reboot
check "the rebooting guest ran to its end (two boots)" \
    test "$(grep -c '# end of guest.sh' "$work/console-reboot.log")" = 2
kill_qemu
serve_stop

# Daemon restarts with QEMU 7.2 and reconnect=1 (whole seconds; 9.2 and later
# call it reconnect-ms): QEMU started first waits for the back end.
check "the daemon stops on SIGTERM" stop_daemon TERM
check "its exit status is 0" test "$(cat "$work/daemon.rc")" = 0
before=$(connections)
# (tests/deps.sh installs it; a newer qemu-system-x86 there would not reconnect)
check "the machine's qemu-system-x86_64 is 7.x ($qemu72_version), the one tested to reconnect" \
    test "${qemu72_version%%.*}" = 7
SOCK_OPTS=,reconnect=1 boot reconnect "${qemu72[@]}"
# its main thread sleeps between connect attempts (clock_nanosleep, 230 on x86_64)
check "QEMU $qemu72_version started before the daemon waits for it" \
    wait_for 60 sh -c "kill -0 $QPID && [ \"\$(cut -d' ' -f1 /proc/$QPID/syscall)\" = 230 ]"
start_daemon
serve_start
guest_done
console reconnect
check "the guest that lived through two daemon restarts ran to its end" \
    grep -q "# end of guest.sh" "$work/console-reconnect.log"
check "QEMU connected three times (at start, after the SIGKILL, after the SIGTERM)" \
    test "$(($(connections) - before))" = 3
kill_qemu
serve_stop
check "the daemon stops on SIGTERM" stop_daemon TERM
check "its exit status is 0" test "$(cat "$work/daemon.rc")" = 0
echo "# daemon log:"; sed 's/^/#   /' "$LOG"
echo "# vhost stage took $((SECONDS - started)) s"
echo "# end of vhost.sh: $passed passed, $failed failed"
[ "$failed" = 0 ]
