#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# python3-libgpiod (Debian's, libgpiod 1.6 bindings) against one chip:
#   gpiod-client.py CHIP SYNC_DIR
# The chip has 8 lines, 0 named LED, 1 named BTN, every pull down at the
# start. One verdict line per check (verdict.py), the same whether CHIP is
# the kernel's gpio-sim chip or vgpiochip's.
import sys

import gpiod

from verdict import ask, errname, monotonic_ns, say, setup

path = sys.argv[1]
setup(sys.argv[2])
OUT, IN, EDGES = gpiod.LINE_REQ_DIR_OUT, gpiod.LINE_REQ_DIR_IN, gpiod.LINE_REQ_EV_BOTH_EDGES
BIAS = {gpiod.Line.BIAS_PULL_UP: "pull-up", gpiod.Line.BIAS_PULL_DOWN: "pull-down",
        gpiod.Line.BIAS_DISABLE: "disabled", gpiod.Line.BIAS_AS_IS: "as-is"}

chip = gpiod.Chip(path)
say("num_lines", chip.num_lines(), 8)

# line by name
led = chip.find_line("LED")
say("find_line LED: offset", led.offset() if led else None, 0)
btn = chip.find_line("BTN")
say("find_line BTN: offset", btn.offset() if btn else None, 1)
say("find_line NOPE", chip.find_line("NOPE"), None)

# output
led.request(consumer="clients", type=OUT, default_val=1)
say("LED output, default 1: get_value", led.get_value(), 1)
say("LED output: the host line", ask("level 0"), "1")
led.set_value(0)
say("LED set_value 0: get_value", led.get_value(), 0)
say("LED set_value 0: the host line", ask("level 0"), "0")
led.update()
say("LED line info: direction output", led.direction() == gpiod.Line.DIRECTION_OUTPUT, True)
say("LED line info: used, consumer", "%s %s" % (led.is_used(), led.consumer()), "True clients")
# the same line from another open of the chip: the kernel says busy
try:
    gpiod.Chip(path).get_line(0).request(consumer="again", type=IN)
    say("LED requested again from another chip fd", "ok", "EBUSY")
except OSError as e:
    say("LED requested again from another chip fd", errname(e), "EBUSY")
led.release()
led.update()
say("LED released: used", led.is_used(), False)

# input with pulls, and the bias read back
l2 = chip.get_line(2)
for flag, name, level in ((gpiod.LINE_REQ_FLAG_BIAS_PULL_UP, "pull-up", 1),
                          (gpiod.LINE_REQ_FLAG_BIAS_PULL_DOWN, "pull-down", 0)):
    l2.request(consumer="clients", type=IN, flags=flag)
    say("line 2 input, %s: get_value" % name, l2.get_value(), level)
    l2.update()
    say("line 2 input, %s: bias read back" % name, BIAS.get(l2.bias(), l2.bias()), name)
    say("line 2 input, %s: the host line" % name, ask("level 2"), str(level))
    l2.release()

# busy both ways: held by another process; held here, asked by another
say("line 4 held by another process", ask("hold 4"), "held")
try:
    chip.get_line(4).request(consumer="clients", type=IN)
    say("line 4 requested while held elsewhere", "ok", "EBUSY")
    chip.get_line(4).release()
except OSError as e:
    say("line 4 requested while held elsewhere", errname(e), "EBUSY")
say("line 4 let go", ask("free 4"), "freed")
l4 = chip.get_line(4)
try:
    l4.request(consumer="clients", type=IN)
    say("line 4 requested once free", "ok", "ok")
    l4.release()
except OSError as e:
    say("line 4 requested once free", errname(e), "ok")
l5 = chip.get_line(5)
l5.request(consumer="clients", type=OUT, default_val=0)
say("line 5 held here: another process's request", ask("request 5"), "EBUSY")
l5.release()
say("line 5 released: another process's request", ask("request 5"), "ok")

# bad offset
try:
    chip.get_line(8)
    say("get_line 8 of 8", "ok", "EINVAL")
except OSError as e:
    say("get_line 8 of 8", errname(e), "EINVAL")

# edge events with timestamps
btn.request(consumer="clients", type=EDGES)
say("BTN both edges: no event yet", btn.event_wait(sec=0, nsec=1000000), False)
t0 = monotonic_ns()
stamps = []
for req, want in (("pull-up 1", gpiod.LineEvent.RISING_EDGE), ("pull-down 1", gpiod.LineEvent.FALLING_EDGE)):
    ask(req)
    if not btn.event_wait(sec=10):
        say("BTN event after %s" % req, "none in 10 s", "rising" if want == gpiod.LineEvent.RISING_EDGE else "falling")
        continue
    ev = btn.event_read()
    kind = {gpiod.LineEvent.RISING_EDGE: "rising", gpiod.LineEvent.FALLING_EDGE: "falling"}.get(ev.type, ev.type)
    say("BTN event after %s: type, offset" % req, "%s %d" % (kind, ev.source.offset()),
        "%s 1" % ("rising" if want == gpiod.LineEvent.RISING_EDGE else "falling"))
    stamps.append(ev.sec * 1000000000 + ev.nsec)
t1 = monotonic_ns()
say("BTN event timestamps: CLOCK_MONOTONIC, in order, between request and now",
    len(stamps) == 2 and t0 <= stamps[0] <= stamps[1] <= t1, True)
say("BTN no further event", btn.event_wait(sec=0, nsec=1000000), False)
btn.release()
chip.close()
print("done", flush=True)
