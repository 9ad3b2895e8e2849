#!/bin/sh
# make preview: render one township review workbook and the county summary the
# way a reviewer would print them, to look at: xlsx -> PDF (LibreOffice
# headless, its default print settings = what the workbook asks for) -> PNG.
#   tools/preview.sh [RUN_OUT_DIR] [PREVIEW_DIR]
#     RUN_OUT_DIR  a report output folder (default out/demo/out/2026Q4, from make demo)
#     PREVIEW_DIR  where the PDFs and PNGs go (default out/preview; emptied first)
# Picks the largest township workbook (<period>_<乡镇>_核查表.xlsx, the one with
# the most flags) and <period>_汇总.xlsx, and measures the printed pages
# (tools/print_measure.py: text size from pdftotext -bbox, the boxes to write
# in); exits 1 when body text prints under 9 pt or a box is too small.
# Needs soffice, pdftoppm, a CJK font and Carlito (metric-compatible with
# Calibri, the workbooks' default font, which sets their column widths: what
# Excel and WPS use); as root it installs the missing Debian packages,
# otherwise it says which to install and exits 1.
set -eu
src=${1:-out/demo/out/2026Q4}
dst=${2:-out/preview}

# -- tools --------------------------------------------------------------------
need=
command -v soffice >/dev/null 2>&1 || need="$need libreoffice-calc-nogui"
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
	need="$need fonts-noto-cjk"
fi
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list Carlito family 2>/dev/null)" ]; then
	need="$need fonts-crosextra-carlito"
fi
if [ -n "$need" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "preview: missing packages:$need" >&2
		echo "preview: install them (as root): apt-get install -y --no-install-recommends$need" >&2
		exit 1
	fi
	echo "preview: installing$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need >/dev/null
	if command -v fc-cache >/dev/null 2>&1; then fc-cache -f >/dev/null 2>&1 || true; fi
fi

# -- workbooks ----------------------------------------------------------------
if [ ! -d "$src" ]; then
	echo "preview: $src not found (run make demo first)" >&2
	exit 1
fi
town=$(ls -S "$src"/*_核查表.xlsx 2>/dev/null | head -n 1 || true)
summary=$(ls "$src"/*_汇总.xlsx 2>/dev/null | head -n 1 || true)
if [ -z "$town" ] || [ -z "$summary" ]; then
	echo "preview: no *_核查表.xlsx or *_汇总.xlsx in $src (run bidui report first)" >&2
	exit 1
fi

rm -rf "$dst"
mkdir -p "$dst"
bad=
# A private LibreOffice profile: works as root, and again while another
# soffice is running; removed afterwards.
profile=$(mktemp -d /tmp/bidui-preview-lo.XXXXXX)
trap 'rm -rf "$profile"' EXIT INT TERM
for wb in "$town" "$summary"; do
	stem=$(basename "$wb" .xlsx)
	echo "== $wb"
	soffice -env:UserInstallation="file://$profile" --headless --norestore \
		--convert-to pdf --outdir "$dst" "$wb" >"$dst/soffice.log" 2>&1 || true
	if [ ! -s "$dst/$stem.pdf" ]; then
		echo "preview: soffice did not write $dst/$stem.pdf:" >&2
		cat "$dst/soffice.log" >&2
		exit 1
	fi
	pages=$(pdfinfo "$dst/$stem.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	echo "   $dst/$stem.pdf (${pages:-?} pages)"
	pdftoppm -png -r 70 "$dst/$stem.pdf" "$dst/$stem"
	/usr/bin/python3 "$(dirname "$0")/print_measure.py" "$wb" "$dst/$stem.pdf" | tee -a "$dst/measure.txt" ||
		bad=1
done
rm -f "$dst/soffice.log"
echo "== PNG pages (70 dpi) in $dst:"
ls -1 "$dst"/*.png
if [ -n "${bad:-}" ]; then
	echo "preview: printed text under 9 pt or boxes too small to write in (see $dst/measure.txt)" >&2
	exit 1
fi
