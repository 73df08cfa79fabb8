#!/bin/bash
# Cross-builds the daemon and the VM test programs (make vm-bins) for arm64
# or armhf with Debian's gcc-aarch64-linux-gnu or gcc-arm-linux-gnueabihf
# into $BUILD (default build-ARCH), and prints that directory.
#
#   build.sh [arm64|armhf]
#
# No multiarch -dev packages are installed on the host: libfuse3-dev,
# libinih-dev and their libraries for ARCH are extracted by fetch-debs.sh
# (for arm64 into the guest's root tree), which is the sysroot here (headers
# by C_INCLUDE_PATH, libraries by exact soname: the packages' .so links are
# absolute and point into the guest, not the host). The C library is the
# cross compiler's own.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/../vm/common.sh"
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."

arch=${1:-arm64}
case $arch in
    arm64) triplet=aarch64-linux-gnu ;;
    armhf) triplet=arm-linux-gnueabihf ;;
    *) vgc_die "usage: build.sh [arm64|armhf]" ;;
esac
command -v "$triplet-gcc" > /dev/null || vgc_die "no $triplet-gcc (apt-get install gcc-$triplet)"
root=$("$here/fetch-debs.sh" "$arch" | tail -n 1)
build=${BUILD:-build-$arch}
lib="-L$root/lib/$triplet -L$root/usr/lib/$triplet"
C_INCLUDE_PATH=$root/usr/include make --no-print-directory -j"$(nproc)" \
    BUILD="$build" CC="$triplet-gcc" AR="$triplet-ar" \
    FUSE_CFLAGS="-I$root/usr/include/fuse3" \
    FUSE_LIBS="$lib -l:libfuse3.so.3" \
    INIH_LIBS="$lib -l:libinih.so.1" \
    SECCOMP_LIBS="$lib -l:libseccomp.so.2" \
    JSON_CFLAGS="-I$root/usr/include/json-c" \
    JSON_LIBS="$lib -l:libjson-c.so.5" \
    vm-bins >&2
echo "$build"
