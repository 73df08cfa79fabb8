#!/bin/bash
# Runs one script as the payload of the arm64 test VM (qemu-system-aarch64
# -M virt, TCG) on Debian's arm64 kernel and exits with the script's code.
#
#   run-vm.sh [--timeout SECS] [--log FILE] [--add HOSTPATH:VMPATH]... SCRIPT [ARGS...]
#
# The guest is the x86 harness's (same /init, /opt/gpiod1, /opt/gpiod2,
# util-linux and strace at the same paths) built from arm64 packages; the
# --add files must be arm64 builds (see build.sh).
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/../vm/common.sh"
here=$(cd "$(dirname "$0")" && pwd)

# TCG emulation of aarch64 on 2 shared cores is slow: allow more time.
timeout=${VGC_VM_TIMEOUT:-1500}
log=
adds=()
while [ $# -gt 0 ]; do
    case $1 in
        --timeout) timeout=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        --add) adds+=(--add "$2"); shift 2 ;;
        --) shift; break ;;
        -*) vgc_die "run-vm: unknown option $1" ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || vgc_die "usage: run-vm.sh [--timeout SECS] [--log FILE] [--add HOSTPATH:VMPATH]... SCRIPT [ARGS...]"
script=$1
shift
[ -f "$script" ] || vgc_die "no such script: $script"
name=$(basename "$script")
log=${log:-$VGC_CACHE/logs/${name%.*}-arm64.log}
mkdir -p "$(dirname "$log")"

{ read -r kdir; read -r root; } < <("$here/fetch-debs.sh")
[ -n "$root" ] || vgc_die "fetch-debs.sh failed"

work=$(mktemp -d "${TMPDIR:-/tmp}/vgc-vm-arm64.XXXXXX")
trap 'rm -rf "$work"' EXIT
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
printf 'export VGC_KERNEL=arm64\n' > "$work/env"

"$here/mkinitramfs.sh" "$root" "$kdir/modules" "${adds[@]}" \
    --add "$work/$name:/vgc/$name" --add "$work/run:/vgc/run" --add "$work/env:/vgc/env" \
    "$work/initramfs.cpio.gz"

append="console=ttyAMA0 panic=-1 loglevel=${VGC_VM_LOGLEVEL:-5} ${VGC_VM_APPEND:-}"
vgc_log "booting arm64 kernel ($kdir), timeout ${timeout}s, log $log"
started=$SECONDS
{
    qemu_status=0
    timeout --foreground -k 10 "$timeout" \
        qemu-system-aarch64 -M virt -cpu cortex-a72 -accel tcg -m 1G -smp "${VGC_VM_SMP:-2}" \
        -nodefaults -no-user-config -display none -monitor none -serial stdio -no-reboot \
        -kernel "$kdir/vmlinuz" -initrd "$work/initramfs.cpio.gz" -append "$append" < /dev/null ||
        qemu_status=$?
    echo "$qemu_status" > "$work/qemu.status"
} | sed -u 's/\r$//' | tee "$log"
qemu_status=$(cat "$work/qemu.status")

rc=$(grep -aoE 'VGC-VM-EXIT=[0-9]+' "$log" | tail -n 1 | cut -d= -f2) || rc=
if [ -n "$rc" ]; then
    vgc_log "payload $name exited with $rc after $((SECONDS - started)) s on the arm64 kernel"
    exit "$rc"
fi
if [ "$qemu_status" = 124 ] || [ "$qemu_status" = 137 ]; then
    vgc_log "VM timed out after ${timeout}s (console log: $log)"
else
    vgc_log "VM did not finish: no VGC-VM-EXIT line, qemu exit $qemu_status (console log: $log)"
fi
exit 1
