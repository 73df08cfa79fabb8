#!/bin/bash
# `make bench`: runs tests/bench/bench.sh in the VM, then writes the table
# docs/bench.md and the plot docs/bench.png (gnuplot) from its BENCH lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
edges=${BENCH_EDGES:-300}
out=$(mktemp)
vwork=$(mktemp -d /tmp/vgc-bench.XXXXXX)
vpids=
cleanup() {
    for p in $vpids; do kill "$p" 2>/dev/null; done
    rm -rf "$out" "$vwork"
}
trap cleanup EXIT

# (d) the VM front end, in the same VM boot: vgpiochip --vhost-user on this
# machine's simulated lines, the VM under QEMU 10 (fetch-qemu.sh: 7.2 gives
# the guest no interrupts) with vhost-user-gpio-pci on its socket, and a
# second serial port over which vgc-vhost-bench on this side times the edges.
vhost=()
if { read -r qemu; read -r qemu_data; } < <(tests/vhost/fetch-qemu.sh) && [ -x "$qemu" ]; then
    mkdir -m 0700 "$vwork/run"
    mkfifo "$vwork/ctl.in" "$vwork/ctl.out"
    VGPIOCHIP_RUN_DIR=$vwork/run "$build/vgpiochip" --name bench-vm --sim 32 --map 0:17,1:27 \
        --vhost-user "$vwork/gpio.sock" > "$vwork/daemon.log" 2>&1 &
    vpids="$vpids $!"
    for _ in $(seq 200); do [ -S "$vwork/gpio.sock" ] && break; sleep 0.05; done
    "$build/vgc-vhost-bench" host vhost "$vwork/run" bench-vm 27 "$vwork/ctl.out" \
        "$edges" > "$vwork/host.out" 2>&1 &
    vhelper=$!
    vpids="$vpids $vhelper"
    for a in -L "$qemu_data" -L /usr/share/seabios \
             -object memory-backend-memfd,id=mem,size=1G,share=on -numa node,memdev=mem \
             -chardev "socket,id=gpio0,path=$vwork/gpio.sock" -device vhost-user-gpio-pci,chardev=gpio0 \
             -chardev "pipe,id=ctl,path=$vwork/ctl" -serial chardev:ctl; do
        vhost+=(--qemu-arg "$a")
    done
    vhost=(--qemu "$qemu" "${vhost[@]}")
else
    echo "bench: no QEMU 10 (tests/vhost/fetch-qemu.sh): the VM front end is not measured"
fi
tests/vm/run-vm.sh --kernel custom "${vhost[@]}" \
    --add "$build/vgpiochip:/usr/bin/vgpiochip" --add "$build/vgc-bench:/usr/bin/vgc-bench" \
    --add "$build/vgc-floor:/usr/bin/vgc-floor" --add "$build/vgc-vhost-bench:/usr/bin/vgc-vhost-bench" \
    --add "tests/vm/scenario-lib.sh:/opt/vgc/scenario-lib.sh" \
    tests/bench/bench.sh "${BENCH_N:-2000}" "${BENCH_TENANTS:-64}" "$edges" | tee "$out"
grep -q "^bench done" "$out" || { echo "bench: the VM run did not finish"; exit 1; }
if [ ${#vhost[@]} -gt 0 ]; then
    # the host side ends with its last edge, or gave up (10 s without an answer)
    kill "$vhelper" 2>/dev/null || true
    wait "$vhelper" 2>/dev/null || echo "bench: the host side of (d) failed"
    grep -v '^BENCH' "$vwork/host.out" | sed 's/^/# vgc-vhost-bench host: /' || true
    grep '^BENCH' "$vwork/host.out" | tee -a "$out" || true
fi

val() { # val NAME KEY
    grep -a "^BENCH $1 " "$out" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2 | head -1
}
pct() { awk -v l="$1" -v r="$2" 'BEGIN { if (l == "" || r == "") print "n/a"; else printf "%.1f%%", 100 * l / (l + 2 * r) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

mkdir -p docs
{
    echo "# Benchmark (make bench)"
    echo
    echo "Measured in the project's QEMU VM (TCG, minimal 6.12 kernel, HPET clock, one CPU online; QEMU $("${vhost[1]:-qemu-system-x86_64}" --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')) on $(date -u +%Y-%m-%d)."
    echo "Absolute times under TCG mean little; the ratios are the point."
    echo "(a) the kernel's gpio-sim chardev, (b) vgpiochip over the same chip, (c) a CUSE device that does nothing."
    echo
    echo "| operation | (a) kernel median / p99 us | (b) vgpiochip median / p99 us | (c) CUSE floor median / p99 us | (b)/(c) | (b)/(a) |"
    echo "|---|---|---|---|---|---|"
    for op in set_values get_values; do
        echo "| $op | $(val kernel.$op median_us) / $(val kernel.$op p99_us) | $(val vgpiochip.$op median_us) / $(val vgpiochip.$op p99_us) | $(val floor.$op median_us) / $(val floor.$op p99_us) | $(ratio "$(val vgpiochip.$op median_us)" "$(val floor.$op median_us)") | $(ratio "$(val vgpiochip.$op median_us)" "$(val kernel.$op median_us)") |"
    done
    echo "| line request (the ioctl, injection included) | $(val kernel.request_ioctl median_us) / $(val kernel.request_ioctl p99_us) | $(val vgpiochip.request_ioctl median_us) / $(val vgpiochip.request_ioctl p99_us) | | | $(ratio "$(val vgpiochip.request_ioctl median_us)" "$(val kernel.request_ioctl median_us)") |"
    echo "| line request + close | $(val kernel.request median_us) / $(val kernel.request p99_us) | $(val vgpiochip.request median_us) / $(val vgpiochip.request p99_us) | | | $(ratio "$(val vgpiochip.request median_us)" "$(val kernel.request median_us)") |"
    echo "| edge latency, sysfs pull to read | $(val kernel.edge_latency median_us) / $(val kernel.edge_latency p99_us) | $(val vgpiochip.edge_latency median_us) / $(val vgpiochip.edge_latency p99_us) | | | $(ratio "$(val vgpiochip.edge_latency median_us)" "$(val kernel.edge_latency median_us)") |"
    echo
    echo "| edge events | highest paced rate with no loss, /s (first lossy) | flat out: read /s | flat out: lost (of all events) |"
    echo "|---|---|---|---|"
    for who in kernel vgpiochip; do
        [ $who = kernel ] && name="(a) kernel" || name="(b) vgpiochip"
        echo "| $name | $(val $who.sustained events_per_s) ($(val $who.sustained first_lossy)) | $(val $who.flood events_per_s) | $(val $who.flood lost) ($(pct "$(val $who.flood lost)" "$(val $who.flood events_per_s)")) |"
    done
    echo "| (b)/(a) | $(ratio "$(val vgpiochip.sustained events_per_s)" "$(val kernel.sustained events_per_s)") | $(ratio "$(val vgpiochip.flood events_per_s)" "$(val kernel.flood events_per_s)") | |"
    echo
    echo "The paced rate is bisected between the last lossless and the first lossy rate to within 5%;"
    echo "a loss is a seqno gap. Flat out, lost is counted from seqno gaps too, over 2 s. A rate the pull"
    echo "thread could not keep (three tries) counts as not lossless: on a loaded host that, not a loss, can"
    echo "end the search; the run's '# ... paced' lines say which."
    echo
    echo "vgpiochip daemon: RSS $(val vgpiochip.rss kib) KiB (PSS $(val vgpiochip.rss pss_kib) KiB), $(val vgpiochip.idle wakeups_per_s) wakeups/s when idle."
    echo
    echo "$(val tenants n) tenants side by side (one 64-line gpio-sim chip, one host line each, a daemon and a CUSE device each):"
    echo "$(val tenants started) started, $(val tenants served) served a line request; start-up $(val tenants start_ms_each) ms per tenant;"
    echo "RSS $(val tenants rss_total_kib) KiB in all (at most $(val tenants rss_max_kib) KiB each), PSS $(val tenants pss_total_kib) KiB in all."
    echo
    echo "## A QEMU guest through vgpiochip --vhost-user"
    echo
    echo "(d) the same VM's virtio-gpio chip (QEMU 10's vhost-user-gpio-pci) served by \`vgpiochip --vhost-user\` on"
    echo "simulated lines of the build machine, beside (a) the guest's own gpio-sim chip, in the same run. An edge"
    echo "of (d) starts on the host, whose clock the guest's cannot be compared with: the host pulls the line"
    echo "(through the daemon's control socket) and times until the guest, having read the edge, answers with a"
    echo "byte on its second serial port. That round trip is an upper bound of the edge's latency (the answer's"
    echo "way back through the guest's UART and QEMU is in it). Guest and daemon share the build machine's CPUs"
    echo "under TCG: the figures say what the path costs there, not what KVM would."
    echo
    echo "| operation | (a) guest's gpio-sim median / p99 us | (d) virtio-gpio through vgpiochip median / p99 us | (d)/(a) |"
    echo "|---|---|---|---|"
    for op in set_values get_values; do
        echo "| $op | $(val kernel.$op median_us) / $(val kernel.$op p99_us) | $(val vhost.$op median_us) / $(val vhost.$op p99_us) | $(ratio "$(val vhost.$op median_us)" "$(val kernel.$op median_us)") |"
    done
    echo "| edge latency: (a) sysfs pull to read, (d) host pull to read and the answer back (a bound) | $(val kernel.edge_latency median_us) / $(val kernel.edge_latency p99_us) | $(val vhost.edge_rtt median_us) / $(val vhost.edge_rtt p99_us) | $(ratio "$(val vhost.edge_rtt median_us)" "$(val kernel.edge_latency median_us)") |"
    echo
    echo "![vgpiochip over the kernel, every figure](bench.png)"
    echo
    echo "## Where an edge goes, and what it costs"
    echo
    echo "- The host request fd is asked for the deepest fifo (1024 events); the daemon drains it on every"
    echo "  loop turn, 64 events per read(), into the tenant's queue. That queue is the kernel's: event_buffer_size"
    echo "  or 16 per line, rounded up to a power of two, at most 1024, the oldest dropped when full. The seqnos"
    echo "  are the host kernel's own (the host request has the tenant's lines in the tenant's order), so a gap"
    echo "  the host queue made shows too."
    echo "- A parked read is answered, and a poll notified (once per loop turn, not per event), as soon as the"
    echo "  events are queued; one read returns as many whole events as the tenant's buffer holds (up to 1024)."
    echo "- What stays dearer than the kernel is the tenant's round trip: a poll that found nothing ends in a"
    echo "  notification, a new FUSE_POLL and a FUSE_READ, three passes through the daemon where the kernel"
    echo "  wakes the reader once. Edges that land meanwhile wait in the same 16-slot queue; a deeper queue"
    echo "  would hand a tenant that does not read older events than the kernel would, so it is not an option."
    echo "  Losses at a paced rate therefore come from stalls of the reader or the daemon (TCG, a loaded host)."
    echo "- Memory: the daemon links libfuse3, libinih, libseccomp and libc only (sd_notify is one datagram,"
    echo "  written out), uses one malloc arena, a 256 KiB injector stack and gives start-up memory back."
    echo "  Most of its RSS is shared library text (libc alone is over half), which the PSS of many tenants shows."
} > docs/bench.md
cat docs/bench.md

if command -v gnuplot >/dev/null; then
    data=$(mktemp)
    # one bar per figure: vgpiochip over the kernel, on a log scale (1 = equal)
    r() { ratio "$(val vgpiochip.$1 $2)" "$(val kernel.$1 $2)"; }
    {
        echo "set_values_median $(r set_values median_us)"
        echo "get_values_median $(r get_values median_us)"
        echo "line_request_median $(r request_ioctl median_us)"
        echo "edge_latency_p50 $(r edge_latency median_us)"
        echo "edge_latency_p99 $(r edge_latency p99_us)"
        echo "paced_lossless_rate $(r sustained events_per_s)"
        echo "flat_out_events_read $(r flood events_per_s)"
        echo "flat_out_lost_share $(ratio "$(pct "$(val vgpiochip.flood lost)" "$(val vgpiochip.flood events_per_s)" | tr -d %)" "$(pct "$(val kernel.flood lost)" "$(val kernel.flood events_per_s)" | tr -d %)")"
    } | grep -v "n/a" > "$data"
    gnuplot <<GP
set terminal pngcairo size 900,500 noenhanced
set output "docs/bench.png"
set title "vgpiochip / kernel chardev, same VM run (log scale; 1 = the kernel's figure)"
set style data histograms
set style fill solid border -1
set boxwidth 0.8
set logscale y
set yrange [0.01:*]
set ylabel "ratio (b)/(a)"
set xtics rotate by -30
set grid ytics
set key off
plot "$data" using 2:xtic(1) lc rgb "#4472c4", 1 with lines lc rgb "black" dt 2, \
     "" using 0:2:(sprintf("%.2f", \$2)) with labels offset 0,0.8
GP
    rm -f "$data"
    echo "plot: docs/bench.png"
fi
