#!/bin/sh
# A VM whose gpiochip0 is host lines 17 and 27, through vgpiochip --vhost-user
# (start `vgpiochip --name vm1 --chip gpiochip0 --map 0:17=LED,1:27=BUTTON
# --vhost-user /run/vgpiochip/vm1.gpio.sock` first). Add your disk, network
# and kernel options as usual; the GPIO part is the last five lines.
exec qemu-system-x86_64 -enable-kvm -m 2G -smp 2 \
    -drive file=vm1.qcow2,if=virtio \
    -object memory-backend-memfd,id=mem,size=2G,share=on \
    -numa node,memdev=mem \
    -chardev socket,id=gpio0,path=/run/vgpiochip/vm1.gpio.sock \
    -device vhost-user-gpio-pci,chardev=gpio0 \
    "$@"
