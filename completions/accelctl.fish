# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_accelctl_global_optspecs
    string join \n j/json p/pretty v/verbose h/help V/version
end

function __fish_accelctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_accelctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_accelctl_using_subcommand
    set -l cmd (__fish_accelctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c accelctl -n "__fish_accelctl_needs_command" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_needs_command" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_needs_command" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_needs_command" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_needs_command" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_needs_command" -f -a "dev" -d 'Accelerator devices'
complete -c accelctl -n "__fish_accelctl_needs_command" -f -a "health" -d 'Health reporters: state, error and recovery counters, diagnose and dump'
complete -c accelctl -n "__fish_accelctl_needs_command" -f -a "monitor" -d 'Print device add/remove, info-change and health events as they happen, until interrupted'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and not __fish_seen_subcommand_from show info" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and not __fish_seen_subcommand_from show info" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and not __fish_seen_subcommand_from show info" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and not __fish_seen_subcommand_from show info" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and not __fish_seen_subcommand_from show info" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and not __fish_seen_subcommand_from show info" -f -a "show" -d 'List all devices, or show the details of one device'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and not __fish_seen_subcommand_from show info" -f -a "info" -d 'Show serial number and versions (fixed, running, stored) of all devices or one'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from show" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from show" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from info" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from info" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from info" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand dev; and __fish_seen_subcommand_from info" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -f -a "show" -d 'List the health reporters of all devices or of DEV, or show one'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -f -a "set" -d 'Set the grace period, auto-recover or auto-dump of a reporter'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -f -a "recover" -d 'Recover a reporter from its error now'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -f -a "diagnose" -d 'Show the driver\'s diagnosis of a reporter\'s current state'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -f -a "test" -d 'Make the driver report a test error through a reporter'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -f -a "dump" -d 'Show or clear the stored dump of a reporter'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and not __fish_seen_subcommand_from show set recover diagnose test dump check" -f -a "check" -d 'Exit with status 3 if a reporter of any device, or of DEV, is in error'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from show" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from show" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from set" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from set" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from recover" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from recover" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from recover" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from recover" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from recover" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from diagnose" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from diagnose" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from diagnose" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from diagnose" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from diagnose" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from test" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from test" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from test" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from dump" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from dump" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from dump" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from dump" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from dump" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from dump" -f -a "show" -d 'Show the stored dump of a reporter, taking one first if none is stored'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from dump" -f -a "clear" -d 'Delete the stored dump of a reporter'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from check" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from check" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand health; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c accelctl -n "__fish_accelctl_using_subcommand monitor" -s j -l json -d 'Output JSON (see the JSON OUTPUT section of accelctl(8))'
complete -c accelctl -n "__fish_accelctl_using_subcommand monitor" -s p -l pretty -d 'Pretty-print JSON output (implies nothing without -j)'
complete -c accelctl -n "__fish_accelctl_using_subcommand monitor" -s v -l verbose -d 'Print netlink debugging (family id, groups, messages) on stderr'
complete -c accelctl -n "__fish_accelctl_using_subcommand monitor" -s h -l help -d 'Print help'
complete -c accelctl -n "__fish_accelctl_using_subcommand monitor" -s V -l version -d 'Print version'
