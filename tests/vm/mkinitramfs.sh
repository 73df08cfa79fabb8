#!/bin/bash
# Assembles the test VM's gzip'd cpio initramfs from host binaries (each with
# the shared libraries ldd finds for it), busybox, the cached libgpiod tools
# and whatever the caller adds.
#
#   mkinitramfs.sh [--modules DIR] [--add HOSTPATH[:VMPATH]]... OUT.cpio.gz
#
# --modules DIR: *.ko plus load.list, loaded in that order by /init.
# --add: a file or directory. Without VMPATH an executable file goes to
#   /usr/local/bin/NAME and anything else to /vgc/NAME.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/common.sh"

# util-linux's versions: busybox's lack options the tests use (unshare
# --map-root-user --pid --fork, setpriv --reuid/--inh-caps, nsenter -t -a).
# jq: the policy scenario checks `status --json` against docs/status.schema.json.
host_bins=(/usr/bin/unshare /usr/bin/nsenter /usr/bin/setpriv /usr/bin/strace /bin/bash
           /usr/bin/jq)

modules=
adds=()
while [ $# -gt 1 ]; do
    case $1 in
        --modules) modules=$2; shift 2 ;;
        --add) adds+=("$2"); shift 2 ;;
        *) vgc_die "mkinitramfs: unknown option $1" ;;
    esac
done
[ $# = 1 ] || vgc_die "usage: mkinitramfs.sh [--modules DIR] [--add HOSTPATH[:VMPATH]]... OUT"
out=$1

stage=$(mktemp -d "${TMPDIR:-/tmp}/vgc-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

is_elf() { [ "$(head -c 4 "$1" 2> /dev/null)" = $'\x7fELF' ]; }

# Copies every shared library $1 needs to the same path in the image. $2, if
# set, is a directory searched first and whose own libraries are skipped (the
# libgpiod trees are copied whole).
add_libs() {
    local elf=$1 own=${2:-} lib listing
    # ldd fails on static binaries; that is fine, they need nothing.
    listing=$(LD_LIBRARY_PATH=$own ldd "$elf" 2> /dev/null) || return 0
    if grep -q 'not found' <<< "$listing"; then
        vgc_die "$elf: missing libraries: $(grep 'not found' <<< "$listing" | tr -s '\t\n' '  ')"
    fi
    while read -r lib; do
        [ -n "$own" ] && [ "${lib#"$own"/}" != "$lib" ] && continue
        [ -e "$stage$lib" ] && continue
        mkdir -p "$stage$(dirname "$lib")"
        cp -L "$lib" "$stage$lib"
    done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<< "$listing")
}

# Copies $1 (file or tree) to $2 in the image, with the libraries of any ELF in it.
add_path() {
    local src=$1 dst=$2 f
    [ -e "$src" ] || vgc_die "no such file to add: $src"
    mkdir -p "$stage$(dirname "$dst")"
    cp -a -L -T "$src" "$stage$dst"
    while IFS= read -r -d '' f; do
        if is_elf "$f"; then add_libs "$f"; fi
    done < <(find "$src" -type f -print0)
}

# Merged /usr as on the host, so library paths from ldd work either way.
mkdir -p "$stage"/usr/{bin,sbin,lib,lib64} "$stage"/{proc,sys,dev,tmp,run,root,etc,vgc,opt}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$stage/$d"; done

cp /usr/bin/busybox "$stage/usr/bin/busybox"
while read -r applet; do
    [ -e "$stage/$applet" ] || ln -s /usr/bin/busybox "$stage/$applet"
done < <(busybox --list-full)
# Host binaries replace the busybox applets of the same path.
for bin in "${host_bins[@]}"; do
    rm -f "$stage$bin"
    add_path "$bin" "$bin"
done
# glibc dlopens libgcc_s for pthread_cancel/unwinding (libfuse's worker threads);
# ldd cannot see that.
libgcc=$(/sbin/ldconfig -p | awk '!found && $1 == "libgcc_s.so.1" && /x86-64/ { print $NF; found = 1 }')
[ -n "$libgcc" ] || vgc_die "libgcc_s.so.1 not found on the host"
mkdir -p "$stage$(dirname "$libgcc")"
cp -L "$libgcc" "$stage$libgcc"

# The two libgpiod generations, each binary with the library of its version:
# their sonames differ (libgpiod.so.2 for 1.6, .so.3 for 2.x), so a link per
# soname in the default library directory resolves each to its own /opt tree.
for n in 1 2; do
    tree=$VGC_CACHE/gpiod$n
    [ -d "$tree/bin" ] || vgc_die "$tree missing: run tests/vm/fetch-debs.sh"
    cp -a "$tree" "$stage/opt/gpiod$n"
    rm -f "$stage/opt/gpiod$n/.stamp"
    for lib in "$tree"/lib/libgpiod.so.?; do
        ln -s "/opt/gpiod$n/lib/$(basename "$lib")" "$stage/usr/lib/x86_64-linux-gnu/$(basename "$lib")"
    done
    for bin in "$tree"/bin/*; do add_libs "$bin" "$tree/lib"; done
done

if [ -n "$modules" ]; then
    mkdir -p "$stage/lib/modules/vgc"
    cp "$modules"/*.ko "$modules/load.list" "$stage/lib/modules/vgc/"
fi

for spec in "${adds[@]}"; do
    src=${spec%%:*}
    if [ "$src" != "$spec" ]; then
        dst=${spec#*:}
    elif [ -f "$src" ] && [ -x "$src" ]; then
        dst=/usr/local/bin/$(basename "$src")
    else
        dst=/vgc/$(basename "$src")
    fi
    add_path "$src" "$dst"
done

cp "$VGC_VM_DIR/init" "$stage/init"
cp "$VGC_VM_DIR/guest-mkdev" "$stage/usr/bin/vgc-mkdev"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$stage/etc/group"
ln -s /proc/self/mounts "$stage/etc/mtab"
chmod 1777 "$stage/tmp"
# The kernel opens /dev/console before /init runs; without the node (mknod
# needs root) /init still reopens it once devtmpfs is mounted.
if [ "$(id -u)" = 0 ]; then
    mknod -m 600 "$stage/dev/console" c 5 1
    mknod -m 666 "$stage/dev/null" c 1 3
fi

(cd "$stage" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
