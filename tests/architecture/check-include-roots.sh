#!/usr/bin/env bash
# The build enforces the module order: for every backend module or ui feature M
# and every other N, a source of M can include a header of N exactly when M links N
# (directly or through its dependencies, as docs/architecture/modules.dot
# records). Each header is looked up with __has_include and M's own compile
# flags from compile_commands.json, from an empty folder (a quoted include
# searches the current folder first).
#
#   tests/architecture/check-include-roots.sh <build dir>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:?usage: check-include-roots.sh <build dir>}" && pwd)"
commands="$build/compile_commands.json"
[ -f "$commands" ] || { echo "no $commands" >&2; exit 1; }

edges=$(sed -n 's/^  "\([a-z_]*\)" -> "\([a-z_]*\)";$/\1 \2/p' "$root/docs/architecture/modules.dot")
# Graph names: a backend module is its folder's name, a ui feature ui_<folder>.
folder_of() { case "$1" in ui_*) echo "ui/${1#ui_}" ;; *) echo "backend/$1" ;; esac; }
modules=$(for d in "$root"/backend/*/ "$root"/ui/*/; do
              d="${d%/}"; case "$d" in */ui/*) echo "ui_${d##*/}" ;; *) echo "${d##*/}" ;; esac
          done)

reachable() { # modules M links, directly or not, plus M itself
    local todo="$1" seen=" $1 " m n
    while [ -n "$todo" ]; do
        m="${todo%% *}"; todo="${todo#"$m"}"; todo="${todo# }"
        for n in $(awk -v m="$m" '$1 == m { print $2 }' <<<"$edges"); do
            case "$seen" in *" $n "*) ;; *) seen="$seen$n "; todo="$todo${todo:+ }$n" ;; esac
        done
    done
    echo "$seen"
}

cd "$(mktemp -d)"
failures=0 checked=0
for m in $modules; do
    # One compile command of a source of M, cut before its output and input.
    cmd=$(grep '"command"' "$commands" | grep -m1 "/$(folder_of "$m")/[A-Za-z0-9_]*\.cpp\"" |
          sed 's/^ *"command": "//; s/ -o .*$//') || true
    [ -n "$cmd" ] || { echo "FAIL: no compile command for $(folder_of "$m")" >&2; failures=$((failures + 1)); continue; }
    allowed=$(reachable "$m")
    for n in $modules; do
        header=$(ls "$root/$(folder_of "$n")"/*.h | head -1)
        include="$(folder_of "$n")/$(basename "$header")"
        probe=$(printf '#if __has_include("%s")\nQD_FOUND\n#else\nQD_REFUSED\n#endif\n' "$include" |
                eval "$cmd -E -P -x c++ -" 2>&1) || true
        case "$probe" in
            *QD_FOUND*) found=yes ;;
            *QD_REFUSED*) found=no ;;
            *) echo "FAIL: $(folder_of "$m"): the compiler did not run: $probe" >&2; failures=$((failures + 1)); continue ;;
        esac
        case "$allowed" in *" $n "*) want=yes ;; *) want=no ;; esac
        checked=$((checked + 1))
        if [ "$found" != "$want" ]; then
            failures=$((failures + 1))
            echo "FAIL: $(folder_of "$m") including $include: expected $([ $want = yes ] && echo found || echo refused)" >&2
        fi
    done
done
echo "include roots: $checked pairs checked, $failures wrong"
[ "$failures" -eq 0 ]
