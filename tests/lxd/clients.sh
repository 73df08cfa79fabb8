# Sourced by tests/lxd/scenario.sh (first boot): third-party client
# libraries in an unprivileged LXD container, each run first against the
# kernel's own gpio-sim chip (the reference) and then through vgpiochip,
# with the same verdicts line by line (tests/clients/*):
#   python3-libgpiod, python3-periphery  chardev, both runs in the container
#                                        (the kernel's chip as a unix-char
#                                        device, vgpiochip's by attach)
#   onoff, the sysfs tutorial script     /sys/class/gpio: the reference on the
#                                        VM itself (an unprivileged container
#                                        cannot write the kernel's sysfs),
#                                        vgpiochip's in the container (attach
#                                        --sysfs)
# The container is the busybox image with the VM's /usr mounted read-only
# over its /usr: the clients are the Debian packages (and npm's onoff) the
# image installed, the same files in both runs. Host-side actions (pulls,
# host levels, a second process holding a line) are done here when a client
# asks for them (ASK lines; tests/clients/verdict.py).
# shellcheck shell=sh disable=SC3043

CL=/vgc/clients
CL_SYNC=/vgc-sync
CL_CT=cl1
CL_ENV="PATH=$CL:/usr/bin:/bin NODE_PATH=/usr/local/lib/nodejs/node_modules PYTHONDONTWRITEBYTECODE=1"
CL_OUT=/tmp/clients

# cl_run ct|vm CMD...: CMD in the container or on the VM, with the clients' env
cl_run() {
    local where="$1"
    shift
    if [ "$where" = ct ]; then
        # shellcheck disable=SC2046 # the words of CL_ENV
        lxc exec $CL_CT $(for e in $CL_ENV; do printf -- '--env %s ' "$e"; done) -- "$@" < /dev/null
    else
        # shellcheck disable=SC2086
        env $CL_ENV "$@" < /dev/null
    fi
}

# cl_reset: every line of both chips pulled down, no answers left over
cl_reset() {
    for s in "$CL_REF_SYS" "$CL_HOST_SYS"; do
        for i in 0 1 2 3 4 5 6 7; do echo pull-down > "$s/sim_gpio$i/pull"; done
    done
    # emptied, not made anew: the container has this directory mounted
    find "$CL_SYNC" -mindepth 1 -delete
}

# cl_answer REQUEST LINE: what a client asked for (CL_WHERE, CL_SYS, CL_DEV set)
cl_answer() {
    case $1 in
    level) cat "$CL_SYS/sim_gpio$2/value" ;;
    pull-up | pull-down) echo "$1" > "$CL_SYS/sim_gpio$2/pull" && echo "done" ;;
    hold)
        rm -f "$CL_SYNC/release-$2" "$CL_OUT/hold.$2"
        cl_run "$CL_WHERE" python3 $CL/hold.py "$CL_DEV" "$2" "$CL_SYNC/release-$2" \
            > "$CL_OUT/hold.$2" 2>&1 &
        CL_HOLDER=$!
        wait_for 30 grep -q . "$CL_OUT/hold.$2"
        head -n 1 "$CL_OUT/hold.$2"
        ;;
    free)
        touch "$CL_SYNC/release-$2"
        wait_for 30 gone "$CL_HOLDER" && echo freed
        ;;
    request) cl_run "$CL_WHERE" python3 $CL/hold.py "$CL_DEV" "$2" 2>&1 | head -n 1 ;;
    *) echo "unknown request $1" ;;
    esac
}

# cl_client OUT ct|vm SYS DEV CMD...: runs a client, answering its questions
# until it exits (3 minutes at most); its transcript in OUT
cl_client() {
    local out="$1" n=0 total pid id req line
    CL_WHERE=$2 CL_SYS=$3 CL_DEV=$4
    shift 4
    cl_reset
    : > "$out"
    cl_run "$CL_WHERE" timeout 180 "$@" > "$out" 2>&1 &
    pid=$!
    while :; do
        total=$(grep -c '^ASK ' "$out")
        while [ "$n" -lt "$total" ]; do
            n=$((n + 1))
            # shellcheck disable=SC2046
            set -- $(grep '^ASK ' "$out" | sed -n "${n}p")
            id=$2 req=$3 line=$4
            cl_answer "$req" "$line" > "$CL_SYNC/.$id" 2>&1
            mv "$CL_SYNC/.$id" "$CL_SYNC/$id"
        done
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.02
    done
    wait "$pid"
}

# cl_compare LIB REF VGC: the verdicts (ASK lines left out), line by line
cl_compare() {
    local lib="$1" a b
    grep -v '^ASK ' "$2" > "$CL_OUT/ref.v"
    grep -v '^ASK ' "$3" > "$CL_OUT/vgc.v"
    sed "s/^/# $lib kernel: /" "$CL_OUT/ref.v"
    check "clients: $lib on the kernel's chip ran to its end" grep -qx "done" "$CL_OUT/ref.v"
    check "clients: $lib on the kernel's chip: every outcome the documented one" \
        sh -c "! grep -q UNEXPECTED $CL_OUT/ref.v"
    check "clients: $lib through vgpiochip ran to its end" grep -qx "done" "$CL_OUT/vgc.v"
    paste "$CL_OUT/ref.v" "$CL_OUT/vgc.v" > "$CL_OUT/pairs"
    while IFS="$(printf '\t')" read -r a b; do
        [ "$a" = "done" ] && [ "$b" = "done" ] && continue
        if [ "$a" = "$b" ]; then pass "clients: $lib: $a"
        else fail "clients: $lib: the kernel's chip '$a', vgpiochip '$b'"; fi
    done < "$CL_OUT/pairs"
}

# cl_tutorial OUT ct|vm SYS PIN: tests/vm/sysfs-tutorial.sh, the button part
# ended by a host pull away from the level it armed with. Its shell, cat and
# ls are busybox's (the same binary in both places, $CL/bb): dash says
# "I/O error" for every failed write, busybox sh names the errno.
cl_tutorial() {
    local out="$1" where="$2" sys="$3" pin="$4" bb="env PATH=$CL/bb:$CL:/usr/bin:/bin sh"
    cl_reset
    cl_run "$where" $bb $CL/sysfs-tutorial.sh "$pin" blink > "$out.blink" 2>&1
    cl_run "$where" $bb $CL/sysfs-tutorial.sh "$pin" button > "$out.button" 2>&1 &
    if wait_for 30 grep -q armed "$out.button"; then
        if grep -q "armed value=1" "$out.button"; then echo pull-down > "$sys/sim_gpio3/pull"
        else echo pull-up > "$sys/sim_gpio3/pull"; fi
    fi
    wait_for 30 grep -q "ls gpio$pin:" "$out.button"
    cl_run "$where" $bb $CL/sysfs-tutorial.sh "$pin" mistakes > "$out.mistakes" 2>&1
    cat "$out.blink" "$out.button" "$out.mistakes" > "$out"
    echo "done" >> "$out"
}

cl_pid() { lxc info $CL_CT | sed -n 's/^PID: *//p'; }

clients_suite() {
    local cfs=/sys/kernel/config/gpio-sim c kdev t
    t=$(secs)
    rm -rf $CL_OUT && mkdir -p $CL_OUT
    ensure "clients: gpio-sim loads (built for Debian's kernel from its linux-source-6.1)" \
        modprobe gpio-sim || return
    mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
    # the reference first: the highest sysfs base (6.1 hands them out
    # downwards from ARCH_NR_GPIOS), so that base + 8 belongs to no chip
    mkdir $cfs/clref $cfs/clref/bank0 $cfs/clref/bank0/line0 $cfs/clref/bank0/line1
    echo 8 > $cfs/clref/bank0/num_lines
    echo LED > $cfs/clref/bank0/line0/name
    echo BTN > $cfs/clref/bank0/line1/name
    ensure "clients: the reference gpio-sim chip (8 lines, 0 LED, 1 BTN) is live" \
        sh -c "echo 1 > $cfs/clref/live" || return
    mkdir $cfs/clhost $cfs/clhost/bank0
    echo 8 > $cfs/clhost/bank0/num_lines
    ensure "clients: the gpio-sim chip behind vgpiochip is live" \
        sh -c "echo 1 > $cfs/clhost/live" || return
    CL_REF_CHIP=$(cat $cfs/clref/bank0/chip_name)
    CL_REF_SYS=/sys/devices/platform/$(cat $cfs/clref/dev_name)/$CL_REF_CHIP
    CL_HOST_CHIP=$(cat $cfs/clhost/bank0/chip_name)
    CL_HOST_SYS=/sys/devices/platform/$(cat $cfs/clhost/dev_name)/$CL_HOST_CHIP
    kdev=$(cat $cfs/clref/dev_name)
    CL_BASE=
    for c in /sys/class/gpio/gpiochip*; do
        case $(basename "$(readlink "$c/device")") in
        "$kdev" | "$CL_REF_CHIP") CL_BASE=$(cat "$c/base") ;;
        esac
    done
    ensure "clients: the kernel numbers $CL_REF_CHIP in /sys/class/gpio (base $CL_BASE)" \
        test -n "$CL_BASE" || return
    check "clients: nothing is numbered base + 8 = $((CL_BASE + 8))" \
        sh -c "! ls -d /sys/class/gpio/gpiochip* | while read -r c; do
            b=\$(cat \$c/base) n=\$(cat \$c/ngpio)
            [ $((CL_BASE + 8)) -ge \$b ] && [ $((CL_BASE + 8)) -lt \$((b + n)) ] && echo \$c; done | grep -q ."

    # vgpiochip over the other chip, the same names, the same sysfs numbers
    vgpiochip --name cl --chip "$CL_HOST_CHIP" --map 0:0=LED,1:1=BTN,2-7:2-7 \
        --node /dev/gpiochip8 --dev "$MAJOR:2" --sysfs-base "$CL_BASE" \
        > $CL_OUT/daemon.out 2> $CL_OUT/daemon.err &
    CL_DPID=$!
    ensure "clients: vgpiochip --name cl over $CL_HOST_CHIP --sysfs-base $CL_BASE starts" \
        wait_for 30 grep -q " is gpiochip" $CL_OUT/daemon.out || {
        sed 's/^/# /' $CL_OUT/daemon.err; return; }

    mkdir -p $CL_SYNC
    check "clients: container $CL_CT created" lxc init $LXD_IMAGE $CL_CT
    lxc config device add $CL_CT usr disk source=/usr path=/usr readonly=true > /dev/null &&
        lxc config device add $CL_CT clients disk source=$CL path=$CL readonly=true > /dev/null &&
        lxc config device add $CL_CT sync disk source=$CL_SYNC path=$CL_SYNC readonly=true > /dev/null &&
        lxc config device add $CL_CT refchip unix-char source=/dev/$CL_REF_CHIP \
            path=/dev/$CL_REF_CHIP > /dev/null &&
        lxc config device add $CL_CT vgcnum unix-char source=/dev/vgpiochip-cl \
            path=/dev/vgpiochip-cl > /dev/null
    ensure "clients: $CL_CT has the VM's /usr, the clients, the kernel's chip" test $? = 0 || return
    ensure "clients: $CL_CT starts" lxc start $CL_CT || return
    check "clients: $CL_CT is running" wait_for 60 running $CL_CT
    check "clients: $CL_CT is unprivileged" \
        sh -c "lxc exec $CL_CT -- cat /proc/self/uid_map | grep -qv '^ *0 *0 '"
    ensure "clients: vgpiochip attach --sysfs gives $CL_CT /dev/gpiochip8 and /sys/class/gpio" \
        vgpiochip attach --name cl --pid "$(cl_pid)" --node /dev/gpiochip8 --sysfs || {
        sed 's/^/# /' $CL_OUT/daemon.err; return; }
    expect "clients: $CL_CT's /sys/class/gpio is vgpiochip's" "export gpiochip$CL_BASE unexport" \
        sh -c "lxc exec $CL_CT -- ls /sys/class/gpio | tr '\n' ' ' | sed 's/ \$//'"
    check "clients: python3 and node run in $CL_CT" \
        cl_run ct sh -c "python3 -c 'import gpiod, periphery' && node -e 'require(\"onoff\")'"
    say "clients set up in $(($(secs) - t)) s"

    for lib in gpiod periphery; do
        cl_client $CL_OUT/$lib.ref ct "$CL_REF_SYS" /dev/$CL_REF_CHIP \
            python3 $CL/$lib-client.py /dev/$CL_REF_CHIP $CL_SYNC
        cl_client $CL_OUT/$lib.vgc ct "$CL_HOST_SYS" /dev/gpiochip8 \
            python3 $CL/$lib-client.py /dev/gpiochip8 $CL_SYNC
        cl_compare "python3-$([ $lib = gpiod ] && echo libgpiod || echo periphery)" \
            $CL_OUT/$lib.ref $CL_OUT/$lib.vgc
    done
    cl_client $CL_OUT/onoff.ref vm "$CL_REF_SYS" /dev/$CL_REF_CHIP \
        node $CL/onoff-client.js "$CL_BASE" $CL_SYNC
    cl_client $CL_OUT/onoff.vgc ct "$CL_HOST_SYS" /dev/gpiochip8 \
        node $CL/onoff-client.js "$CL_BASE" $CL_SYNC
    cl_compare onoff $CL_OUT/onoff.ref $CL_OUT/onoff.vgc
    cl_tutorial $CL_OUT/tut.ref vm "$CL_REF_SYS" $((CL_BASE + 3))
    cl_tutorial $CL_OUT/tut.vgc ct "$CL_HOST_SYS" $((CL_BASE + 3))
    cl_compare "sysfs script" $CL_OUT/tut.ref $CL_OUT/tut.vgc
    check "clients: the sysfs script's transcript has every step" \
        test "$(grep -c . $CL_OUT/tut.vgc)" -ge 30

    lxc delete --force $CL_CT > /dev/null 2>&1
    kill -TERM "$CL_DPID" 2> /dev/null
    check "clients: vgpiochip cl stops" wait_for 30 gone "$CL_DPID"
    say "clients took $(($(secs) - t)) s"
}
