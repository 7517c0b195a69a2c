
_clap_complete_accelctl() {
    local IFS=$'\013'
    local _CLAP_COMPLETE_INDEX=${COMP_CWORD}
    local _CLAP_COMPLETE_COMP_TYPE=${COMP_TYPE}
    if compopt +o nospace 2> /dev/null; then
        local _CLAP_COMPLETE_SPACE=false
    else
        local _CLAP_COMPLETE_SPACE=true
    fi
    # accelctl: rejoin words split at ':' (pci/0000:03:00.0 is one word)
    local words=() _w _i _pos=0 _rest _gap _n
    for ((_i = 0; _i <= COMP_CWORD; _i++)); do
        _w=${COMP_WORDS[_i]}
        _rest=${COMP_LINE:_pos}
        _gap=${_rest%%[![:space:]]*}
        _pos=$((_pos + ${#_gap} + ${#_w}))
        if ((_i == COMP_CWORD)) && [[ $_w != :* ]]; then
            _w=$2
        fi
        _n=${#words[@]}
        if ((_n > 1)) && [[ -z $_gap ]] && [[ $_w == :* || ${words[_n-1]} == *: ]]; then
            words[_n-1]+=$_w
        else
            words+=("$_w")
        fi
    done
    _CLAP_COMPLETE_INDEX=$((${#words[@]} - 1))
    COMPREPLY=( $( \
        _CLAP_IFS="$IFS" \
        _CLAP_COMPLETE_INDEX="$_CLAP_COMPLETE_INDEX" \
        _CLAP_COMPLETE_COMP_TYPE="$_CLAP_COMPLETE_COMP_TYPE" \
        _CLAP_COMPLETE_SPACE="$_CLAP_COMPLETE_SPACE" \
        COMPLETE="bash" \
        "accelctl" -- "${words[@]}" \
    ) )
    if [[ $? != 0 ]]; then
        unset COMPREPLY
    elif [[ $_CLAP_COMPLETE_SPACE == false ]] && [[ "${COMPREPLY-}" =~ [=/:]$ ]]; then
        compopt -o nospace
    fi
    local _cur=${words[_CLAP_COMPLETE_INDEX]}
    if [[ $_cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
        local _pre=${_cur%"${_cur##*:}"}
        COMPREPLY=("${COMPREPLY[@]#"$_pre"}")
    fi
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -o nospace -o nosort -F _clap_complete_accelctl accelctl
else
    complete -o nospace -F _clap_complete_accelctl accelctl
fi

