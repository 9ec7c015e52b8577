#!/usr/bin/env bash
# Render a .docx the way a person would see it: convert it to PDF with
# LibreOffice and draw page 1 (and the last page) as PNG.
#
#   scripts/render-docx.sh IN.docx OUT_DIR
#
# Installs what is missing (Debian/Ubuntu, as root or with sudo): LibreOffice
# Writer, poppler-utils and free CJK fonts. The 公文 fonts (仿宋_GB2312,
# 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) are proprietary, so a fontconfig
# file made here maps them to the nearest free fonts; the real fonts win
# whenever they are installed. The system's font setup is not changed: the
# map is used only by this script's LibreOffice run (FONTCONFIG_FILE).
#
# Writes OUT_DIR/NAME.pdf, OUT_DIR/NAME-page1.png and, for documents of
# more than one page, OUT_DIR/NAME-last.png. Exits non-zero if the
# conversion fails.
set -euo pipefail

usage() { echo "usage: $0 IN.docx OUT_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
in=$1
out=$2
[ -f "$in" ] || { echo "render-docx: no such file: $in" >&2; exit 2; }
mkdir -p "$out"

have() { command -v "$1" >/dev/null 2>&1; }
have_font() { have fc-list && fc-list : family | grep -qF "$1"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif have sudo; then sudo "$@"
    else echo "render-docx: need root (or sudo) to install: $*" >&2; exit 1
    fi
}

install_missing() {
    local pkgs=()
    # soffice alone is not enough: a Calc-only install cannot open .docx.
    if ! { have soffice || have libreoffice; } || ! compgen -G "/usr/lib/libreoffice/program/libswlo.so*" >/dev/null; then
        pkgs+=(libreoffice-writer)
    fi
    have pdftoppm || pkgs+=(poppler-utils)
    have fc-list || pkgs+=(fontconfig)
    have_font "Noto Serif CJK SC" || pkgs+=(fonts-noto-cjk)
    have_font "AR PL SungtiL GB" || pkgs+=(fonts-arphic-gbsn00lp)
    have_font "AR PL KaitiM GB" || pkgs+=(fonts-arphic-gkai00mp)
    have_font "Liberation Serif" || pkgs+=(fonts-liberation)
    [ ${#pkgs[@]} -gt 0 ] || return 0
    echo "render-docx: installing ${pkgs[*]}" >&2
    as_root apt-get update -qq
    # The -nogui flavour is much smaller; older releases do not have it.
    if [[ " ${pkgs[*]} " == *" libreoffice-writer "* ]] &&
        apt-cache show libreoffice-writer-nogui >/dev/null 2>&1; then
        pkgs=("${pkgs[@]/libreoffice-writer/libreoffice-writer-nogui}")
    fi
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
}

# Maps each 公文 font name (Chinese and English) to free fonts, preferred
# in order. 仿宋 has no free Simplified-Chinese cut in Debian; 报宋
# (AR PL SungtiL GB) is the closest light Song. 小标宋 is a heavy Song, so
# it becomes bold Noto Serif CJK.
write_font_map() {
    local conf=$1
    {
        echo '<?xml version="1.0"?>'
        echo '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        echo '<fontconfig>'
        echo '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        alias_family "AR PL SungtiL GB" "Noto Serif CJK SC" -- 仿宋_GB2312 仿宋 FangSong 方正仿宋_GBK
        alias_family "Noto Sans CJK SC" -- 黑体 SimHei 方正黑体_GBK
        alias_family "AR PL KaitiM GB" "Noto Serif CJK SC" -- 楷体_GB2312 楷体 KaiTi 方正楷体_GBK
        alias_family "Noto Serif CJK SC" "AR PL SungtiL GB" -- 宋体 SimSun
        alias_family "Liberation Serif" -- "Times New Roman"
        for name in 方正小标宋简体 方正小标宋_GBK 小标宋; do
            echo "  <match target=\"pattern\"><test name=\"family\"><string>$name</string></test>"
            echo '    <edit name="family" mode="prepend" binding="strong"><string>Noto Serif CJK SC</string></edit>'
            echo '    <edit name="weight" mode="assign" binding="strong"><const>bold</const></edit></match>'
        done
        echo '</fontconfig>'
    } >"$conf"
}

# alias_family PREFERRED... -- NAME...
alias_family() {
    local prefer=()
    while [ "$1" != "--" ]; do prefer+=("$1"); shift; done
    shift
    local name family
    for name in "$@"; do
        echo "  <alias binding=\"same\"><family>$name</family><prefer>"
        for family in "${prefer[@]}"; do echo "    <family>$family</family>"; done
        echo '  </prefer></alias>'
    done
}

install_missing
soffice_bin=$(command -v soffice || command -v libreoffice)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
write_font_map "$work/fonts.conf"

name=$(basename "${in%.*}")
pdf="$out/$name.pdf"
rm -f "$pdf"
# A private profile: no clash with a running LibreOffice or another run.
if ! FONTCONFIG_FILE="$work/fonts.conf" timeout 300 "$soffice_bin" --headless --norestore \
    "-env:UserInstallation=file://$work/profile" \
    --convert-to pdf --outdir "$out" "$in" >"$work/log" 2>&1; then
    cat "$work/log" >&2
    echo "render-docx: LibreOffice failed on $in" >&2
    exit 1
fi
if grep -qi "error" "$work/log" || [ ! -s "$pdf" ]; then
    cat "$work/log" >&2
    echo "render-docx: no PDF produced for $in" >&2
    exit 1
fi

pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
pdftoppm -png -r 100 -f 1 -l 1 -singlefile "$pdf" "$out/$name-page1"
if [ "${pages:-1}" -gt 1 ]; then
    pdftoppm -png -r 100 -f "$pages" -l "$pages" -singlefile "$pdf" "$out/$name-last"
fi
echo "render-docx: $pdf ($pages pages)"
echo "render-docx: fonts used:"
pdffonts "$pdf" | awk 'NR > 2 {print "  " $1}' | sort -u
