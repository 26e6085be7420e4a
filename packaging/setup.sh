#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and start querydeck
# in local dev mode. Extra arguments go to querydeck, e.g. `serve --port 9000`.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
qd_install_packages
qd_build
exec "$QD_BUILD/bin/querydeck" "$@"
