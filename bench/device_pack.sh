#!/bin/sh
# bench/device_pack.sh - prepares .dev/ (ignored by git) for bench/device.sh
# on the lent 16-core machine, which has no package manager: build/bidui,
# every library ldd lists, the dynamic loader, and gen_county.
#   make && sh bench/device_pack.sh
# then, with the device tool: run command "sh bench/device.sh", carry [".dev"].
set -eu
rm -rf .dev && mkdir -p .dev/lib
cp build/bidui .dev/
cc -O2 -o .dev/gen_county bench/gen_county.c
ldd build/bidui | awk '/=>/ { print $3 } /ld-linux/ { print $1 }' | while read -r l; do
	[ -f "$l" ] && cp -L "$l" .dev/lib/
done
cp -L /lib64/ld-linux-x86-64.so.2 .dev/lib/ 2>/dev/null || true
grep -qx '/.dev/' .git/info/exclude 2>/dev/null || echo '/.dev/' >> .git/info/exclude
du -sh .dev
