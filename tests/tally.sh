# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# How every harness counts, in one place. A test program prints one line per
# check, "ok - WHAT" or "not ok - WHAT" (TAP; Check's TAP lines carry a number:
# "ok 12 - ..."), and closes with "# end of NAME: N passed, N failed". A
# harness counts those lines, never a program's own totals, and a run whose
# end line is missing (it stopped early, or hung) or that failed with no
# failing check counts as a failure of its own, printed as a "not ok" line
# so that the harness above counts it too.

tally_pass=0 tally_fail=0

# tally_count NAME FILE RC: the checks in FILE, the output of NAME, which exited
# with RC; a failure of the run itself is printed and added to FILE too.
tally_count() {
    local name=$1 file=$2 rc=$3 p f
    # grep -c says 0 and fails when nothing matches: not an error here (set -e callers)
    p=$(tr -d '\r' < "$file" | grep -acE '^ok( [0-9]+)? - ' || true)
    f=$(tr -d '\r' < "$file" | grep -acE '^not ok( [0-9]+)? - ' || true)
    if ! tr -d '\r' < "$file" | grep -aqF "# end of $name:"; then
        echo "not ok - $name stopped before its end (no '# end of $name' line)" | tee -a "$file"
        f=$((f + 1))
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok - $name exited with status $rc and no failing check" | tee -a "$file"
        f=$((f + 1))
    fi
    tally_pass=$((tally_pass + p))
    tally_fail=$((tally_fail + f))
}

# tally_run NAME CMD...: runs CMD with its output shown and counts it; returns its status.
tally_run() {
    local name=$1 out rc
    shift
    out=$(mktemp)
    "$@" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    tally_count "$name" "$out" "$rc"
    rm -f "$out"
    return "$rc"
}

# tally_end NAME: this harness's own end line, then the plain closing line.
tally_end() {
    echo "# end of $1: $tally_pass passed, $tally_fail failed"
    echo "$tally_pass passed, $tally_fail failed"
    [ "$tally_fail" -eq 0 ]
}
