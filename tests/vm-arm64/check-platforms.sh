#!/bin/bash
# The platform stage: the CUSE scenario with daemons and clients of each
# other ABI.
#   tests/vm-arm64/check-platforms.sh [i386|arm64|armhf|armhf-daemon]...   (default: all)
#
#   i386          x86_64 daemon, i386 libgpiod tools (compat tasks), x86 VM, stock kernel
#   arm64         arm64 daemon and tools, arm64 VM (Debian's arm64 kernel)
#   armhf         arm64 daemon, armhf tools (compat tasks), arm64 VM
#   armhf-daemon  armhf daemon and test programs, armhf tools, all compat tasks,
#                 arm64 VM: Raspberry Pi OS 32-bit on a 64-bit kernel
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
here=tests/vm-arm64
platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(i386 arm64 armhf armhf-daemon)

# The programs of build directory $1, as check-vm.sh adds them, into adds[];
# the daemon is $2 if given (the packaged one).
common_adds() {
    local b=$1 daemon=${2:-$1/vgpiochip}
    adds=(--add "$daemon:/usr/bin/vgpiochip" --add "$b/vgc-client:/usr/bin/vgc-client"
          --add "$b/vgc-ct:/usr/bin/vgc-ct" --add "$b/attach-test:/usr/bin/attach-test"
          --add "$b/test-inject:/usr/bin/test-inject" --add "$b/vgc-probe:/usr/bin/vgc-probe"
          --add tests/vm/scenario-lib.sh:/opt/vgc/scenario-lib.sh)
}

# shellcheck source=tests/vm/common.sh
. tests/vm/common.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The shared libraries of sysroot $1 for architecture triplet $2, into
# directory $3 for the guest's /usr/lib/$2: only those, the -dev packages'
# .so links are absolute and dangle outside the guest.
guest_libs() {
    mkdir -p "$3"
    find "$1/lib/$2" "$1/usr/lib/$2" -maxdepth 1 -name '*.so.*' -exec cp -a -t "$3" {} +
}

# The Debian package for $1 (make deb DEB_HOST_ARCH=$1), unpacked with
# dpkg-deb -x into a directory it prints: the VM's root has no dpkg, so the
# scenario runs the package's /usr/bin/vgpiochip added to it.
deb_root() {
    local deb
    make --no-print-directory deb DEB_HOST_ARCH="$1" > "$tmp/deb-$1.log" 2>&1 ||
        { tail -n 20 "$tmp/deb-$1.log" >&2; echo "make deb DEB_HOST_ARCH=$1 failed" >&2; return 1; }
    deb=$(ls -t build-deb/vgpiochip_*_"$1".deb | head -n 1)
    dpkg-deb -x "$deb" "$tmp/deb-$1" || return 1
    echo "# the daemon: /usr/bin/vgpiochip of $deb" >&2
    echo "$tmp/deb-$1"
}

for p in "${platforms[@]}"; do
    case $p in
        i386)
            make --no-print-directory vm-bins > /dev/null || exit 1
            tar=$($here/fetch-compat.sh i386) || exit 1
            common_adds "${BUILD:-build}"
            name=scenario-compat.sh
            cmd=(tests/vm/run-vm.sh --kernel stock "${adds[@]}"
                 --add tests/vm/scenario-cuse.sh:/vgc/scenario-cuse.sh
                 --add "$tar:/vgc/compat.tar" tests/vm/scenario-compat.sh) ;;
        arm64)
            b=$($here/build.sh) || exit 1
            d=$(deb_root arm64) || exit 1
            common_adds "$b" "$d/usr/bin/vgpiochip"
            name=scenario-cuse.sh
            cmd=(tests/vm/run-vm.sh --kernel arm64 "${adds[@]}" tests/vm/scenario-cuse.sh) ;;
        armhf)
            b=$($here/build.sh) || exit 1
            tar=$($here/fetch-compat.sh armhf) || exit 1
            common_adds "$b"
            name=scenario-compat.sh
            cmd=(tests/vm/run-vm.sh --kernel arm64 "${adds[@]}"
                 --add tests/vm/scenario-cuse.sh:/vgc/scenario-cuse.sh
                 --add "$tar:/vgc/compat.tar" tests/vm/scenario-compat.sh) ;;
        armhf-daemon)
            b=$($here/build.sh armhf) || exit 1
            root=$($here/fetch-debs.sh armhf) || exit 1
            tar=$($here/fetch-compat.sh armhf) || exit 1
            guest_libs "$root" arm-linux-gnueabihf "$tmp/armhf-libs" || exit 1
            d=$(deb_root armhf) || exit 1
            common_adds "$b" "$d/usr/bin/vgpiochip"
            name=scenario-compat.sh
            cmd=(tests/vm/run-vm.sh --kernel arm64 "${adds[@]}"
                 --add "$tmp/armhf-libs:/usr/lib/arm-linux-gnueabihf"
                 --add tests/vm/scenario-cuse.sh:/vgc/scenario-cuse.sh
                 --add "$tar:/vgc/compat.tar" tests/vm/scenario-compat.sh 32) ;;
        *) echo "unknown platform $p" >&2; exit 2 ;;
    esac
    echo "=== $p"
    vgc_counted "$name" "${cmd[@]}"
done
tally_end check-platforms.sh
exit $vgc_rc
