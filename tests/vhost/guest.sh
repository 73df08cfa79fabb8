#!/bin/sh
# The guest's half of tests/vhost/run.sh: a QEMU guest whose only GPIO chip
# is virtio-gpio, served by vgpiochip --vhost-user from the host. Unchanged
# libgpiod 1.6 and 2.x tools. What only the host can see (sim lines, the
# audit log) is asked over the second serial port, one line each way:
#   get H        the level of the host's sim line H (0 or 1)
#   wait H V     "ok" once host line H is V (10 s at most), else "timeout"
#   set H V      drive host line H (gpio-sim's pull); "ok"
#   audit RE     "yes" once the daemon's log matches RE (10 s at most)
#   last RE      "yes" if the log of the daemon stopped last matches RE
#   restart SIG  the host stops the daemon with SIG (KILL, TERM) and starts it
#                again; "ok" once QEMU is connected and the driver up again
#   boot         how many times this QEMU's guest has asked: 1, 2, ...
#   since-boot RE  "yes" once the daemon's log since the first "boot" matches RE
#   kill-qemu    the host kills QEMU (no answer)
# Mode "first" runs everything; mode "again" is the second boot, after QEMU
# was killed; "reboot" reboots the guest once; "reconnect" lives through two
# restarts of the daemon (QEMU 7.2: no interrupts).
# shellcheck source=tests/vm/scenario-lib.sh
. /opt/vgc/scenario-lib.sh
mode=${1:-first}
G2=/opt/gpiod2/bin
G1=/opt/gpiod1/bin

stty -F /dev/ttyS1 raw -echo
exec 3<>/dev/ttyS1
host() {
    echo "$*" >&3
    read -r answer <&3
    echo "$answer"
}

check "the guest sees one gpiochip with 4 lines (gpiodetect 2.x)" \
    sh -c "$G2/gpiodetect | grep -q '^gpiochip0 .*(4 lines)'"
if [ "$mode" = again ]; then
    check "after QEMU was killed, a new QEMU gets the lines' names again" \
        sh -c "$G2/gpioinfo -c gpiochip0 | grep -q '\"LED\"'"
    finish
    exit
fi
# drive NAME: gpioset 0=1 in the background drives host line 17 high (pid in SET)
drive() {
    $G2/gpioset -c gpiochip0 0=1 &
    SET=$!
    expect "$1" ok host wait 17 1
}
if [ "$mode" = reboot ] && [ "$(host boot)" = 1 ]; then
    drive "before the reboot, gpioset drives host line 17 high"
    echo "# the guest reboots (reboot -f) with line 0 held"
    finish
    exit
fi
if [ "$mode" = reboot ]; then
    expect "the daemon saw the guest's driver stop" yes host since-boot "the guest's driver stopped"
    expect "the reboot put host line 17 in its release state (low)" ok host wait 17 0
    check "the rebooted guest's gpioinfo names line 0 LED" \
        sh -c "$G2/gpioinfo -c gpiochip0 | grep -qE 'line +0:[[:space:]]+\"LED\"'"
    drive "after the reboot, gpioset drives host line 17 high"
    kill $SET; wait $SET
    expect "and its exit releases it (low)" ok host wait 17 0
    $G2/gpiomon -c gpiochip0 -e rising -n 1 1 > /tmp/mon 2>&1 &
    MON=$!
    check "gpiomon holds line 1 after the reboot" \
        wait_for 10 sh -c "$G2/gpioinfo -c gpiochip0 1 | grep -q gpiomon"
    expect "host line 27 rises" ok host set 27 1
    check "the rebooted guest's gpiomon sees the rising edge (interrupts set up again)" \
        wait_for 10 gone $MON
    expect "host line 27 low again" ok host set 27 0
    finish
    echo kill-qemu >&3
    read -r _ <&3
    exit
fi
if [ "$mode" = reconnect ]; then
    # a guest process that keeps its output across the restart: it toggles line 0
    $G2/gpioset -c gpiochip0 -t 200ms 0=1 &
    SET=$!
    expect "a toggling gpioset drives host line 17 high" ok host wait 17 1
    expect "and low" ok host wait 17 0
    expect "the daemon is killed (SIGKILL) and started again, and QEMU is back" ok host restart KILL
    expect "the new daemon takes line 0 again at the still-running gpioset's next value (high)" ok \
        host wait 17 1
    expect "and low" ok host wait 17 0
    kill $SET; wait $SET
    expect "its exit releases the line to its release state (low)" ok host wait 17 0
    expect "the new daemon logged that the guest's driver resumed" yes \
        host audit 'resumed after a back-end restart'
    check "after the reconnect the guest's gpioinfo still names line 0 LED" \
        sh -c "$G2/gpioinfo -c gpiochip0 | grep -qE 'line +0:[[:space:]]+\"LED\"'"
    drive "after the SIGKILL and reconnect, gpioset drives host line 17 high"
    expect "host line 27 high" ok host set 27 1
    expect "gpioget 1.6 reads line 1 as 1 through the new daemon" 1 $G1/gpioget gpiochip0 1
    expect "the daemon is stopped (SIGTERM) with line 0 held and started again" ok host restart TERM
    expect "the stopping daemon released line 0 (host 17) to its release state" yes \
        host last 'audit: event=release tenant=vmt .*lines=0 host=17'
    kill $SET; wait $SET
    drive "after the SIGTERM and reconnect, gpioset drives host line 17 high"
    kill $SET; wait $SET
    expect "and its exit releases it (low)" ok host wait 17 0
    expect "gpioget 2.x reads line 1 as 0 (the third daemon's simulated line 27)" 0 \
        $G2/gpioget --numeric -c gpiochip0 1
    finish
    echo kill-qemu >&3
    read -r _ <&3
    exit
fi
$G2/gpioinfo -c gpiochip0
check "gpioinfo 2.x names line 0 LED" sh -c "$G2/gpioinfo -c gpiochip0 | grep -qE 'line +0:[[:space:]]+\"LED\"'"
check "gpioinfo 2.x names line 1 BTN" sh -c "$G2/gpioinfo -c gpiochip0 | grep -qE 'line +1:[[:space:]]+\"BTN\"'"
check "gpioinfo 2.x shows the hole (line 2) without a name" \
    sh -c "$G2/gpioinfo -c gpiochip0 | grep -qE 'line +2:[[:space:]]+unnamed'"
check "gpioinfo 1.6 names line 3 RO" sh -c "$G1/gpioinfo gpiochip0 | grep -qE 'line +3:[[:space:]]+\"RO\"'"

echo "# gpioset drives the mapped host line; its exit releases it (release = low)"
$G2/gpioset -c gpiochip0 0=1 &
SET=$!
expect "gpioset 0=1 in the guest drives host line 17 high" ok host wait 17 1
kill $SET; wait $SET
expect "the guest's gpioset exits: host line 17 goes to its release state (low)" ok host wait 17 0
$G1/gpioset --mode=signal gpiochip0 0=1 &
SET=$!
expect "gpioset 1.6 drives host line 17 high too" ok host wait 17 1
kill $SET; wait $SET
expect "released again: low" ok host wait 17 0

echo "# the rules deny, with an error in the guest and an audit line on the host"
check "gpioset on the read-only line 3 fails in the guest" sh -c "! timeout 10 $G2/gpioset -c gpiochip0 3=1"
expect "the host's audit log names the denial (line 3, host 5, consumer vm)" yes \
    host audit 'audit: event=denied tenant=vmt .*consumer="vm" line=3 host=5'
expect "host line 5 was never driven" 0 host get 5
check "the hole (line 2) cannot be requested" sh -c "! timeout 10 $G2/gpioset -c gpiochip0 2=1"

echo "# inputs and interrupts"
expect "a host level shows in gpioget 1.6 (host 27 high)" ok host set 27 1
expect "gpioget 1.6 reads line 1 as 1" 1 $G1/gpioget gpiochip0 1
expect "host 27 low again" ok host set 27 0
expect "gpioget 2.x reads line 1 as 0" 0 $G2/gpioget --numeric -c gpiochip0 1
$G2/gpiomon -c gpiochip0 -e both -n 2 1 > /tmp/mon 2>&1 &
MON=$!
check "gpiomon holds line 1 with its interrupt" wait_for 10 sh -c "$G2/gpioinfo -c gpiochip0 1 | grep -q gpiomon"
expect "host line 27 rises" ok host set 27 1
check "gpiomon sees the rising edge on line 1" wait_for 10 grep -q rising /tmp/mon
expect "host line 27 falls" ok host set 27 0
check "gpiomon sees the falling edge and exits after 2 events" wait_for 10 gone $MON
check "the falling edge was reported" grep -q falling /tmp/mon
cat /tmp/mon

echo "# last: the host kills QEMU while line 0 is held high"
$G2/gpioset -c gpiochip0 0=1 &
expect "line 0 held high before QEMU is killed" ok host wait 17 1
finish
echo kill-qemu >&3
# the host ends this VM now; nothing else to do
read -r _ <&3
