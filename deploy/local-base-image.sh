#!/usr/bin/env bash
# Makes a minimal Node base image from this machine's own node binary, for installations that reach no
# container registry (podman import of a rootfs: node, the shared libraries it links, busybox as /bin/sh).
# Elsewhere, build the Dockerfile from the official image instead (its default BASE).
set -euo pipefail
tag="${1:-localhost/syntra-node-base:20}"
node_bin="$(command -v node)"
busybox="$(command -v busybox || true)"
[ -n "$busybox" ] || { apt-get install -y busybox-static >/dev/null && busybox="$(command -v busybox)"; }
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,usr/local/bin,etc,tmp,var/lib}
chmod 1777 "$root/tmp"
cp "$node_bin" "$root/usr/local/bin/node"
# The node binary's shared libraries and the dynamic loader, at the paths it was linked against.
for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp "$busybox" "$root/bin/busybox"
for tool in sh ls cat env mkdir chown id; do ln -s busybox "$root/bin/$tool"; done
[ -d /etc/ssl/certs ] && mkdir -p "$root/etc/ssl" && cp -rL /etc/ssl/certs "$root/etc/ssl/"
echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' > "$root/etc/passwd"
echo 'nogroup:x:65534:' > "$root/etc/group"
tar -C "$root" -c . | podman import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - "$tag" >/dev/null
echo "$tag"
