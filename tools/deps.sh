#!/bin/sh
# Installs the Debian packages bidui needs, when run as root and any is
# missing. Cheap when everything is present (one dpkg-query).
set -eu
PKGS="build-essential pkg-config libssl-dev zlib1g-dev libminizip-dev libexpat1-dev
libgsf-1-dev libxml2-dev liblmdb-dev lmdb-utils libxlsxwriter-dev libinih-dev libjansson-dev
libcmocka-dev python3 python3-openpyxl sqlite3"
missing=""
for p in $PKGS; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "bidui: 缺少软件包 (missing packages):$missing" >&2
	echo "bidui: 请以 root 运行 make demo，或执行: apt-get install$missing" >&2
	exit 1
fi
echo "bidui: 安装软件包 (installing):$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
