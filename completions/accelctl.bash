_accelctl() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="accelctl"
                ;;
            accelctl,dev)
                cmd="accelctl__subcmd__dev"
                ;;
            accelctl,health)
                cmd="accelctl__subcmd__health"
                ;;
            accelctl,monitor)
                cmd="accelctl__subcmd__monitor"
                ;;
            accelctl__subcmd__dev,info)
                cmd="accelctl__subcmd__dev__subcmd__info"
                ;;
            accelctl__subcmd__dev,show)
                cmd="accelctl__subcmd__dev__subcmd__show"
                ;;
            accelctl__subcmd__health,check)
                cmd="accelctl__subcmd__health__subcmd__check"
                ;;
            accelctl__subcmd__health,diagnose)
                cmd="accelctl__subcmd__health__subcmd__diagnose"
                ;;
            accelctl__subcmd__health,dump)
                cmd="accelctl__subcmd__health__subcmd__dump"
                ;;
            accelctl__subcmd__health,recover)
                cmd="accelctl__subcmd__health__subcmd__recover"
                ;;
            accelctl__subcmd__health,set)
                cmd="accelctl__subcmd__health__subcmd__set"
                ;;
            accelctl__subcmd__health,show)
                cmd="accelctl__subcmd__health__subcmd__show"
                ;;
            accelctl__subcmd__health,test)
                cmd="accelctl__subcmd__health__subcmd__test"
                ;;
            accelctl__subcmd__health__subcmd__dump,clear)
                cmd="accelctl__subcmd__health__subcmd__dump__subcmd__clear"
                ;;
            accelctl__subcmd__health__subcmd__dump,show)
                cmd="accelctl__subcmd__health__subcmd__dump__subcmd__show"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        accelctl)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version dev health monitor"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__dev)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version show info"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__dev__subcmd__info)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__dev__subcmd__show)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version show set recover diagnose test dump check"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health__subcmd__check)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health__subcmd__diagnose)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health__subcmd__dump)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version show clear"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health__subcmd__dump__subcmd__clear)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health__subcmd__dump__subcmd__show)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health__subcmd__recover)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health__subcmd__set)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health__subcmd__show)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__health__subcmd__test)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        accelctl__subcmd__monitor)
            opts="-j -p -v -h -V --json --pretty --verbose --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _accelctl -o nosort -o bashdefault -o default accelctl
else
    complete -F _accelctl -o bashdefault -o default accelctl
fi
