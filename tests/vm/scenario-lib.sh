# Shared helpers for the VM scenario scripts (sourced; busybox sh compatible).
# shellcheck shell=sh
passed=0
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

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
