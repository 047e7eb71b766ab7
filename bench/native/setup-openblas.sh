#!/usr/bin/env bash
# Unpacks Debian's OpenBLAS (libopenblas0-pthread) into bench/native/.cache/openblas for the
# PyTorch peer only. Debian's python3-torch links libblas.so.3, which is the netlib reference
# BLAS unless an optimised one is installed; that makes PyTorch ~20x slower than it is with
# OpenBLAS, an unfair peer. Unpacking (rather than installing) leaves the system's BLAS choice
# alone; run.mjs puts this folder on the torch child's LD_LIBRARY_PATH.
# Usage: bash bench/native/setup-openblas.sh   (needs apt-get and dpkg-deb; run apt-get update first)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/.cache/openblas"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 777 "$work" # apt-get download drops privileges to _apt when it can
(cd "$work" && apt-get download libopenblas0-pthread)
rm -rf "$dest"
mkdir -p "$dest"
dpkg-deb -x "$work"/libopenblas0-pthread_*.deb "$dest"
ls "$dest"/usr/lib/*/openblas-pthread/libblas.so.3
