#!/usr/bin/env bash
# What a person does with the packages on a fresh device, checked step by step (DebianPackageIT).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
fail() { echo "FAIL: $*"; exit 1; }
step() { echo "== $*"; }
agent_deb=$(ls /mnt/debs/holdfast-agent_*_all.deb)
prov_deb=$(ls /mnt/debs/holdfast-provisioning_*_all.deb)

step "apt-get install ./holdfast-agent"
apt-get install -y -q "$agent_deb" > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get install"; }
grep -h '^holdfast-agent:' /tmp/apt.log || true
[ -x /usr/bin/holdfast-agent ] || fail "no /usr/bin/holdfast-agent"
[ -f /usr/share/holdfast/holdfast-agent.jar ] || fail "no jar under /usr/share/holdfast"
id holdfast > /dev/null || fail "no user holdfast"
[ -d /etc/credstore.encrypted ] || fail "no /etc/credstore.encrypted"
[ "$(stat -c %a /etc/credstore.encrypted)" = 700 ] || fail "/etc/credstore.encrypted is not 0700"
grep -q '^/etc/holdfast/agent.conf$' /var/lib/dpkg/info/holdfast-agent.conffiles || fail "agent.conf is not a conffile"
[ -s /var/cache/holdfast/holdfast-agent.jsa ] || fail "postinst built no class-data archive"
[ -f /var/cache/holdfast/holdfast-agent.flags ] || fail "postinst wrote no holdfast-agent.flags"
echo "flags this JVM accepts: $(cat /var/cache/holdfast/holdfast-agent.flags)"

step "holdfast-agent --help"
holdfast-agent --help | head -3
holdfast-agent --version
HOLDFAST_JAVA_OPTS=-Xshare:on holdfast-agent --version > /dev/null || fail "the class-data archive does not map (-Xshare:on)"

step "JVM flags not every runtime knows: kept when this JVM accepts them, passed by the wrapper"
if java -XX:TrimNativeHeapInterval=10000 -version > /dev/null 2>&1; then
  grep -qx -- '-XX:TrimNativeHeapInterval=10000' /var/cache/holdfast/holdfast-agent.flags \
    || fail "this JVM knows -XX:TrimNativeHeapInterval, holdfast-agent.flags does not have it"
  HOLDFAST_JAVA_OPTS=-XX:+PrintFlagsFinal holdfast-agent --version | grep -Eq 'TrimNativeHeapInterval += 10000 ' \
    || fail "/usr/bin/holdfast-agent does not pass holdfast-agent.flags to the JVM"
fi
# a runtime that refuses the flag (as before 17.0.9): a java that says what such a JVM says
mkdir -p /tmp/oldjvm/bin
cat > /tmp/oldjvm/bin/java <<'OLD'
#!/bin/sh
for a in "$@"; do
  case "$a" in -XX:TrimNativeHeapInterval=*)
    echo "Unrecognized VM option 'TrimNativeHeapInterval=10000'" >&2
    echo "Error: Could not create the Java Virtual Machine." >&2
    exit 1 ;;
  esac
done
exec java "$@"
OLD
chmod +x /tmp/oldjvm/bin/java
JAVA_HOME=/tmp/oldjvm /usr/lib/holdfast/build-cds-archive /usr/share/holdfast/holdfast-agent.jar /tmp/oldjvm/agent.jsa \
  || fail "build-cds-archive failed with a JVM that refuses an optional flag"
[ -s /tmp/oldjvm/agent.jsa ] || fail "no archive for a JVM that refuses an optional flag"
[ -f /tmp/oldjvm/agent.flags ] && [ ! -s /tmp/oldjvm/agent.flags ] \
  || fail "holdfast-agent.flags kept a flag the JVM refuses: $(cat /tmp/oldjvm/agent.flags)"
echo "a JVM without -XX:TrimNativeHeapInterval: archive built, no optional flags kept"

step "systemd-analyze verify"
systemd-analyze verify /lib/systemd/system/holdfast-agent.service && echo "verified"

step "a vault, then dpkg -r"
install -d -m 0700 /etc/holdfast
holdfast-agent vault keygen --out /etc/holdfast/store.key
holdfast-agent --key-file /etc/holdfast/store.key vault init
printf 'x' | holdfast-agent --key-file /etc/holdfast/store.key secret set canary
dpkg -r holdfast-agent
[ -f /var/lib/holdfast/agent.db ] || fail "dpkg -r removed the vault"
[ -f /etc/holdfast/agent.conf ] || fail "dpkg -r removed the conffile"
[ ! -e /usr/bin/holdfast-agent ] || fail "dpkg -r left /usr/bin/holdfast-agent"
[ ! -e /var/cache/holdfast/holdfast-agent.flags ] || fail "dpkg -r left /var/cache/holdfast/holdfast-agent.flags"
echo "vault kept: $(ls /var/lib/holdfast)"

step "dpkg --purge"
dpkg --purge holdfast-agent
[ ! -e /var/lib/holdfast ] || fail "dpkg --purge left /var/lib/holdfast"
[ ! -e /etc/holdfast ] || fail "dpkg --purge left /etc/holdfast"
[ ! -e /var/cache/holdfast ] || fail "dpkg --purge left /var/cache/holdfast"

step "apt-get install ./holdfast-provisioning"
apt-get install -y -q "$prov_deb" > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get install"; }
id holdfast-provisioning > /dev/null || fail "no user holdfast-provisioning"
holdfast-provisioning --help | head -3
holdfast-provisioning --version
systemd-analyze verify /lib/systemd/system/holdfast-provisioning.service && echo "verified"
dropin=/usr/share/holdfast/mosquitto/mosquitto.service.d/holdfast.conf
conf=$(sed -n 's|^ExecStart=/usr/sbin/mosquitto -c ||p' "$dropin")
[ -f "$conf" ] || fail "the Mosquitto drop-in names $conf, which the package does not install"
dir=$(sed -n 's|^include_dir ||p' "$conf")
[ -f "$dir/holdfast.conf" ] || fail "$conf includes $dir, which holds no holdfast.conf"
echo "mosquitto drop-in: $conf includes $dir/holdfast.conf"

step "dpkg --purge holdfast-provisioning"
install -d -m 0700 -o holdfast-provisioning /var/lib/holdfast-provisioning
dpkg --purge holdfast-provisioning
[ -d /var/lib/holdfast-provisioning ] || fail "purge removed the fleet's data directory"
[ ! -e /usr/bin/holdfast-provisioning ] || fail "purge left /usr/bin/holdfast-provisioning"
echo "ALL CHECKED"
