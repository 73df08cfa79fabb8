# Shared helpers for the VM scenario scripts (sourced; busybox sh compatible).
# shellcheck shell=sh
passed=0
# An initramfs unpacks / as its stage directory was: make sure the unprivileged
# container root can walk it.
chmod 755 / 2>/dev/null
failed=0

pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }

# check NAME CMD...: passes when CMD succeeds.
check() {
    name=$1; shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}

# wait_for SECONDS CMD...: retries CMD until it succeeds or the deadline passes.
# Waits for a condition; the short pause only keeps the loop from spinning.
wait_for() {
    limit=$1; shift
    end=$(( $(date +%s) + limit ))
    while ! "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -ge "$end" ] && return 1
        usleep 20000 2>/dev/null || sleep 0.02
    done
    return 0
}

# kill_comm NAME: SIGTERM every process called NAME (busybox has no pkill here)
kill_comm() {
    for p in /proc/[0-9]*; do
        [ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] && kill "${p#/proc/}" 2>/dev/null
    done
    return 0
}

# PARENT=PID child_of: the pids whose parent is PID (this busybox has no pgrep).
child_of() {
    for stat in /proc/[0-9]*/stat; do
        # shellcheck disable=SC2046
        set -- $(cat "$stat" 2>/dev/null)
        [ "$4" = "$PARENT" ] && echo "$1"
    done
}
has_child() { [ -n "$(PARENT=$1 child_of)" ]; }

# gone PID: true once PID has exited (for wait_for)
gone() { ! kill -0 "$1" 2>/dev/null; }

# expect NAME WANT CMD...: passes when CMD prints exactly WANT.
expect() {
    name=$1 want=$2; shift 2
    got=$("$@" 2>&1)
    if [ "$got" = "$want" ]; then pass "$name"; else fail "$name: got '$got', want '$want'"; fi
}

# expect_match NAME PATTERN CMD...: passes when CMD's output matches PATTERN (grep -E).
expect_match() {
    name=$1 pattern=$2; shift 2
    got=$("$@" 2>&1)
    if echo "$got" | grep -qE -- "$pattern"; then pass "$name"; else fail "$name: got '$got'"; fi
}

# finish: the script's end line, which the harness requires (tests/tally.sh);
# the harness counts the ok/not ok lines, not these numbers.
finish() {
    echo "# end of ${0##*/}: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# sim_chip DIR LINES: a live gpio-sim chip of LINES lines made through configfs
# as DIR; sets CHIP (its gpiochipN) and SYS (its sysfs directory with sim_gpioN/).
sim_chip() {
    cfs=/sys/kernel/config/gpio-sim
    [ -d $cfs ] || { echo "no gpio-sim in this kernel"; exit 1; }
    mkdir $cfs/$1 $cfs/$1/bank0
    echo "$2" > $cfs/$1/bank0/num_lines
    echo 1 > $cfs/$1/live
    CHIP=$(cat $cfs/$1/bank0/chip_name)
    SYS=/sys/devices/platform/$(cat $cfs/$1/dev_name)/$CHIP
}
