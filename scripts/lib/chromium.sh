# shellcheck shell=bash
# Debian's Chromium, which DashboardBrowserIT runs headless to load the dashboard and take its screenshot.
# Sourced after common.sh (needs VS_CACHE_DIR), never run.

chromium_install() {
  if command -v chromium >/dev/null 2>&1; then
    return 0
  fi
  # In a subshell, so the install lock is released before services.sh takes it again.
  (
    take_install_lock
    log "chromium: installing Debian's chromium for the dashboard's browser test ..."
    apt_install chromium
  )
  command -v chromium >/dev/null 2>&1 || die "chromium: apt installed the package but there is no chromium command"
  log "chromium: $(chromium --version 2>/dev/null || echo installed)"
}
