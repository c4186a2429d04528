#!/bin/sh
# Registers task XML rendered by the taskscheduler backend with a real Task
# Scheduler parser: Wine's schtasks.exe. For each sample, `schtasks /create
# /tn NAME /xml FILE /f` must exit 0 and create the task file under the
# prefix's system32/tasks, Wine's stored copy must hold the same description
# and settings, and `/delete /tn NAME /f` must remove it. A malformed file must
# be refused (so this check can fail): one with a mismatched tag, one in the
# wrong namespace. (A file cut short makes Wine 8's parser spin, so every Wine
# call runs under `timeout`.) Wine's /query, /run and /end do nothing
# and exit 0, so they prove nothing and are not used. Wine 8 parses but does
# not store triggers, principals and actions: the Command/Arguments round trip
# is the xmllint check's job (taskscheduler_xmllint_roundtrip). Wine's
# schtasks refuses options it does not know, such as the backend's /HRESULT,
# so the calls here are the plain /create and /delete forms.
#
# usage: wine_schtasks.sh RENDER_SAMPLES_EXE
# exit: 0 passed, 1 failed, 77 skipped (wine missing; a failure when CI=true)
set -u
render_samples=$1

skip() {
    echo "SKIPPED: $1"
    if [ "${CI:-}" = "true" ]; then exit 1; fi
    exit 77
}
command -v wine >/dev/null 2>&1 || skip "wine not found (Debian packages wine wine64)"
command -v xmllint >/dev/null 2>&1 || skip "xmllint not found (Debian package libxml2-utils)"

work=$(mktemp -d "${TMPDIR:-/tmp}/ductor-wine.XXXXXX") || exit 1
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
    wineserver -k >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() {
    echo "FAIL: $1"
    failures=$((failures + 1))
}

wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; echo "FAIL: wineboot -i"; exit 1; }
# wineboot returns while the prefix's services still start; until they have
# settled the Task Scheduler service cannot start ("Service database locked").
wineserver -w
tasks="$WINEPREFIX/drive_c/windows/system32/tasks"

mkdir "$work/xml"
"$render_samples" write "$work/xml" >"$work/names" || { echo "FAIL: rendering the samples"; exit 1; }

ns="http://schemas.microsoft.com/windows/2004/02/mit/task"
field() { # FILE ELEMENT: the text of the first ELEMENT in the task namespace, parsed by xmllint
    xmllint --xpath "string(//*[local-name()='$2' and namespace-uri()='$ns'])" "$1"
}
stored() { # FILE ELEMENT: the raw text Wine wrote for ELEMENT (Wine writes it unescaped)
    sed -n "s:.*<$2>\(.*\)</$2>.*:\1:p" "$1" | head -n 1
}
schtasks() { timeout 60 wine schtasks.exe "$@"; }
windows_path() { printf 'Z:%s' "$1" | tr '/' '\\'; }

while read -r name; do
    file="$work/xml/$name.xml"
    head -c 2 "$file" | od -An -tx1 | grep -q 'ff fe' || fail "$name: no UTF-16LE byte order mark"
    xmllint --noout "$file" || fail "$name: not well-formed"
    [ "$(xmllint --xpath "count(/*[local-name()='Task' and namespace-uri()='$ns'])" "$file")" = 1 ] ||
        fail "$name: the root is not a Task in $ns"

    schtasks /create /tn "$name" /xml "$(windows_path "$file")" /f
    rc=$?
    [ "$rc" -eq 0 ] || fail "$name: schtasks /create exited $rc"
    if [ -f "$tasks/$name" ]; then
        for element in Description MultipleInstancesPolicy DisallowStartIfOnBatteries StopIfGoingOnBatteries \
            AllowHardTerminate StartWhenAvailable RunOnlyIfNetworkAvailable ExecutionTimeLimit AllowStartOnDemand \
            Enabled Hidden; do
            [ "$(stored "$tasks/$name" "$element")" = "$(field "$file" "$element")" ] ||
                fail "$name: Wine stored a different $element: $(stored "$tasks/$name" "$element")"
        done
    else
        fail "$name: no task file $tasks/$name after /create"
    fi
    schtasks /delete /tn "$name" /f
    rc=$?
    [ "$rc" -eq 0 ] || fail "$name: schtasks /delete exited $rc"
    [ ! -e "$tasks/$name" ] || fail "$name: the task file is still there after /delete"
    echo "checked $name"
done <"$work/names"

# Controls: files Task Scheduler must refuse, and that must leave no task behind.
first=$(head -n 1 "$work/names")
utf8=$(iconv -f UTF-16 -t UTF-8 "$work/xml/$first.xml") || fail "iconv cannot read $first.xml"
printf '%s\n' "$utf8" | sed 's:</Description>:</Descr>:' | iconv -f UTF-8 -t UTF-16 >"$work/xml/mismatched.xml"
printf '%s\n' "$utf8" | sed 's:/mit/task":/mit/elsewhere":' | iconv -f UTF-8 -t UTF-16 >"$work/xml/namespace.xml"
for control in mismatched namespace; do
    if schtasks /create /tn "$control" /xml "$(windows_path "$work/xml/$control.xml")" /f; then
        fail "Wine accepted the $control control file"
    fi
    [ ! -e "$tasks/$control" ] || fail "the refused $control control file left a task behind"
done

[ "$(wc -l <"$work/names")" -ge 4 ] || fail "fewer samples than expected"
if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all $(wc -l <"$work/names") rendered task files registered and deleted by Wine's schtasks.exe"
