#!/bin/sh
# A GPIO script the way Raspberry Pi tutorials write them (sysfs: export,
# direction, value, edge), run unchanged against the kernel's own
# /sys/class/gpio and against vgpiochip's in a container: only the pin
# number differs. One line per step, "COMMAND: ok", "COMMAND: OUTPUT" or
# "COMMAND: ERROR" (the shell's message after its last ': '), so two runs
# can be compared line by line.
#   sysfs-tutorial.sh PIN blink      export, drive it high
#   sysfs-tutorial.sh PIN button     input, both edges, wait for one, unexport
#   sysfs-tutorial.sh PIN mistakes   what the kernel refuses, and with which errno
PIN=$1
cd /sys/class/gpio || exit 1

try() {
    if out=$(sh -c "$1" 2>&1); then echo "$1: ${out:-ok}"; else echo "$1: ${out##*: }"; fi
}

case $2 in
blink)
    try "echo $PIN > export"
    try "echo out > gpio$PIN/direction"
    try "echo 1 > gpio$PIN/value"
    try "cat gpio$PIN/direction"
    try "cat gpio$PIN/value"
    ;;
button)
    try "echo in > gpio$PIN/direction"
    try "echo both > gpio$PIN/edge"
    try "cat gpio$PIN/edge"
    # the wait for a button press: poll() on value, as the kernel documents
    vgc-sysfs-poll "gpio$PIN/value" 20000
    try "echo $PIN > unexport"
    try "ls gpio$PIN"
    ;;
mistakes)
    try "echo $PIN > export"
    try "echo $PIN > export"
    try "echo in > gpio$PIN/direction"
    try "echo 1 > gpio$PIN/value"
    try "echo sideways > gpio$PIN/edge"
    try "echo up > gpio$PIN/direction"
    try "echo high > gpio$PIN/direction"
    try "cat gpio$PIN/value"
    try "echo rising > gpio$PIN/edge"
    try "echo 1 > gpio$PIN/active_low"
    try "cat gpio$PIN/value"
    try "echo 0 > gpio$PIN/active_low"
    try "echo in > gpio$PIN/direction"
    try "echo rising > gpio$PIN/edge"
    try "cat gpio$PIN/edge"
    try "echo none > gpio$PIN/edge"
    try "cat export"
    try "echo $PIN > unexport"
    try "echo $PIN > unexport"
    try "echo 99999 > export"
    try "echo gpio$PIN > export"
    try "echo > export"
    ;;
*)
    echo "usage: sysfs-tutorial.sh PIN blink|button|mistakes" >&2
    exit 2
    ;;
esac
