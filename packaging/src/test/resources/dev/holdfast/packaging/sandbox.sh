#!/usr/bin/env bash
# Runs SCRIPT as root in a throwaway copy of this machine's root file system: an overlay whose
# writable layer is a tmpfs, in a private mount namespace, so installing and purging packages
# changes nothing on the host. The .deb files of DEBS are at /mnt/debs inside.
# Usage (as root): unshare --mount --propagation private bash sandbox.sh WORK DEBS SCRIPT
set -euo pipefail
work=$1 debs=$2 script=$3
mount -t tmpfs -o size=2g tmpfs "$work"
mkdir -p "$work/upper" "$work/work" "$work/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/work" "$work/root"
root="$work/root"
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
mount -t tmpfs tmpfs "$root/tmp"
mount -t tmpfs tmpfs "$root/run"
mkdir -p "$root/mnt/debs"
mount --bind "$debs" "$root/mnt/debs"
cp "$script" "$root/tmp/script.sh"
exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 bash /tmp/script.sh
