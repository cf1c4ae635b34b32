# shellcheck shell=bash
# neo4j: placeholder, being written (issue 3). Until then it does nothing and reports itself stopped.

neo4j_install() { :; }
neo4j_up() { log "neo4j: not implemented yet"; }
neo4j_down() { :; }
neo4j_status() { printf '%-9s %-8s %s\n' neo4j missing -; }
neo4j_address() { echo -; }
neo4j_env() { :; }
neo4j_clean() { :; }
