#!/usr/bin/env bash
# Drives the real shells with the completion scripts ductor generated:
#   check_completion.sh DUCTOR COMPLETIONS_DIR (holding ductor.bash, ductor.zsh, ductor.fish)
# Each shell must offer the commands, a command's options, a fixed set of
# values (--restart), and the names asked from ductor at completion time: a
# backend from the plugins found and a service from the install records.
set -euo pipefail
ductor=$1
scripts=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ductor as the user has it: on PATH, with one recorded service in its own home.
mkdir -p "$work/bin" "$work/home/services"
ln -s "$ductor" "$work/bin/ductor"
: >"$work/home/services/completion-bot.record"
export PATH="$work/bin:$PATH" DUCTOR_HOME="$work/home" HOME="$work"
backend=$(ductor __complete backends | head -n 1)
[[ -n $backend ]] || { echo "FAIL: 'ductor __complete backends' named no backend"; exit 1; }
[[ $(ductor __complete services) == completion-bot ]] || { echo "FAIL: __complete services"; exit 1; }

failures=0
# expect SHELL WHAT OUTPUT WORD...: every WORD is a line of OUTPUT (a candidate, fish's before its tab).
expect() {
    local shell=$1 what=$2 output=$3 word
    shift 3
    for word in "$@"; do
        if ! cut -f1 <<<"$output" | grep -qxF -- "$word"; then
            echo "FAIL: $shell, $what: '$word' not offered; got:"
            sed 's/^/    /' <<<"$output"
            failures=$((failures + 1))
        fi
    done
}
# refuse SHELL WHAT OUTPUT WORD: WORD must not be offered.
refuse() {
    if cut -f1 <<<"$3" | grep -qxF -- "$4"; then
        echo "FAIL: $1, $2: '$4' offered"
        failures=$((failures + 1))
    fi
}

# bash: the script registers itself; _ductor fills COMPREPLY from COMP_WORDS.
bash_complete() {
    bash --norc --noprofile -c 'source "$1"; shift
        complete -p ductor >/dev/null || exit 3
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ductor; printf "%s\n" "${COMPREPLY[@]}"' \
        bash "$scripts/ductor.bash" "$@"
}
[[ $(bash --norc --noprofile -c 'source "$1"; complete -p ductor' bash "$scripts/ductor.bash") == "complete -F _ductor ductor" ]] ||
    { echo "FAIL: bash: complete -p ductor"; failures=$((failures + 1)); }
expect bash commands "$(bash_complete ductor '')" service plugins run stop boot doctor completion
refuse bash commands "$(bash_complete ductor '')" __complete
expect bash "service actions" "$(bash_complete ductor service '')" install start stop restart status logs uninstall list
expect bash "install options" "$(bash_complete ductor service install --)" --name --restart --env --dry-run --backend
expect bash "logs options" "$(bash_complete ductor --backend x service logs -)" -n --lines --follow
refuse bash "logs options" "$(bash_complete ductor service logs -)" --json
expect bash "--restart values" "$(bash_complete ductor service install --restart '')" never on-failure always
expect bash "--log-to values" "$(bash_complete ductor run --log-to '')" file stdout both
expect bash "--backend values" "$(bash_complete ductor plugins --backend '')" "$backend"
expect bash "--name values" "$(bash_complete ductor service --name '')" completion-bot
# A folder whose name has a blank and a glob character is one candidate, not three.
mkdir -p "$work/cwd/my dir*"
expect bash "a folder with a blank" "$(cd "$work/cwd" && bash_complete ductor service install --workdir my)" "my dir*"
# A plugin file whose name would run a command on the line is never offered.
mkdir -p "$work/odd"
: >"$work/odd/\$(touch pwned).so"
: >"$work/odd/plain-one.so"
odd=$(ductor --plugin-dir "$work/odd" __complete backends)
expect ductor "__complete backends, a plain name" "$odd" plain-one
refuse ductor "__complete backends, a name with shell syntax" "$odd" "\$(touch pwned)"
expect bash "--name values" "$(bash_complete ductor service status --name comp)" completion-bot

# zsh: compinit finds _ductor on fpath and binds it to ductor; compadd and
# _files are stood in for (they work only inside the line editor's widget).
mkdir -p "$work/zfunc"
cp "$scripts/ductor.zsh" "$work/zfunc/_ductor"
zsh_complete() {
    zsh -f -c 'fpath=("$1" $fpath); shift
        autoload -Uz compinit && compinit -u -D
        [[ ${_comps[ductor]} == _ductor ]] || exit 3
        compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; print -rl -- "$@"; }
        _files() { print -r -- "<files>"; }
        words=("$@"); CURRENT=$#; _ductor' zsh "$work/zfunc" "$@"
}
expect zsh commands "$(zsh_complete ductor '')" service plugins run stop boot doctor completion
expect zsh "service actions" "$(zsh_complete ductor service '')" install start stop restart status logs uninstall list
expect zsh "install options" "$(zsh_complete ductor service install --)" --name --restart --env --dry-run
expect zsh "--restart values" "$(zsh_complete ductor service install --restart '')" never on-failure always
expect zsh "--backend values" "$(zsh_complete ductor --backend '')" "$backend"
expect zsh "--name values" "$(zsh_complete ductor stop --name '')" completion-bot
expect zsh "--workdir" "$(zsh_complete ductor run --workdir '')" "<files>"

# fish: complete -C prints what fish would offer for the command line.
fish_complete() {
    fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$scripts/ductor.fish" "$1"
}
expect fish commands "$(fish_complete 'ductor ')" service plugins run stop boot doctor completion
refuse fish commands "$(fish_complete 'ductor ')" __complete
expect fish "service actions" "$(fish_complete 'ductor serv')" service
expect fish "service actions" "$(fish_complete 'ductor service ')" install start stop restart status logs uninstall list
expect fish "install options" "$(fish_complete 'ductor service install --')" --name --restart --env --dry-run
expect fish "--restart values" "$(fish_complete 'ductor service install --restart ')" never on-failure always
expect fish "--backend values" "$(fish_complete 'ductor plugins --backend ')" "$backend"
expect fish "--name values" "$(fish_complete 'ductor service logs --name ')" completion-bot

if ((failures > 0)); then
    echo "$failures completion checks failed"
    exit 1
fi
echo "bash, zsh and fish complete ductor's commands, options and values"
