#!/bin/sh
# Runs inside the LXD test VM (Debian bookworm, systemd, stock kernel) from
# the payload disk mounted at /vgc: vgpiochip on simulated lines, given to
# a real LXD container with contrib/lxd/vgpiochip-lxd and to a podman
# container through its CDI spec, driven by unchanged libgpiod 1.6.3 and 2.x
# tools inside; then again after restarting the container and vgpiochip.
# shellcheck disable=SC3043
. /vgc/scenario-lib.sh
# a service has no HOME; the lxc client keeps its config there
export PATH="/vgc/bin:$PATH" SYSTEMD_COLORS=0 HOME=/root

NAME=vpi1
CT=ct1
LXD_IMAGE=vgc-busybox
ROOTFS=/root/ct/rootfs

say() { echo "# $*"; }
# ensure NAME CMD...: check, and fails the caller's step too
ensure() {
    name=$1; shift
    if "$@"; then pass "$name"; else fail "$name"; return 1; fi
}
secs() { date +%s; }
t0=$(secs)

modprobe cuse 2> /dev/null || true
[ -e /dev/cuse ] || { echo "no /dev/cuse: the kernel has no CUSE module"; finish; exit 1; }

# A free character major: the device number must stay the same across
# vgpiochip restarts (LXD and the view hold on to it).
MAJOR=$(awk '/^Character/ { c = 1; next } /^Block/ { c = 0 } c { used[$1] = 1 }
    END { for (m = 300; m < 384; m++) if (!(m in used)) { print m; exit } }' /proc/devices)
DEV=$MAJOR:0
say "device number $DEV"

# ---- vgpiochip, as the project's systemd unit reading /etc/vgpiochip/NAME.conf ----
install -D -m 0755 /vgc/bin/vgpiochip /usr/local/bin/vgpiochip
install -D -m 0644 /vgc/vgpiochip@.service /etc/systemd/system/vgpiochip@.service
mkdir -p /etc/vgpiochip
# write_conf [EXTRA]: the tenant's file, with EXTRA appended
write_conf() {
    printf '[chip]\nsim = 32\ndev = %s\n\n[line 4]\nhost = 17\nname = LED\n\n[line 5]\nhost = 27\nname = BTN\n%s\n' \
        "$DEV" "$1" > /etc/vgpiochip/$NAME.conf
}
write_conf ""
systemctl daemon-reload
# Type=notify: start returns once the daemon said READY=1, the device made
start_vgc() {
    systemctl start vgpiochip@$NAME && test -c /dev/vgpiochip-$NAME
}
stop_vgc() {
    systemctl stop vgpiochip@$NAME
    wait_for 30 test ! -e /dev/vgpiochip-$NAME
}
check "the vgpiochip@$NAME unit starts (Type=notify) with dev = $DEV" start_vgc
check "it is active" sh -c "systemctl is-active vgpiochip@$NAME | grep -qx active"
systemctl is-active -q vgpiochip@$NAME ||
    journalctl -u vgpiochip@$NAME --no-pager | tail -n 30 | sed 's/^/# /'
check "vgpiochip status answers from the hardened unit" \
    sh -c "vgpiochip status $NAME | grep -q 'tenant $NAME:'"
check "its node has the fixed number" \
    sh -c "[ \"\$(stat -c '%t:%T' /dev/vgpiochip-$NAME)\" = \"$(printf '%x:%x' "$MAJOR" 0)\" ]"

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
    printf 'root:x:0:0:root:/root:/bin/sh\n' > etc/passwd
    printf 'root:x:0:\n' > etc/group
    # PID 1: sleeps, and stops on what LXD (SIGPWR) or podman (SIGTERM) send.
    printf '#!/bin/sh\ntrap "exit 0" 30 15 2\nwhile :; do sleep 1000 & wait $!; done\n' > sbin/init
    chmod 755 sbin/init
    rm -rf "$tmp"
    cd /root || return 1
}
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

# ---- LXD ----
lxd_init() {
    systemctl start --no-block lxd.socket lxd.service
    if ! lxd waitready --timeout=300; then
        systemctl --no-pager status lxd.service lxd.socket
        systemctl --no-pager list-jobs
        journalctl --no-pager -b -n 60 -u lxd.service
        return 1
    fi
    lxd init --preseed << 'EOF'
storage_pools:
- name: default
  driver: dir
profiles:
- name: default
  devices:
    root:
      path: /
      pool: default
      type: disk
EOF
}
lxd_image() {
    mkdir -p /root/ct/meta
    printf 'architecture: x86_64\ncreation_date: %s\nproperties:\n  description: vgpiochip test busybox\n  os: busybox\n  release: local\n' \
        "$(secs)" > /root/ct/meta/metadata.yaml
    tar -C /root/ct/meta -czf /root/ct/meta.tar.gz metadata.yaml &&
        tar -C "$ROOTFS" --numeric-owner -czf /root/ct/rootfs.tar.gz . &&
        lxc image import /root/ct/meta.tar.gz /root/ct/rootfs.tar.gz --alias $LXD_IMAGE
}
lxd_running() { [ "$(lxc list $CT -c s --format csv)" = RUNNING ]; }

lxd_suite() {
t=$(secs)
ensure "LXD initialised offline (dir pool, no network)" lxd_init || return
check "busybox image imported" lxd_image
check "container $CT created (unprivileged)" lxc init $LXD_IMAGE $CT
check "vgpiochip-lxd attach $CT $NAME" vgpiochip-lxd attach $CT $NAME --path /dev/gpiochip0
lxc config device show $CT
ensure "container starts with the devices" lxc start $CT || return
check "container is running" wait_for 60 lxd_running
say "LXD up in $(($(secs) - t)) s"
in_ct() { lxc exec $CT -- "$@"; }
check "the container is unprivileged" sh -c "lxc exec $CT -- cat /proc/self/uid_map | grep -qv '^ *0 *0 '"
scenarios "lxd"

check "container restarts" lxc restart --force $CT
check "container is running again" wait_for 60 lxd_running
scenarios "lxd after container restart"

write_conf "
[line 6]
host = 22
name = RELAY"
check "systemctl reload vgpiochip@$NAME re-reads the file" systemctl reload vgpiochip@$NAME
check "gpioinfo in the LXD container shows the added line" \
    sh -c "lxc exec $CT -- /opt/gpiod2/bin/gpioinfo -c gpiochip0 | grep -q RELAY"
write_conf ""
printf '[line 9]\nhost = 99\n' >> /etc/vgpiochip/$NAME.conf
check "a reload with a mistake fails" sh -c "! systemctl reload vgpiochip@$NAME"
check "... and says where in the journal" \
    sh -c "journalctl -u vgpiochip@$NAME | grep -q 'reload refused, nothing changed: /etc/vgpiochip/$NAME.conf'"
write_conf ""
check "vgpiochip stops" stop_vgc
check "the stop was clean (no SIGKILL)" \
    sh -c "journalctl -u vgpiochip@$NAME | grep -q 'stopping: lines go to their release states'"
check "vgpiochip starts again" start_vgc
scenarios "lxd after vgpiochip restart"

check "vgpiochip-lxd detach removes the devices" vgpiochip-lxd detach $CT $NAME
check "the node is gone from the container" wait_for 30 sh -c "! lxc exec $CT -- test -e /dev/gpiochip0"
lxc stop --force $CT
}
lxd_suite

# ---- podman with --rootfs and the CDI spec ----
podman_conf() {
    # no D-Bus in this minimal system: cgroupfs and a file for events
    mkdir -p /etc/containers
    printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
        > /etc/containers/containers.conf
}
podman_running() { [ "$(podman inspect -f '{{.State.Running}}' p1 2> /dev/null)" = true ]; }
podman_conf
check "vgpiochip cdi writes the spec" vgpiochip cdi $NAME
cat /var/run/cdi/vgpiochip-$NAME.json
t=$(secs)
check "podman runs the rootfs with --device vgpiochip.dev/gpio=$NAME" \
    podman run -d --name p1 --network none --device vgpiochip.dev/gpio=$NAME \
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
scenarios "podman after vgpiochip restart"
podman rm -f p1 > /dev/null 2>&1

say "scenario took $(($(secs) - t0)) s"
finish
