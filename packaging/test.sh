#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build, and run every test.
# Extra arguments go to ctest, e.g. `-R tst_http`.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qd_install_packages
qd_build
cd "$QD_BUILD"
exec ctest --output-on-failure --parallel "$(nproc)" "$@"
