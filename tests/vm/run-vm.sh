#!/bin/bash
# Runs one script as the payload of a test VM and exits with its exit code.
#
#   run-vm.sh [--kernel custom|stock|arm64] [--timeout SECS] [--log FILE]
#             [--add HOSTPATH[:VMPATH]]... [--qemu BIN] [--qemu-arg ARG]...
#             SCRIPT [ARGS...]
#
# --qemu: another qemu-system-x86_64 for custom and stock (tests/bench runs
#   the VM front end's part under QEMU 10, tests/vhost/fetch-qemu.sh);
# --qemu-arg: one more argument for QEMU (devices, memory backends).
# custom: x86_64, the minimal kernel from build-kernel.sh (CUSE, gpio-sim built in).
# stock: x86_64, Debian's own kernel (CUSE as a module; bookworm's has no gpio-sim).
# arm64: qemu-system-aarch64 -M virt on Debian's arm64 kernel, with an arm64
#   userland laid out as the x86 one (tests/vm-arm64/: the same /init,
#   /opt/gpiod1, /opt/gpiod2, util-linux and strace at the same paths); the
#   --add programs must be arm64 builds (tests/vm-arm64/build.sh).
# The guest's console goes to stdout and to the log file. Needs no stdin.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/common.sh"

kernel=custom
timeout=
log=
adds=()
qemu_bin=qemu-system-x86_64
qemu_args=()
while [ $# -gt 0 ]; do
    case $1 in
        --kernel) kernel=$2; shift 2 ;;
        --qemu) qemu_bin=$2; shift 2 ;;
        --qemu-arg) qemu_args+=("$2"); shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        --add) adds+=(--add "$2"); shift 2 ;;
        --) shift; break ;;
        -*) vgc_die "run-vm: unknown option $1" ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || vgc_die "usage: run-vm.sh [--kernel custom|stock|arm64] [--timeout SECS] [--log FILE] [--add HOSTPATH[:VMPATH]]... [--qemu BIN] [--qemu-arg ARG]... SCRIPT [ARGS...]"
script=$1
shift
[ -f "$script" ] || vgc_die "no such script: $script"
name=$(basename "$script")
log=${log:-$VGC_CACHE/logs/${name%.*}-$kernel.log}
mkdir -p "$(dirname "$log")"

work=$(mktemp -d "${TMPDIR:-/tmp}/vgc-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The payload keeps its name (messages, $0) and is made executable: scripts
# in git are not always.
cp "$script" "$work/$name"
chmod +x "$work/$name"
quote() { printf "'%s' " "${1//\'/\'\\\'\'}"; }
{
    echo '#!/bin/sh'
    printf 'exec /vgc/%s ' "$(quote "$name")"
    for arg in "$@"; do quote "$arg"; done
    echo
} > "$work/run"
chmod +x "$work/run"
printf 'export VGC_KERNEL=%s\n' "$kernel" > "$work/env"
payload=(--add "$work/$name:/vgc/$name" --add "$work/run:/vgc/run" --add "$work/env:/vgc/env")

# loglevel=5 keeps boot chatter out but shows warnings and oopses; panic=-1
# turns a kernel panic into a reboot, which -no-reboot turns into an exit.
append="panic=-1 loglevel=${VGC_VM_LOGLEVEL:-5} ${VGC_VM_APPEND:-}"
case $kernel in
    custom|stock)
        timeout=${timeout:-${VGC_VM_TIMEOUT:-600}}
        modules=()
        if [ "$kernel" = custom ]; then
            "$VGC_VM_DIR/fetch-debs.sh" --no-stock
            image=$("$VGC_VM_DIR/build-kernel.sh")
        else
            stock=$("$VGC_VM_DIR/fetch-debs.sh")
            image=$stock/vmlinuz
            modules=(--modules "$stock/modules")
        fi
        "$VGC_VM_DIR/mkinitramfs.sh" "${modules[@]}" "${adds[@]}" "${payload[@]}" \
            "$work/initramfs.cpio.gz"
        # Under TCG the TSC cannot be calibrated: time by the emulated HPET instead.
        qemu=("$qemu_bin" -accel tcg -m 1G)
        append="console=ttyS0 clocksource=hpet $append"
        ;;
    arm64)
        # TCG emulation of aarch64 on 2 shared cores is slow: allow more time.
        timeout=${timeout:-${VGC_VM_TIMEOUT:-1500}}
        arm=$VGC_VM_DIR/../vm-arm64
        { read -r kdir; read -r root; } < <("$arm/fetch-debs.sh")
        [ -n "$root" ] || vgc_die "fetch-debs.sh failed"
        "$arm/mkinitramfs.sh" "$root" "$kdir/modules" "${adds[@]}" "${payload[@]}" \
            "$work/initramfs.cpio.gz"
        image=$kdir/vmlinuz
        qemu=(qemu-system-aarch64 -M virt -cpu cortex-a72 -accel tcg -m 1G)
        append="console=ttyAMA0 $append"
        ;;
    *) vgc_die "--kernel must be custom, stock or arm64" ;;
esac

vgc_log "booting the $kernel kernel ($image), timeout ${timeout}s, log $log"
started=$SECONDS
# --foreground: Ctrl-C at a terminal still reaches qemu. Its status goes to
# a file so that a timeout is not a pipeline failure. sed drops the serial
# line's carriage returns, unbuffered so the console streams.
{
    qemu_status=0
    timeout --foreground -k 10 "$timeout" \
        "${qemu[@]}" -smp "${VGC_VM_SMP:-2}" -nodefaults -no-user-config \
        -display none -monitor none -serial stdio -no-reboot \
        "${qemu_args[@]}" \
        -kernel "$image" -initrd "$work/initramfs.cpio.gz" -append "$append" < /dev/null ||
        qemu_status=$?
    echo "$qemu_status" > "$work/qemu.status"
} | sed -u 's/\r$//' | tee "$log"
qemu_status=$(cat "$work/qemu.status")

rc=$(grep -aoE 'VGC-VM-EXIT=[0-9]+' "$log" | tail -n 1 | cut -d= -f2) || rc=
if [ -n "$rc" ]; then
    vgc_log "payload $name exited with $rc after $((SECONDS - started)) s on the $kernel kernel"
    exit "$rc"
fi
if [ "$qemu_status" = 124 ] || [ "$qemu_status" = 137 ]; then
    vgc_log "VM timed out after ${timeout}s (console log: $log)"
else
    vgc_log "VM did not finish: no VGC-VM-EXIT line, qemu exit $qemu_status (console log: $log)"
fi
exit 1
