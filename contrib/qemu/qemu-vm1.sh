#!/bin/sh
# A VM whose gpiochip0 is host lines 17 and 27, through vgpiochip --vhost-user
# (start `vgpiochip --name vm1 --chip gpiochip0 --map 0:17=LED,1:27=BUTTON
# --vhost-user /run/vgpiochip/vm1.gpio.sock` first). Add your disk, network
# and kernel options as usual; the GPIO part is the last five lines.
# RECONNECT=1 (QEMU 7.2, Debian 12's): QEMU waits for the back end and
# reconnects to a restarted one. Not with QEMU 10.0, whose vhost-user-gpio
# then fails to start (vgpiochip(8), VHOST).
exec qemu-system-x86_64 -enable-kvm -m 2G -smp 2 \
    -drive file=vm1.qcow2,if=virtio \
    -object memory-backend-memfd,id=mem,size=2G,share=on \
    -numa node,memdev=mem \
    -chardev "socket,id=gpio0,path=/run/vgpiochip/vm1.gpio.sock${RECONNECT:+,reconnect=$RECONNECT}" \
    -device vhost-user-gpio-pci,chardev=gpio0 \
    "$@"
