# shellcheck shell=bash
# milvus: placeholder, being written (issue 3). Until then it does nothing and reports itself stopped.

milvus_install() { :; }
milvus_up() { log "milvus: not implemented yet"; }
milvus_down() { :; }
milvus_status() { printf '%-9s %-8s %s\n' milvus missing -; }
milvus_address() { echo -; }
milvus_env() { :; }
milvus_clean() { :; }
