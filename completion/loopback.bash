# SPDX-License-Identifier: MIT
# bash completion for loopback(1). The verbs come from `loopback --help`
# and each verb's options from `loopback VERB --help` (bash-completion's
# _parse_help, plus every --option its help names), so a new verb or option
# is completed without touching this file. Option values: --pid from
# /proc, --user from the user database, --netns from /run/netns (the
# namespaces `ip netns` made) and PIDs, --batch= and --owner-scan= their modes; after `--`
# in run and wait, a command and its arguments.

# _loopback_help PROG [VERB]: the help text, cached per program and verb.
_loopback_help()
{
	local key="$1 ${2-}"
	declare -gA _loopback_help_cache 2>/dev/null || return 0
	if [[ -z ${_loopback_help_cache[$key]+set} ]]; then
		_loopback_help_cache[$key]=$(LC_ALL=C "$1" ${2:+"$2"} --help 2>/dev/null)
	fi
	printf '%s\n' "${_loopback_help_cache[$key]}"
}

# The verbs: the lines of the "Verbs:" block of `loopback --help`.
_loopback_verbs()
{
	_loopback_help "$1" | awk '/^Verbs:/ { on = 1; next } on && /^$/ { exit }
		on && /^  [a-z]/ { print $1 }'
}

# Every option the verb's help names: _parse_help's pick per line, plus
# each -x / --xxx token on option lines (lines such as "-t, --tcp, -u,
# --udp, -4, -6" name several).
_loopback_options()
{
	local help
	help=$(_loopback_help "$1" "$2")
	{
		if declare -F _parse_help >/dev/null; then
			_parse_help - <<<"$help"
		fi
		grep -E '^[[:space:]]+-' <<<"$help" | grep -oE '(^|[ ,])--?[a-zA-Z0-9][a-zA-Z0-9-]*=?' |
			sed 's/^[ ,]*//'
	} | sort -u
}

_loopback_pids()
{
	local p pids=()
	for p in /proc/[0-9]*; do pids+=("${p#/proc/}"); done
	COMPREPLY=($(compgen -W "${pids[*]}" -- "$1"))
}

_loopback()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n = || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	local prog=${words[0]} verb="" i
	command -v "$prog" >/dev/null 2>&1 || prog=loopback

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) verb=${words[i]}; break ;;
		esac
	done

	if [[ -z $verb ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_loopback_verbs "$prog")" -- "$cur"))
		fi
		return
	fi

	# run -- CMD ..., wait HOST:PORT -- CMD ...: complete the command.
	for ((i = i + 1; i < cword; i++)); do
		if [[ ${words[i]} == -- ]]; then
			if declare -F _command_offset >/dev/null; then
				_command_offset $((i + 1))
			else
				COMPREPLY=($(compgen -c -- "$cur"))
			fi
			return
		fi
	done

	case $prev in
	--pid|-p)
		[[ $verb == ls || $verb == wait ]] && { _loopback_pids "$cur"; return; }
		;;
	--user)
		COMPREPLY=($(compgen -u -- "$cur"))
		return
		;;
	--netns)
		local ns=() f
		for f in /run/netns/*; do [[ -e $f ]] && ns+=("$f"); done
		COMPREPLY=($(compgen -W "${ns[*]}" -- "$cur"))
		[[ $cur == /* ]] && COMPREPLY+=($(compgen -f -- "$cur"))
		[[ $cur =~ ^[0-9]+$ ]] && { local save=("${COMPREPLY[@]}"); _loopback_pids "$cur"; COMPREPLY+=("${save[@]}"); }
		return
		;;
	--count|-n|--range|--timeout|-t|--env|-e|--allow)
		# -t is --timeout only for wait; elsewhere it is --tcp.
		if [[ $prev != -t || $verb == wait ]]; then
			return
		fi
		;;
	esac

	case $cur in
	--batch=*)
		COMPREPLY=($(compgen -W "addr endpoint" -- "${cur#--batch=}"))
		return
		;;
	--owner-scan=*)
		COMPREPLY=($(compgen -W "auto proc bpf" -- "${cur#--owner-scan=}"))
		return
		;;
	-*)
		COMPREPLY=($(compgen -W "$(_loopback_options "$prog" "$verb")" -- "$cur"))
		[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
		return
		;;
	esac
}
complete -F _loopback loopback
