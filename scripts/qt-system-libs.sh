#!/usr/bin/env bash
# Qt's xcb platform plugin (the real window on X11) needs system libraries pip cannot install,
# and Qt's own error names only the first one missing. This names them all.
#   qt-system-libs.sh           exit 0 when all are present, else print the apt-get line, exit 1
#   qt-system-libs.sh --install as root with apt-get: install the missing ones; else as above
set -euo pipefail

# Debian/Ubuntu package and the shared library it provides.
LIBS=(
    "libxcb-cursor0 libxcb-cursor.so.0"
    "libxcb-icccm4 libxcb-icccm.so.4"
    "libxcb-keysyms1 libxcb-keysyms.so.1"
    "libxcb-image0 libxcb-image.so.0"
    "libxcb-render-util0 libxcb-render-util.so.0"
    "libxcb-xinerama0 libxcb-xinerama.so.0"
    "libxcb-xkb1 libxcb-xkb.so.1"
    "libxcb-randr0 libxcb-randr.so.0"
    "libxcb-shape0 libxcb-shape.so.0"
    "libxcb-xfixes0 libxcb-xfixes.so.0"
    "libxcb-shm0 libxcb-shm.so.0"
    "libxcb-sync1 libxcb-sync.so.1"
    "libx11-xcb1 libX11-xcb.so.1"
    "libxkbcommon-x11-0 libxkbcommon-x11.so.0"
    "libxkbcommon0 libxkbcommon.so.0"
    "libegl1 libEGL.so.1"
    "libfontconfig1 libfontconfig.so.1"
    "libdbus-1-3 libdbus-1.so.3"
)

[[ "$(uname -s)" == Linux ]] || exit 0
command -v ldconfig >/dev/null 2>&1 || exit 0

known=$(ldconfig -p | awk '{print $1}')
missing=()
for entry in "${LIBS[@]}"; do
    read -r package library <<<"$entry"
    grep -qxF "$library" <<<"$known" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

line="apt-get install -y ${missing[*]}"
if [[ "${1:-}" == --install && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing the libraries Qt's window needs: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && $line -qq >/dev/null && exit 0
    echo "collabcoder: the install failed; run: sudo $line" >&2
    exit 1
fi
echo "collabcoder: Qt needs system libraries to open its window. Install them with:" >&2
echo "    sudo $line" >&2
exit 1
