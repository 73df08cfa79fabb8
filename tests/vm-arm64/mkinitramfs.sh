#!/bin/bash
# Assembles the arm64 test VM's gzip'd cpio initramfs: Debian's arm64
# userland (fetch-debs.sh), the arm64 libgpiod tools as /opt/gpiod1 and
# /opt/gpiod2, the x86 harness's /init, and whatever the caller adds.
#
#   mkinitramfs.sh ROOT MODULES [--add HOSTPATH:VMPATH]... OUT.cpio.gz
#
# Nothing here runs a foreign binary: busybox makes its applet links at boot,
# and libraries are checked with readelf against the image itself.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/../vm/common.sh"
here=$(cd "$(dirname "$0")" && pwd)

[ $# -ge 3 ] || vgc_die "usage: mkinitramfs.sh ROOT MODULES [--add HOSTPATH:VMPATH]... OUT"
root=$1 modules=$2
shift 2
adds=()
while [ $# -gt 1 ]; do
    case $1 in
        --add) adds+=("$2"); shift 2 ;;
        *) vgc_die "mkinitramfs: unknown option $1" ;;
    esac
done
out=$1
tools=$("$here/fetch-compat.sh" arm64)

stage=$(mktemp -d "${TMPDIR:-/tmp}/vgc-initramfs-arm64.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# Merged /usr: the packages' /bin, /sbin and /lib go under /usr.
mkdir -p "$stage"/usr/{bin,sbin,lib} "$stage"/{proc,sys,dev,tmp,run,root,etc,vgc,opt}
for d in bin sbin lib; do ln -s "usr/$d" "$stage/$d"; done
# all the libraries, and of the programs those the tests call by path
cp -a "$root/lib/." "$root/usr/lib/." "$stage/usr/lib/"
rm -rf "$stage/usr/lib/aarch64-linux-gnu/gconv"
for bin in bin/busybox usr/bin/unshare usr/bin/nsenter usr/bin/setpriv usr/bin/strace; do
    cp -a "$root/$bin" "$stage/usr/bin/"
done
ln -s busybox "$stage/usr/bin/sh"

tar -xf "$tools" -C "$stage"
mv "$stage/opt/gpiod1-arm64" "$stage/opt/gpiod1"
mv "$stage/opt/gpiod2-arm64" "$stage/opt/gpiod2"

mkdir -p "$stage/lib/modules/vgc"
cp "$modules"/*.ko "$modules/load.list" "$stage/lib/modules/vgc/"

for spec in "${adds[@]}"; do
    src=${spec%%:*} dst=${spec#*:}
    [ -e "$src" ] || vgc_die "no such file to add: $src"
    mkdir -p "$stage$(dirname "$dst")"
    cp -a -L -T "$src" "$stage$dst"
done

# Every ELF's libraries must be in the image (or the guest dies with "not found").
libdir=$stage/usr/lib/aarch64-linux-gnu
missing=
while IFS= read -r -d '' f; do
    [ "$(head -c 4 "$f" 2> /dev/null)" = $'\x7fELF' ] || continue
    [ "$(od -An -tu1 -j4 -N1 "$f" | tr -d ' ')" = 2 ] || continue
    for lib in $(readelf -d "$f" 2> /dev/null | awk '/NEEDED/ { gsub(/[][]/, "", $5); print $5 }'); do
        [ -e "$libdir/$lib" ] || missing="$missing $lib(${f#"$stage"})"
    done
done < <(find "$stage/usr/bin" "$stage/usr/sbin" "$stage/opt" "$libdir" -type f -print0)
[ -z "$missing" ] || vgc_die "libraries missing from the arm64 image:$missing"

# busybox makes its applet links first; it leaves existing files (util-linux) alone
cat > "$stage/init" <<'INIT'
#!/bin/sh
/usr/bin/busybox --install -s
exec /vgc/init
INIT
chmod +x "$stage/init"
cp "$VGC_VM_DIR/init" "$stage/vgc/init"
cp "$VGC_VM_DIR/guest-mkdev" "$stage/usr/bin/vgc-mkdev"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$stage/etc/group"
rm -f "$stage/etc/mtab"
ln -s /proc/self/mounts "$stage/etc/mtab"
chmod 1777 "$stage/tmp"
chmod 755 "$stage"
if [ "$(id -u)" = 0 ]; then
    mknod -m 600 "$stage/dev/console" c 5 1
    mknod -m 666 "$stage/dev/null" c 1 3
fi

(cd "$stage" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
