#!/bin/sh
# Runs inside the LXD test VM (Debian bookworm, systemd, stock kernel) from
# the payload disk mounted at /vgc: vgpiochip on simulated lines, given to
# a real LXD container with contrib/lxd/vgpiochip-lxd and to a podman
# container through its CDI spec, driven by unchanged libgpiod 1.6.3 and 2.x
# tools inside; then again after restarting the container and vgpiochip.
# contrib/lxd/README.md's walkthrough runs as written, command by command.
# Third-party client libraries (python3-libgpiod, python3-periphery, onoff,
# a sysfs script) against the kernel's gpio-sim chip and through vgpiochip,
# with the same verdicts: tests/lxd/clients.sh.
#
# Two boots: the first half ends with exit 100, on which the guest reboots
# (tests/lxd/guest/vgc-payload); the second half finds its state in $STATE,
# checks that the containers got their chip back with no manual step, then
# does the same with Incus.
# shellcheck disable=SC3043
. /vgc/scenario-lib.sh
# a service has no HOME; the lxc client keeps its config there
export SYSTEMD_COLORS=0 HOME=/root

NAME=t1
CT=ct1
LXD_IMAGE=vgc-busybox
ROOTFS=/root/ct/rootfs
STATE=/var/lib/vgc-test
# the walkthrough's own tenant, device number and container (README step 3)
WNAME=vpi1
WCT=web

say() { echo "# $*"; }
# ensure NAME CMD...: check, and fails the caller's step too
ensure() {
    name=$1; shift
    if "$@"; then pass "$name"; else fail "$name"; return 1; fi
}
secs() { date +%s; }
t0=$(secs)

phase=1
if [ -f $STATE/phase1 ]; then
    phase=2
    . $STATE/phase1
    say "second boot: $passed passed, $failed failed before the reboot"
fi

# ---- the walkthrough's commands, from contrib/lxd/README.md ----
# Its code lines from "From a fresh Pi" on, continuation lines joined.
awk '/^## From a fresh Pi/ { on = 1; next } /^## / { on = 0 }
    on && /^       +[^ ]/ { sub(/^ +/, ""); line = line $0
        if (line ~ /\\$/) { sub(/\\$/, "", line); next }
        print line; line = "" }' /vgc/lxd-README.md > /tmp/walk.cmds
# walk TEXT: the one walkthrough command containing TEXT
walk() {
    n=$(grep -cF -- "$1" /tmp/walk.cmds)
    if [ "$n" != 1 ]; then
        fail "README walkthrough has exactly one command with '$1' (found $n)"
        echo false
        return 1
    fi
    grep -F -- "$1" /tmp/walk.cmds
}

if [ $phase = 1 ]; then
modprobe cuse 2> /dev/null || true
[ -e /dev/cuse ] || { echo "no /dev/cuse: the kernel has no CUSE module"; finish; exit 1; }

# A free character major: the device number must stay the same across
# vgpiochip restarts (LXD and the view hold on to it). Minor 1: the
# walkthrough's tenant has 300:0, as README step 3 says.
MAJOR=$(awk '/^Character/ { c = 1; next } /^Block/ { c = 0 } c { used[$1] = 1 }
    END { for (m = 300; m < 384; m++) if (!(m in used)) { print m; exit } }' /proc/devices)
fi
DEV=$MAJOR:1
say "device number $DEV"

# ---- vgpiochip, as the project's systemd unit reading /etc/vgpiochip/NAME.conf ----
# write_conf [EXTRA]: the tenant's file, with EXTRA appended
write_conf() {
    printf '[chip]\nsim = 32\ndev = %s\n\n[line 4]\nhost = 17\nname = LED\n\n[line 5]\nhost = 27\nname = BTN\n%s\n' \
        "$DEV" "$1" > /etc/vgpiochip/$NAME.conf
}
# Type=notify: start returns once the daemon said READY=1, the device made
start_vgc() {
    systemctl start vgpiochip@$NAME && test -c /dev/vgpiochip-$NAME
}
stop_vgc() {
    systemctl stop vgpiochip@$NAME
    wait_for 30 test ! -e /dev/vgpiochip-$NAME
}
cdi_ready() {
    systemctl is-active -q vgpiochip-cdi@$1 && test -s /etc/cdi/vgpiochip-$1.json
}
units_up() {
    systemctl is-active -q vgpiochip@$NAME && test -c /dev/vgpiochip-$NAME
}
if [ $phase = 1 ]; then
# the package of make deb, on the clean Debian root (offline: every
# dependency is in the image)
deb_install() {
    cp /vgc/pkg/vgpiochip_*.deb /root/ &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q /root/vgpiochip_*.deb
}
check "apt install ./vgpiochip_*.deb" deb_install
check "the package's vgpiochip and units are the ones in use" \
    sh -c "[ \"\$(command -v vgpiochip)\" = /usr/bin/vgpiochip ] &&
        systemctl cat vgpiochip@$NAME | grep -q '^ExecStart=/usr/bin/vgpiochip '"
mkdir -p /etc/vgpiochip
write_conf ""
check "systemctl enable --now vgpiochip@$NAME (Type=notify) with dev = $DEV" \
    systemctl enable --now vgpiochip@$NAME
check "the device is there once it returns" test -c /dev/vgpiochip-$NAME
systemctl is-active -q vgpiochip@$NAME ||
    journalctl -u vgpiochip@$NAME --no-pager | tail -n 30 | sed 's/^/# /'
check "vgpiochip status answers from the hardened unit" \
    sh -c "vgpiochip status $NAME | grep -q 'tenant $NAME:'"
check "its node has the fixed number" \
    sh -c "[ \"\$(stat -c '%t:%T' /dev/vgpiochip-$NAME)\" = \"$(printf '%x:%x' "$MAJOR" 1)\" ]"
check "vgpiochip-cdi@$NAME ran with it: /etc/cdi/vgpiochip-$NAME.json" wait_for 30 cdi_ready $NAME
systemctl is-active -q vgpiochip-cdi@$NAME ||
    journalctl -u vgpiochip-cdi@$NAME --no-pager | tail -n 20 | sed 's/^/# /'
check "the spec names the device" grep -q "/dev/vgpiochip-$NAME" /etc/cdi/vgpiochip-$NAME.json
check "the sysfs view is on disk, in /var/lib/vgpiochip/view/$NAME" \
    test -f /var/lib/vgpiochip/view/$NAME/char/$DEV/dev
fi

# ---- the container's root filesystem: busybox, glibc, both libgpiod tool sets ----
build_rootfs() {
    local tmp=/root/ct/debs
    rm -rf /root/ct && mkdir -p "$ROOTFS" "$tmp"
    cd "$ROOTFS" || return 1
    mkdir -p bin sbin etc dev proc sys tmp root run lib/x86_64-linux-gnu lib64 opt/gpiod1/bin opt/gpiod2/bin
    cp /bin/busybox bin/
    for a in $(bin/busybox --list); do [ -e "bin/$a" ] || ln -s busybox "bin/$a"; done
    cp -L /lib64/ld-linux-x86-64.so.2 lib64/
    cp -L /lib/x86_64-linux-gnu/libc.so.6 lib/x86_64-linux-gnu/
    for deb in /vgc/debs/*.deb; do dpkg-deb -x "$deb" "$tmp/$(basename "$deb" .deb)"; done
    cp -a "$tmp"/libgpiod*/usr/lib/x86_64-linux-gnu/libgpiod.so.* lib/x86_64-linux-gnu/
    cp -a "$tmp"/gpiod_1.*/usr/bin/. opt/gpiod1/bin/
    cp -a "$tmp"/gpiod_2.*/usr/bin/. opt/gpiod2/bin/
    # what 'apt-get install gpiod' gives a Debian 12 container, on its PATH
    mkdir -p usr/bin
    for t in opt/gpiod1/bin/*; do ln -s "/$t" "usr/bin/${t##*/}"; done
    printf 'root:x:0:0:root:/root:/bin/sh\n' > etc/passwd
    printf 'root:x:0:\n' > etc/group
    # PID 1: sleeps, and stops on what LXD (SIGPWR) or podman (SIGTERM) send.
    printf '#!/bin/sh\ntrap "exit 0" 30 15 2\nwhile :; do sleep 1000 & wait $!; done\n' > sbin/init
    chmod 755 sbin/init
    rm -rf "$tmp"
    cd /root || return 1
}
[ $phase = 2 ] ||
    check "container root filesystem built from busybox-static and the gpiod .debs" build_rootfs

# ---- the scenarios, through in_ct (set per container manager) ----
host_is() { [ "$(vgpiochip sim $NAME get "$1")" = "$2" ]; }
line_shows() {
    in_ct "$G/gpioinfo" $CHIP 2> /dev/null | grep -E "line +$1:" | grep -q -- "$2"
}
kill_in_ct() { in_ct busybox killall "$1" > /dev/null 2>&1; return 0; }

scenarios() {
    local tag="$1" V G CHIP out
    check "$tag: the container has the node" wait_for 60 in_ct test -c /dev/gpiochip0
    for V in 1 2; do
        G=/opt/gpiod$V/bin
        if [ $V = 1 ]; then CHIP=gpiochip0; else CHIP="-c gpiochip0"; fi
        out=$(in_ct "$G/gpiodetect" 2>&1)
        echo "$out"
        check "$tag v$V: gpiodetect lists the chip" \
            sh -c "echo '$out' | grep -q 'gpiochip0 \[$NAME\] (6 lines)'"

        in_ct "$G/gpioinfo" $CHIP > /tmp/info 2>&1
        cat /tmp/info
        check "$tag v$V: gpioinfo names line 4 LED" sh -c "grep -E 'line +4:' /tmp/info | grep -q LED"
        check "$tag v$V: gpioinfo names line 5 BTN" sh -c "grep -E 'line +5:' /tmp/info | grep -q BTN"
        check "$tag v$V: gpioinfo shows hole 0 as used" \
            sh -c "grep -E 'line +0:' /tmp/info | grep -q unavailable"

        for level in 1 0; do
            if [ $V = 1 ]; then
                in_ct "$G/gpioset" --mode=signal gpiochip0 4=$level > /dev/null 2>&1 &
            else
                in_ct "$G/gpioset" -c gpiochip0 4=$level > /dev/null 2>&1 &
            fi
            holder=$!
            check "$tag v$V: gpioset 4=$level drives host line 17 to $level" wait_for 30 host_is 17 $level
            kill_in_ct gpioset
            wait_for 30 gone $holder || kill $holder
        done

        for level in 1 0; do
            vgpiochip sim $NAME set 27 $level > /dev/null
            if [ $V = 1 ]; then out=$(in_ct "$G/gpioget" gpiochip0 5 2>&1)
            else out=$(in_ct "$G/gpioget" -c gpiochip0 --numeric 5 2>&1); fi
            check "$tag v$V: gpioget 5 reads host line 27 = $level (got '$out')" [ "$out" = $level ]
        done

        if [ $V = 1 ]; then
            in_ct "$G/gpiomon" --num-events=1 --rising-edge -F "%o %e" gpiochip0 5 > /tmp/mon 2>&1 &
        else
            in_ct "$G/gpiomon" -c gpiochip0 --num-events=1 -e rising -F "%o %e" 5 > /tmp/mon 2>&1 &
        fi
        mon=$!
        if wait_for 30 line_shows 5 gpiomon; then
            vgpiochip sim $NAME set 27 1 > /dev/null
            wait_for 30 gone $mon || { kill_in_ct gpiomon; kill $mon 2> /dev/null; }
            cat /tmp/mon
            check "$tag v$V: gpiomon sees the rising edge on offset 5" grep -q "^5 1" /tmp/mon
        else
            fail "$tag v$V: gpiomon requested line 5"
            kill_in_ct gpiomon
        fi
        vgpiochip sim $NAME set 27 0 > /dev/null
    done
}

# ---- LXD and Incus: the same image, the same storage set-up ----
# mgr_init lxc|incus: the daemon up, offline, with a dir pool
mgr_init() {
    if [ "$1" = lxc ]; then
        systemctl start --no-block lxd.socket lxd.service
        lxd waitready --timeout=300
    else
        systemctl start --no-block incus.socket incus.service
        incus admin waitready --timeout=300
    fi || {
        systemctl --no-pager status lxd.service incus.service
        journalctl --no-pager -b -n 60 -u lxd.service -u incus.service
        return 1
    }
    pre='storage_pools:
- name: default
  driver: dir
profiles:
- name: default
  devices:
    root:
      path: /
      pool: default
      type: disk'
    if [ "$1" = lxc ]; then echo "$pre" | lxd init --preseed
    else echo "$pre" | incus admin init --preseed; fi
}
image_tars() {
    mkdir -p /root/ct/meta
    printf 'architecture: x86_64\ncreation_date: %s\nproperties:\n  description: vgpiochip test busybox\n  os: busybox\n  release: local\n' \
        "$(secs)" > /root/ct/meta/metadata.yaml
    tar -C /root/ct/meta -czf /root/ct/meta.tar.gz metadata.yaml &&
        tar -C "$ROOTFS" --numeric-owner -czf /root/ct/rootfs.tar.gz .
}
# mgr_image CLI: the busybox image, also as the walkthrough's debian-12
mgr_image() {
    "$1" image import /root/ct/meta.tar.gz /root/ct/rootfs.tar.gz --alias $LXD_IMAGE --alias debian-12
}
lxd_image() { image_tars && mgr_image lxc; }
running() { [ "$($MGR list "$1" -c s --format csv)" = RUNNING ]; }

# mgr_suite TAG full|short: attach, the scenarios, container restart, reload,
# daemon restart, detach; with MGR (lxc or incus) and ATTACH (vgpiochip-lxd
# [--incus]). short: after the restarts only quick_checks, and no reload (the
# daemon's side, which the full run has proven).
mgr_suite() {
    local tag=$1 again=scenarios
    [ "$2" = full ] || again=quick_checks
    t=$(secs)
    check "$tag: container $CT created (unprivileged)" $MGR init $LXD_IMAGE $CT
    check "$tag: $ATTACH attach $CT $NAME" $ATTACH attach $CT $NAME --path /dev/gpiochip0
    $MGR config device show $CT
    ensure "$tag: container starts with the devices" $MGR start $CT || return
    check "$tag: container is running" wait_for 60 running $CT
    say "$tag up in $(($(secs) - t)) s"
    in_ct() { $MGR exec $CT -- "$@"; }
    check "$tag: the container is unprivileged" \
        sh -c "$MGR exec $CT -- cat /proc/self/uid_map | grep -qv '^ *0 *0 '"
    scenarios "$tag"

    check "$tag: container restarts" $MGR restart --force $CT
    check "$tag: container is running again" wait_for 60 running $CT
    IN_CT="$MGR exec $CT --"
    $again "$tag after container restart"

    [ "$2" = full ] && {
    write_conf "
[line 6]
host = 22
name = RELAY"
    check "$tag: systemctl reload vgpiochip@$NAME re-reads the file" systemctl reload vgpiochip@$NAME
    check "$tag: gpioinfo in the container shows the added line" \
        sh -c "$MGR exec $CT -- /opt/gpiod2/bin/gpioinfo -c gpiochip0 | grep -q RELAY"
    write_conf ""
    printf '[line 9]\nhost = 99\n' >> /etc/vgpiochip/$NAME.conf
    check "$tag: a reload with a mistake fails" sh -c "! systemctl reload vgpiochip@$NAME"
    check "$tag: ... and says where in the journal" \
        sh -c "journalctl -u vgpiochip@$NAME | grep -q 'reload refused, nothing changed: /etc/vgpiochip/$NAME.conf'"
    write_conf ""
    }
    check "$tag: vgpiochip stops" stop_vgc
    check "$tag: the stop was clean (no SIGKILL)" \
        sh -c "journalctl -u vgpiochip@$NAME | grep -q 'stopping: lines go to their release states'"
    check "$tag: vgpiochip starts again" start_vgc
    $again "$tag after vgpiochip restart"

    check "$tag: vgpiochip-lxd detach removes the devices" $ATTACH detach $CT $NAME
    check "$tag: the node is gone from the container" \
        wait_for 30 sh -c "! $MGR exec $CT -- test -e /dev/gpiochip0"
}

# quick_checks TAG: the chip in the container (in_ct, and IN_CT for sh -c),
# gpiodetect, gpioinfo, and a gpioset seen on the host line
quick_checks() {
    local tag=$1 out
    check "$tag: the container has the node" wait_for 60 in_ct test -c /dev/gpiochip0
    out=$(in_ct /opt/gpiod2/bin/gpiodetect 2>&1)
    echo "$out"
    check "$tag: gpiodetect lists the chip" \
        sh -c "echo '$out' | grep -q 'gpiochip0 \[$NAME\] (6 lines)'"
    check "$tag: gpioinfo names line 4 LED" \
        sh -c "$IN_CT /opt/gpiod2/bin/gpioinfo -c gpiochip0 | grep -E 'line +4:' | grep -q LED"
    in_ct /opt/gpiod2/bin/gpioset -c gpiochip0 4=1 > /dev/null 2>&1 &
    holder=$!
    on=0
    wait_for 30 host_is 17 1 && on=1
    check "$tag: gpioset 4=1 drives host line 17 to 1" [ $on = 1 ]
    kill_in_ct gpioset
    wait_for 30 gone $holder || kill $holder
}
# started_before A B: unit A was up before unit B began to start (this boot)
started_before() {
    a=$(systemctl show -P ActiveEnterTimestampMonotonic "$1")
    b=$(systemctl show -P InactiveExitTimestampMonotonic "$2")
    echo "# $1 up at $a us, $2 started at $b us"
    [ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$a" -le "$b" ]
}

# ---- contrib/lxd/README.md "From a fresh Pi", steps 3 to 5, as written ----
wsim_is() { [ "$(vgpiochip sim $WNAME get "$1")" = "$2" ]; }
walkthrough_gpioset() {
    cmd=$(walk "gpioset --mode=signal")
    say "$cmd"
    eval "$cmd" > /dev/null 2>&1 &
    holder=$!
    on=0
    wait_for 30 wsim_is 17 1 && on=1
    check "$1: the LED (host line 17) is on while gpioset runs" [ $on = 1 ]
    check "$1: ... and gpioset is still running then" kill -0 $holder
    lxc exec $WCT -- busybox killall gpioset > /dev/null 2>&1
    wait_for 30 gone $holder || kill $holder
    off=0
    [ $on = 1 ] && wait_for 30 wsim_is 17 0 && off=1
    check "$1: the LED goes off once gpioset is stopped (release = low)" [ $off = 1 ]
}
walkthrough() {
    local c out
    for c in "modprobe cuse" "mkdir -p /etc/vgpiochip"; do
        c=$(walk "$c")
        check "README: $c" eval "$c"
    done
    # "Without a Pi": simulated lines in place of the host's chip
    c=$(walk "printf '[chip]" | sed 's/chip = gpiochip0/sim = 32/')
    check "README step 3: the printf (with sim = 32)" eval "$c"
    c=$(walk "systemctl enable --now vgpiochip@$WNAME")
    check "README step 3: $c" eval "$c"
    for c in "$MGR launch debian-12 $WCT" "vgpiochip-lxd attach $WCT $WNAME"; do
        c=$(walk "$c")
        check "README step 4: $c" eval "$c"
    done
    check "README step 4: the container is running" wait_for 60 running $WCT
    c=$(walk "-- gpiodetect")
    out=$(eval "$c" 2>&1)
    echo "$out"
    check "README step 5: gpiodetect says '${c#*# }'" sh -c "echo '$out' | grep -qF '${c#*# }'"
    c=$(walk "-- gpioinfo gpiochip0")
    eval "$c" > /tmp/winfo 2>&1
    cat /tmp/winfo
    check "README step 5: gpioinfo names 17 LED" sh -c "grep -E 'line +17:' /tmp/winfo | grep -q LED"
    check "README step 5: gpioinfo names 27 BTN" sh -c "grep -E 'line +27:' /tmp/winfo | grep -q BTN"
    check "README step 5: gpioinfo shows 0 unavailable" \
        sh -c "grep -E 'line +0:' /tmp/winfo | grep -q unavailable"
    walkthrough_gpioset "README step 5"
    check "README step 5 (why --mode=signal): a plain 1.6 gpioset sets the LED, exits, and release = low puts it off" \
        sh -c "lxc exec $WCT -- gpioset gpiochip0 17=1 && [ \"\$(vgpiochip sim $WNAME get 17)\" = 0 ]"
    vgpiochip sim $WNAME set 27 1 > /dev/null
    c=$(walk "-- gpioget gpiochip0 27")
    out=$(eval "$c" 2>&1)
    check "README step 5: $c reads the button (host line 27 = 1, got '$out')" [ "$out" = 1 ]
}

if [ $phase = 1 ]; then
# ---- LXD ----
MGR=lxc ATTACH=vgpiochip-lxd
ensure "LXD initialised offline (dir pool, no network)" mgr_init lxc &&
    check "busybox image imported (also as debian-12)" lxd_image &&
    mgr_suite lxd full
# kept for the reboot: attached again, started at boot by boot.autostart
lxc stop --force $CT > /dev/null 2>&1
check "lxd: vgpiochip-lxd attach again, for the reboot" vgpiochip-lxd attach $CT $NAME
check "lxd: boot.autostart=true" lxc config set $CT boot.autostart true
check "lxd: the container starts" lxc start $CT
walkthrough

# ---- podman with --rootfs and the CDI spec in /etc/cdi ----
podman_conf() {
    # no D-Bus in this minimal system: cgroupfs and a file for events
    mkdir -p /etc/containers
    printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
        > /etc/containers/containers.conf
}
podman_running() { [ "$(podman inspect -f '{{.State.Running}}' p1 2> /dev/null)" = true ]; }
podman_conf
cat /etc/cdi/vgpiochip-$NAME.json
t=$(secs)
check "podman runs the rootfs with --device vgpiochip.dev/gpio=$NAME --restart=always" \
    podman run -d --name p1 --restart=always --network none --device vgpiochip.dev/gpio=$NAME \
    --rootfs "$ROOTFS" /sbin/init
check "podman container is running" wait_for 60 podman_running
say "podman up in $(($(secs) - t)) s"
in_ct() { podman exec p1 "$@"; }
scenarios "podman"

check "podman container restarts" podman restart -t 2 p1
check "podman container is running again" wait_for 60 podman_running
scenarios "podman after container restart"

check "vgpiochip stops" stop_vgc
check "vgpiochip starts again" start_vgc
check "vgpiochip-cdi@$NAME ran again" wait_for 30 cdi_ready $NAME
scenarios "podman after vgpiochip restart"

# ---- third-party client libraries: the kernel's chip, then vgpiochip ----
. /vgc/clients.sh
clients_suite

# ---- the reboot ----
mkdir -p $STATE
printf 'passed=%s\nfailed=%s\nMAJOR=%s\n' "$passed" "$failed" "$MAJOR" > $STATE/phase1
say "first boot took $(($(secs) - t0)) s; rebooting"
exit 100
fi

# ---- second boot ----
MGR=lxc
check "after reboot: vgpiochip@$NAME is up" wait_for 120 units_up
check "after reboot: vgpiochip-cdi@$NAME ran" wait_for 60 cdi_ready $NAME
check "after reboot: vgpiochip@$NAME was ready before lxd-containers.service started" \
    started_before vgpiochip@$NAME lxd-containers.service
check "after reboot: vgpiochip-cdi@$NAME was done before podman-restart.service started" \
    started_before vgpiochip-cdi@$NAME podman-restart.service
check "after reboot: the LXD container (boot.autostart) is running" wait_for 180 running $CT
in_ct() { lxc exec $CT -- "$@"; }
IN_CT="lxc exec $CT --"
quick_checks "lxd after reboot"
check "after reboot: the walkthrough's container $WCT is running" wait_for 120 running $WCT
walkthrough_gpioset "README after reboot"
podman_running() { [ "$(podman inspect -f '{{.State.Running}}' p1 2> /dev/null)" = true ]; }
check "after reboot: podman-restart.service brought p1 back" wait_for 120 podman_running
in_ct() { podman exec p1 "$@"; }
IN_CT="podman exec p1"
quick_checks "podman after reboot"
lxc stop --force $CT $WCT > /dev/null 2>&1
podman rm -f p1 > /dev/null 2>&1

# ---- Incus (bookworm-backports), beside LXD ----
MGR=incus ATTACH="vgpiochip-lxd --incus"
CT=ci1
ensure "Incus initialised offline (dir pool, no network)" mgr_init incus &&
    check "busybox image imported into Incus" mgr_image incus &&
    mgr_suite incus short

# ---- apt purge vgpiochip leaves nothing behind ----
dpkg -L vgpiochip | while read -r f; do [ -d "$f" ] || echo "$f"; done > /tmp/pkg-files
# pkg_left: what of the package, its units' doing or the admin's enabling is left
pkg_left() {
    while read -r f; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done < /tmp/pkg-files
    find /etc/systemd /lib/systemd /usr/lib/systemd /etc/cdi /run/cdi /dev \
        -name 'vgpiochip*' 2> /dev/null
    ls -d /var/lib/vgpiochip /run/vgpiochip 2> /dev/null
    pgrep -a -x vgpiochip
}
pkg_left > /tmp/left-before
check "before the purge, the package, the units and the specs are there" \
    grep -q "/etc/cdi/vgpiochip-$NAME.json" /tmp/left-before
check "apt purge vgpiochip" \
    sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q vgpiochip > /tmp/purge.log 2>&1"
sed 's/^/# /' /tmp/purge.log | tail -n 8
pkg_left > /tmp/left
sed 's/^/# left: /' /tmp/left
check "after the purge: no file, enabled unit, CDI spec, view, node or daemon is left" \
    [ ! -s /tmp/left ]

say "scenario took $(($(secs) - t0)) s (second boot)"
finish
