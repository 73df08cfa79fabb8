#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs each libFuzzer harness for SECONDS on its corpus and prints, per
# harness, an ok/not ok line with executions, speed, coverage and crashes,
# then its end line (tests/tally.sh).
# A harness that found a crash, a leak or a timeout has failed; what it found
# is in tests/fuzz/crashes/, to replay with: BUILD/fuzz-NAME FILE
#
# usage: tests/fuzz/run.sh BUILD SECONDS NAME...
set -u
# shellcheck source=tests/tally.sh
. "$(dirname "$0")/../tally.sh"

build=$1 seconds=$2
shift 2
here=tests/fuzz
crashes=$here/crashes

mkdir -p "$crashes"
for name in "$@"; do
	bin=$build/fuzz-$name
	work=$build/corpus-$name	# new inputs go here, never into the tree
	log=$build/fuzz-$name.log
	args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10
	      -rss_limit_mb=2048 -max_len=8192 -artifact_prefix="$crashes/$name-")
	[ -f "$here/$name.dict" ] && args+=(-dict="$here/$name.dict")
	dirs=("$work")
	[ -d "$here/corpus-$name" ] && dirs+=("$here/corpus-$name")
	mkdir -p "$work"

	before=$(ls "$crashes" | grep -c "^$name-" || true)
	"$bin" "${args[@]}" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	after=$(ls "$crashes" | grep -c "^$name-" || true)

	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | grep -o '[0-9]*')
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n1 | grep -o '[0-9]*')
	corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n1 | grep -o '[0-9]*')
	found=$((after - before))
	# a run that stopped on anything but its time limit found something
	if [ "$rc" -ne 0 ] && [ "$found" -eq 0 ]; then
		found=1
	fi
	verdict=ok
	[ "$found" -eq 0 ] || verdict="not ok"
	printf '%s - fuzz-%s: %s executions (%s/s), coverage %s edges, %s features, corpus %s, %d crashes\n' \
		"$verdict" "$name" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$found"
	if [ "$found" -ne 0 ]; then
		tally_fail=$((tally_fail + 1))
		grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|broken rule' \
			"$log" | sed 's/^/  /'
		grep -m1 'Test unit written to' "$log" | sed 's/^/  /'
		echo "  log: $log"
	else
		tally_pass=$((tally_pass + 1))
	fi
done
tally_end fuzz
