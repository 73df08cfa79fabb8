#!/bin/sh
# Per-line rules with a config file, in the VM, over a 32-line gpio-sim chip,
# with unchanged libgpiod 1.6.3 and 2.x tools in an unprivileged container:
# (1) output denied on an input-only line: gpioset fails, one audit line,
# also when a hole after it makes the request fail as a partial claim;
# (2) the toggle rate holds under a tight gpioset loop; (3) a released output
# goes to its release state on the host pin; (4) reload (control socket and
# SIGHUP) adds a line gpioinfo then shows, a bad reload changes nothing;
# (5) status shows the counters, status --json conforms to
# docs/status.schema.json and says the same; (6) SIGTERM with lines held: release
# states on the host, a blocked gpiomon returns, the next call is ENODEV.
# shellcheck disable=SC3043
. /opt/vgc/scenario-lib.sh

G1=/opt/gpiod1/bin
G2=/opt/gpiod2/bin
CONF=/tmp/vpi1.conf
ERR=/tmp/vpi1.err

modprobe cuse 2>/dev/null || true
[ -e /dev/cuse ] || { echo "no /dev/cuse in this kernel"; exit 1; }

sim_chip pol 32
sim_is() { [ "$(cat "$SYS/sim_gpio$1/value")" = "$2" ]; }

write_conf() {
    cat > $CONF <<EOF
[chip]
tenant = vpi1
chip = $CHIP

[line 3]
host = 16
name = BLINK
max-toggle-hz = 2

[line 4]
host = 17
name = LED
directions = output
release = low

[line 5]
host = 27
name = BUTTON
directions = input
read-only = yes

[line 6]
host = 22
name = RELAY
release = high
$1
EOF
}

write_conf ""
vgpiochip --config $CONF >/tmp/vpi1.out 2>$ERR &
DPID=$!
check "vgpiochip --config starts" wait_for 20 grep -q " is gpiochip" /tmp/vpi1.out
check "the chip has the configured lines 0-6" grep -q "with 7 lines" /tmp/vpi1.out

in_ct() { /usr/bin/nsenter -t "$CT" -U -m -p -- "$@"; }
# ct_shows V PATTERN [LINE]: the container's gpioinfo (libgpiod V) prints PATTERN
ct_shows() {
    if [ "$1" = 1 ]; then in_ct $G1/gpioinfo gpiochip0 | grep -q -- "$2"
    else in_ct $G2/gpioinfo -c gpiochip0 $3 | grep -q -- "$2"; fi
}
ct_get() { in_ct $G2/gpioget -c gpiochip0 --numeric "$1"; }
rm -f /tmp/ct.pid
vgc-ct /tmp/ct.pid /bin/sh -c 'while :; do sleep 1000; done' &
wait_for 10 test -s /tmp/ct.pid
CT=$(cat /tmp/ct.pid)
check "attached to a container" vgpiochip attach --name vpi1 --pid "$CT" --node /dev/gpiochip0

echo "# (1) output on the input-only line 5"
out=$(in_ct $G2/gpioset -c gpiochip0 -t0 5=1 2>&1); rc=$?
check "gpioset 2.x 5=1 fails" test "$rc" -ne 0
check "... with 'Operation not permitted' ($out)" sh -c "echo '$out' | grep -q 'not permitted'"
out=$(in_ct $G1/gpioset gpiochip0 5=1 2>&1); rc=$?
check "gpioset 1.6 5=1 fails with 'Operation not permitted'" \
    sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q 'not permitted'"
check "the host pin was never driven" sim_is 27 0
check "one audit line names tenant, line, rule and attempted value" \
    grep -qE 'audit: event=denied tenant=vpi1 pid=[0-9]+ consumer="gpioset" line=5 host=27 rule=(read-only|directions) attempted="output" allowed="input" errno=EPERM' $ERR
check "reading line 5 is allowed" test "$(ct_get 5)" = 0
check "a request is audited with its client" \
    grep -qE 'audit: event=request tenant=vpi1 pid=[0-9]+ consumer="gpioget" lines=5 host=27 direction=input outcome=ok' $ERR

echo "# (1b) a partial claim: the read-only line first, then the hole 0 (EBUSY)"
# the kernel claims lines in order, so line 5 would be driven before the hole fails
out=$(in_ct $G1/gpioset gpiochip0 5=1 0=1 2>&1); rc=$?
check "gpioset 1.6 5=1 0=1 fails ($out)" test "$rc" -ne 0
check "... and host pin 27 was not driven" sim_is 27 0
out=$(in_ct $G2/gpioset -c gpiochip0 -t0 5=1 0=1 2>&1); rc=$?
check "gpioset 2.x 5=1 0=1 fails ($out)" test "$rc" -ne 0
check "... and host pin 27 was not driven" sim_is 27 0
check "the refused partial claims are audited" \
    test "$(grep -cE 'audit: event=denied .* line=5 host=27 rule=(read-only|directions)' $ERR)" -ge 3

echo "# (1c) a consumer label with a newline, an escape sequence and a quote"
in_ct $G2/gpioget -c gpiochip0 -C "$(printf 'x\ny\033[7m"z')" 5 >/dev/null 2>&1
check "the audit line shows it printable, in one line" \
    grep -q 'consumer="x?y?\[7m?z" lines=5 host=27' $ERR
check "... and starts no line of its own" sh -c "! grep -q '^y' $ERR"

echo "# (2) toggle rate: line 3 allows 2 changes a second"
start=$(date +%s)
ok=0 refused=0 i=0
while [ $i -lt 30 ]; do
    # always the other level than the pin has: every run that passes is a toggle
    if in_ct $G1/gpioset gpiochip0 3=$((1 - $(cat "$SYS/sim_gpio16/value"))) 2>/dev/null; then ok=$((ok + 1)); else refused=$((refused + 1)); fi
    i=$((i + 1))
done
secs=$(( $(date +%s) - start + 1 ))
echo "# $ok of 30 gpioset runs passed in about $secs s, $refused refused"
check "the loop was held back ($refused refused)" test "$refused" -gt 0
check "at most 2 a second plus one second's burst passed ($ok in ${secs}s)" \
    test "$ok" -le $(( 2 * (secs + 1) ))
check "refusals are logged with the rule" grep -q 'rule=max-toggle-hz .*errno=EAGAIN' $ERR

echo "# (3) release states"
in_ct $G1/gpioset gpiochip0 6=0
check "line 6 (release = high) goes high on the host once released" wait_for 10 sim_is 22 1
check "and the tenant sees it free" sh -c "! $G2/gpioinfo -c /dev/vgpiochip-vpi1 6 | grep -q consumer"
check "the tenant can take it again" in_ct $G1/gpioset gpiochip0 6=0
in_ct $G1/gpioset gpiochip0 4=1
check "line 4 (release = low) is low once released" sim_is 17 0

echo "# (4) reload"
write_conf "
[line 7]
host = 23
name = ADDED"
check "vgpiochip reload says what it did" sh -c "vgpiochip reload vpi1 | grep -q 'reloaded $CONF: 5 lines'"
check "gpioinfo in the container shows the new line" ct_shows 2 '"ADDED"'
check "gpioinfo 1.6 too" ct_shows 1 '"ADDED"'
write_conf "
[line 7]
host = 23
name = ADDED

[line 8]
host = 24
name = BY-SIGHUP"
kill -HUP $DPID
check "SIGHUP reloads too" wait_for 10 ct_shows 2 BY-SIGHUP
printf '[line 9]\nhost = 25\ndirections = sideways\n' >> $CONF
out=$(vgpiochip reload vpi1 2>&1); rc=$?
check "a bad reload fails and names file and line ($out)" \
    sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q '$CONF:[0-9]*:.*directions'"
check "... and changed nothing" ct_shows 2 BY-SIGHUP
check "... and line 9 is not there" test "$(in_ct $G2/gpioinfo -c gpiochip0 | grep -c 'line ')" = 9

echo "# (5) status"
vgpiochip status vpi1 > /tmp/status
cat /tmp/status
check "status names the tenant and host chip" grep -q "tenant vpi1: .* over host chip $CHIP" /tmp/status
check "status counts the denial on line 5" grep -qE '^5 +27 +BUTTON +- +- +- +- +[0-9]+ +[1-9]' /tmp/status
check "status counts refused toggles on line 3" \
    grep -qE "^3 +16 +BLINK .* [0-9]+ +0 +$refused +[0-9]+ +[0-9]+" /tmp/status

echo "# (5b) status --json against docs/status.schema.json"
# schema_ok FILE: jq parsed FILE and tests/vm/schema-check.jq found nothing wrong
schema_ok() {
    errs=$(jq -r --slurpfile schema /opt/vgc/status.schema.json -f /opt/vgc/schema-check.jq "$1") ||
        return 1
    [ -z "$errs" ] || { echo "$errs" | sed 's/^/# /'; return 1; }
}
schema_bad() { ! schema_ok "$1" > /dev/null 2>&1; }
js() { jq -e "$1" /tmp/status.json > /dev/null; }
vgpiochip status vpi1 --json > /tmp/status.json; rc=$?
check "vgpiochip status vpi1 --json exits 0 (rc $rc)" test "$rc" = 0
check "its output conforms to the schema" schema_ok /tmp/status.json
jq 'del(.lines[0].rules.release)' /tmp/status.json > /tmp/bad1.json
check "... and the check fails when a field is missing" schema_bad /tmp/bad1.json
jq '.chip.lines = "7"' /tmp/status.json > /tmp/bad2.json
check "... or has the wrong type" schema_bad /tmp/bad2.json
printf '{"schema": "vgpiochip-status", ' > /tmp/bad3.json
check "... or is not JSON at all" schema_bad /tmp/bad3.json
check "json: tenant, chip and host chip" \
    js ".tenant == \"vpi1\" and .chip.lines == 9 and .backend.type == \"host\" and .backend.chip == \"$CHIP\""
check "json: line 5 is BUTTON on host 27, input-only and read-only, its denials counted" \
    js '.lines[] | select(.offset == 5) | .host == 27 and .name == "BUTTON" and .rules.directions == ["input"] and .rules.read_only and .counters.denials >= 1'
check "json: line 3's rate and its $refused refused toggles" \
    js ".lines[] | select(.offset == 3) | .rules.max_toggle_hz == 2 and .counters.toggles_refused == $refused"
check "json: line 4 releases low; line 6 is parked high by us" \
    js '(.lines[] | select(.offset == 4) | .rules.release == "low") and (.lines[] | select(.offset == 6) | .state == "released" and .value == 1 and .holder == null)'
check "json: the counters match the text status" \
    sh -c "grep -q \"denials \$(jq .counters.denials /tmp/status.json),\" /tmp/status"

echo "# (6) SIGTERM with lines held"
in_ct vgc-client hold /dev/gpiochip0 4 6 > /tmp/hold.out 2>&1 &
HOLD=$!
check "a client holds line 4 high and sits in a blocking read on line 6" \
    wait_for 10 grep -q held /tmp/hold.out
check "host pin 17 is high" sim_is 17 1
vgpiochip status vpi1 --json > /tmp/status.json
check "json: line 4 is held for output by the client (consumer holder), value 1" \
    js '.lines[] | select(.offset == 4) | .state == "held" and .holder.consumer == "holder" and .holder.direction == "output" and (.holder.flags | index(["output"])) != null and .value == 1 and .holder.pid > 0'
check "... and still conforms to the schema" schema_ok /tmp/status.json
in_ct $G2/gpiomon -c gpiochip0 5 > /tmp/mon.out 2>&1 &
MON=$!
check "gpiomon waits on line 5" wait_for 10 sh -c "$G2/gpioinfo -c $CHIP 27 | grep -q consumer"
kill -TERM $DPID
check "the daemon says it is stopping" wait_for 10 grep -q "stopping: lines go to their release states" $ERR
check "line 4 went to its release state (low) on the host" wait_for 10 sim_is 17 0
check "the blocked gpiomon returns" wait_for 10 gone $MON
check "the blocked read returns ENODEV" wait_for 10 grep -q "read: ENODEV" /tmp/hold.out
check "gpiomon says why (ENODEV: $(cat /tmp/mon.out))" grep -qi "no such device" /tmp/mon.out
for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = vgc-client ] && kill -USR1 "${p#/proc/}"
done
check "the holder's next call fails with ENODEV" wait_for 10 grep -q "get: ENODEV" /tmp/hold.out
check "so does a chip ioctl" grep -q "chipinfo: ENODEV" /tmp/hold.out
check "and a poll says HUP ERR" grep -q "poll: 1 HUP ERR" /tmp/hold.out
check "once the tenant closed everything the daemon exits" wait_for 15 gone $DPID
check "the device is gone" wait_for 5 sh -c "! test -e /dev/vgpiochip-vpi1"
check "host line 22 (parked high) is free again" sh -c "! $G2/gpioinfo -c $CHIP 22 | grep -q consumer"
wait $HOLD 2>/dev/null
kill "$CT" 2>/dev/null
[ "$failed" -eq 0 ] || { echo "# the daemon's log:"; sed 's/^/#   /' $ERR; }
finish
