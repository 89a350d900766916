#!/bin/sh
# `npm start`: runs the built proxy with the Node flags and the memory settings of the image
# (README, "Memory"). jemalloc, when installed (Debian: apt-get install libjemalloc2), replaces
# glibc's malloc: it gives back the free pages glibc keeps after a burst or a load. Without it
# the proxy runs on glibc with its thresholds fixed; the "wake-proxy listening" line says which.
set -eu
for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
  if [ -e "$lib" ]; then
    export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
    break
  fi
done
export MALLOC_CONF=narenas:1,tcache:false,dirty_decay_ms:1000,muzzy_decay_ms:0
export MALLOC_TRIM_THRESHOLD_=131072
export MALLOC_MMAP_THRESHOLD_=131072
exec node --max-semi-space-size=2 --no-concurrent-recompilation dist/main.js "$@"
