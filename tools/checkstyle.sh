#!/bin/sh
# make check-style: the tree's layout rules, checked without building.
#   1. Whitespace, in every tracked text file of ours (sources, headers,
#      scripts, docs; not tests/data or fuzz seeds, which are inputs):
#      no trailing blanks, no CR, a final newline; in C, indentation is
#      tabs: no space before a tab, no line indented with 8 or more spaces
#      (a few spaces to align a continued line are fine).
#   2. Layout: every source of bidui lies in a stage folder under src/
#      (src/*/*.c, docs/ARCHITECTURE.md), none directly in src/.
#   3. Warnings: every source of bidui and matchers/ is compiled with the
#      Makefile's warning flags and -Werror (-fsyntax-only, so nothing is
#      written). The Makefile passes CC and STYLE_CFLAGS; warnings that
#      need the optimiser (-Wmaybe-uninitialized) show only in a full
#      `make DEVELOPER=1`.
# Prints each offence as FILE:LINE: what, and exits 1 when there is any.
#   tools/checkstyle.sh            (from the repository root)
set -eu
cd "$(dirname "$0")/.."
CC=${CC:-cc}
STYLE_CFLAGS=${STYLE_CFLAGS:--std=c17 -D_GNU_SOURCE -Iinclude -Wall -Wextra -Werror}
bad=0
offence() { bad=1; }

files=$(git ls-files '*.c' '*.h' '*.sh' '*.py' '*.inc' '*.md' '*.sql' '*.ini' Makefile .ci/run |
	grep -v -e '^tests/data/' -e '^tests/fuzz/seeds/')
cfiles=$(git ls-files '*.c' '*.h')

echo "  STYLE   whitespace ($(echo "$files" | wc -l) files)"
# shellcheck disable=SC2086
if grep -nE '[[:space:]]+$' $files | sed 's/^\([^:]*:[0-9]*\):.*/\1: trailing whitespace/' | grep .; then offence; fi
# shellcheck disable=SC2086
if grep -lP '\r' $files | sed 's/$/: carriage return (CRLF)/' | grep .; then offence; fi
for f in $files; do
	if [ -s "$f" ] && [ "$(tail -c 1 "$f" | od -An -tx1 | tr -d ' ')" != 0a ]; then
		echo "$f: no newline at the end"; offence
	fi
done
# shellcheck disable=SC2086
if grep -nP '^\t* +\t' $cfiles | sed 's/^\([^:]*:[0-9]*\):.*/\1: space before a tab in the indentation/' | grep .; then offence; fi
# shellcheck disable=SC2086
if grep -nP '^ {8}' $cfiles | sed 's/^\([^:]*:[0-9]*\):.*/\1: indented with spaces, not tabs/' | grep .; then offence; fi

echo "  STYLE   layout (src/<stage>/)"
for f in src/*.c src/*.h; do
	[ -e "$f" ] || continue
	echo "$f: directly in src/; put it in its stage's folder (docs/ARCHITECTURE.md)"; offence
done

srcs=$(ls src/*/*.c matchers/*.c)
echo "  STYLE   warnings ($(echo "$srcs" | wc -l) sources, -Werror)"
# shellcheck disable=SC2086
if ! echo "$srcs" | xargs -P "$(nproc 2>/dev/null || echo 2)" -n 4 $CC $STYLE_CFLAGS -Werror -fsyntax-only; then
	offence
fi

[ $bad = 0 ] || { echo "check-style: offences above" >&2; exit 1; }
echo "  STYLE   ok"
