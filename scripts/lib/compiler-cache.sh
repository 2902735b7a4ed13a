# Sourced by scripts/build, scripts/sanitize and scripts/fuzz: compile through ccache when it is
# installed (scripts/install-deps installs it), so a second build of the same sources — CI's
# fresh clone after a run on the same machine, the ASan and fuzz trees after a branch switch —
# recompiles only what changed. Paths are hashed relative to the clone (CCACHE_BASEDIR) and
# the directory is left out of the hash (CCACHE_NOHASHDIR), so two clones share the cache; the
# debug info then names the first clone's directory, which no test reads.
# CCACHE_DISABLE=1 turns it off. Sets compiler_cache=(cmake flags), empty without ccache.
compiler_cache=()
# Without the launcher when disabled: a cold build then gets the precompiled headers that a
# cached one goes without (cmake/precompiled_headers.cmake).
if [ -z "${CCACHE_DISABLE:-}" ] && command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(pwd)}
  export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  # A fresh clone's headers are seconds old: without include_file_mtime/ctime ccache would not
  # cache what includes them. We use no __DATE__ or __TIME__ (time_macros); pch_defines is
  # for a build that turns SQLMEASURE_PCH on by hand.
  export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
  compiler_cache=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
