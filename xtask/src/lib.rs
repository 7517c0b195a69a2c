//! Generates accelctl's man pages (man/) and shell completions (completions/)
//! from the clap definitions, plus the hand-written sections clap cannot know.
//! `cargo run -p xtask -- gen` writes them; `tests/current.rs` checks that the
//! committed files match.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use clap_complete::Shell;

/// The published JSON Schema of accelctl's output, relative to the repo root.
pub const SCHEMA: &str = "accelctl/schema/accelctl.schema.json";

pub mod codec;
pub mod family;
use clap_mangen::Man;

const MANUAL: &str = "System Administration";

const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
.B 0
Success.
.TP
.B 1
The command failed: the device does not exist, the kernel refused the
request (its extended error message is printed, escaped like all output),
output could not be produced, or
.B accelctl health check
could see no device at all (another network namespace, say), so it
checked nothing.
.TP
.B 2
Usage error: unknown object, command, option or keyword, or a malformed
argument such as a DEV that is not one of the accepted forms or a keyword
value of the wrong type.
.TP
.B 3
.B accelctl health check
found a health reporter in the error state (the command itself worked).
.PP
A closed standard output (for example piping into
.BR head (1))
is not an error: accelctl stops quietly with status 0, except that
.B accelctl health check
still exits with status 3 when it found a reporter in error.
"#;

const JSON_OUTPUT: &str = r#".SH "JSON OUTPUT"
With
.BR \-j ,
standard output carries exactly one JSON document per command (per event
for
.BR monitor ,
one object per line), always with a
.B version
member (currently 2). Numbers are raw values as the kernel reports them
(PCIe link speeds in MT/s per lane); absent attributes are
.BR null .
A 64\-bit value (the device
.BR id ,
counters, integers of diagnose and dump trees) is a JSON number when its
magnitude is at most 2^53\-1, which every JSON reader represents exactly,
and a string of decimal digits otherwise. Timestamps are RFC 3339 strings
in UTC with nanoseconds.
When a command fails, standard output still carries a valid document,
.BR {"version":\ 2,\ "error":\ {"message":\ "..."}} ,
and the human-readable message goes to standard error.
.PP
The documents are described by the JSON Schema (draft 2020\-12)
.IR accelctl/schema/accelctl.schema.json
in the accelctl sources.
"#;

const DEV_HANDLES: &str = r#".SH "DEVICE HANDLES"
DEV names one accelerator in any of these forms:
.TP
.B accel0
the device name,
.TP
.B 0
its index (minor number),
.TP
.B /dev/accel/accel0
its device node,
.TP
.B pci/0000:03:00.0
the bus and name of its parent device, as
.BR devlink (8)
handles.
"#;

const FALLBACK: &str = r#".SH NOTES
On a kernel without the
.B accel
generic netlink family (or outside the initial network namespace),
.B accelctl dev show
prints a warning and lists devices from
.I /sys/class/accel
instead; JSON output then has
.BR "\(dqsource\(dq: \(dqsysfs\(dq" .
"#;

const DEV_INFO: &str = r#".SH "DEVICE INFORMATION"
.B accelctl dev info
shows what the driver reports through the kernel's info-get request: the
serial number and the versions of the device's components in three groups,
.B fixed
(hardware identifiers and revisions, e.g.
.BR board.id ,
.BR asic.rev ),
.B running
(firmware executing now) and
.B stored
(firmware that runs after the next reset or activation). Version names are
the generic names of the kernel's
.I Documentation/accel/info.rst
.RB ( fw ,
.BR fw.boot ,
.BR fw.mgmt ,
.BR fw.app ,
.BR fw.bundle_id ,
.BR board.id ,
.BR board.rev ,
.BR board.manufacture ,
.BR asic.id ,
.BR asic.rev )
or start with the driver name and a dot. Each group lists its versions in
the driver's order.
.PP
The text output has one block per device: a
.IB NAME : " BUS" / DEVNAME
header as in
.BR "accelctl dev show DEV" ,
then the serial number (omitted when the driver reports none) and the
groups that have versions; a device whose driver failed to report its
information (in a dump of all devices, which goes on with the others)
shows an
.B error:
line with the reason instead:
.PP
.nf
.RS
accel0: accel_sim/accel_sim0
  serial_number SN\-accel_sim0
  versions:
    fixed:
      board.id ACCEL\-SIM\-B1
    running:
      fw 1.0.0
    stored:
      fw 1.1.0 (pending activation)
.RE
.fi
.PP
A stored version is marked
.B (pending activation)
when no running version has the same name and value, that is when the
running version of that name differs or is missing: it runs after the next
reset or activation. A device whose driver reports no versions shows
.BR "versions: none reported by the driver" .
.PP
Text output prints the strings of the driver and kernel as they are,
except that characters which could drive or disguise the terminal are
escaped: control characters (ESC, CR, LF, TAB, DEL, ...) as
.BI \(rsx NN
(two hex digits), and invisible Unicode format characters (bidirectional
overrides, zero-width characters, U+2028/U+2029 line separators) as
.BI \(rsu{ NNNN }\fR.\fP
A backslash itself is not escaped. JSON output carries every string
verbatim (JSON's own escaping only).
.PP
With
.BR \-j ,
the document is
.BR {"version":\ 1,\ "devices":\ [...]} ;
each device has
.B index
(number),
.BR name ,
.B handle
.RI ( bus_name / dev_name ),
.BR bus_name ,
.BR dev_name ,
.B error
(null, or
.B errno
and
.B message
when the driver failed),
.B serial_number
(a string, or
.B null
when absent),
.B versions
(an object with the arrays
.BR fixed ,
.B running
and
.BR stored ,
always present, possibly empty, of
.BR {"name":\ ...,\ "value":\ ...} )
and
.B pending_activation
(the names of the stored versions marked pending, in stored order).
.PP
The command needs the kernel's accel netlink family: there is no sysfs
fallback, and on a kernel without it the command fails with status 1.
"#;

const HEALTH: &str = r#".SH "HEALTH REPORTERS"
A driver registers health reporters for the parts of a device that can
fail, each with a name unique within the device (for example
.BR fw ).
When the driver reports an error, the reporter counts it, records its time
and message and enters the
.B error
state. If
.B auto_dump
is on and no dump is stored, the reporter takes a dump of the device state
(kept until cleared, so it shows the state at the first error); if
.B auto_recover
is on, it recovers, and a successful recovery counts and returns it to
.BR healthy .
An error reported within
.B grace_period
milliseconds after a recovery, or while the reporter is already in error,
is not recovered from automatically, and a requested recovery within the
grace period is refused, so that a device cannot loop through recoveries.
Automatic dumps and recoveries run shortly after the report; watch them
with
.BR accelctl\-monitor (8).
.PP
Reporters without a recover operation have no grace period and no
auto-recover, reporters without a dump operation no auto-dump: those
settings are then not shown (text) or
.B null
(JSON), and cannot be set.
.PP
Reading reporters needs no privileges;
.BR set ,
.BR recover ,
.BR diagnose ,
.BR test ,
.B dump show
and
.B dump clear
need CAP_NET_ADMIN. Keywords are exact, values are typed:
.B grace_period
takes milliseconds as a decimal number, at most 86400000 (a day),
.B auto_recover
and
.B auto_dump
take
.B true
or
.BR false .
.B set
needs at least one of them.
.BR set ,
.BR recover ,
.B test
and
.B dump clear
print nothing on success.
.SS "Text output"
.B health show
prints a block per device, as
.B accelctl dev show DEV
starts, and one per reporter below it; attributes that do not apply are
left out, times are UTC (RFC 3339, nanoseconds), the grace period is in
milliseconds:
.PP
.nf
.RS
accel0: accel_sim/accel_sim0
  reporter dummy
    state error
    error_count 2
    recover_count 1
    last_error_ts 2023\-11\-14T22:13:20.123456789Z
    last_error_msg firmware timeout
    grace_period 0
    auto_recover true
    auto_dump true
    dump_ts 2023\-11\-14T22:13:20.125000000Z
  reporter empty
    state healthy
    error_count 0
    recover_count 0
.RE
.fi
.PP
.B health diagnose
and
.B health dump show
print the reporter's header line (for a dump, with the time it was taken, if the kernel
reports it), then the driver's tree indented below it: a value as
.IR "NAME VALUE" ,
an object or array as
.IB NAME :
with its contents indented by two more spaces, or as
.IB NAME " {}"
and
.IB NAME " []"
when empty. Array elements are labelled by position,
.BR [0] ,
.BR [1] ,
\&... Binary values are printed as hexadecimal bytes, 16 per line, an
empty one as
.BR (empty) .
A string value is printed bare, unless it is empty, contains white space,
.B \(dq
or
.BR \(rs ,
or would read as a value of another type
.RB ( true ,
.BR false ,
a number, a single hexadecimal byte such as
.BR 0f ,
.BR (empty) ,
.BR [] ,
.BR {} ):
then it is printed in double quotes, with
.B \(dq
and
.B \(rs
escaped as
.B \(rs\(dq
and
.BR \(rs\(rs ;
the empty string is
.BR \(dq\(dq ,
a log line such as
.B entry 0
in an array is
.BR "[0] \(dqentry 0\(dq" .
Names are quoted the same way when they are empty, contain white space,
.B \(dq
or
.BR \(rs ,
or end with
.BR : .
For example:
.PP
.nf
.RS
accel0: accel_sim/accel_sim0 reporter dummy
  values:
    bool true
    u32 4294967295
    s64 \-9223372036854775808
    string accel_sim
    empty_string ""
    binary 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
  array:
    [0] 1
    [1] 2
  nested:
    [0]:
      name a
    [1] []
.RE
.fi
.PP
.B health check
prints nothing and exits with status 0 when every reporter (of DEV, or of
all devices) is healthy; otherwise it prints one line per reporter in
error and exits with status 3 (also when standard output is a closed pipe,
so the status can be relied on):
.PP
.nf
.RS
accel0 reporter dummy: error: firmware timeout (errors 2, recovered 1)
.RE
.fi
.PP
Strings from the kernel and the driver are escaped as in
.BR accelctl\-dev (8):
control characters as
.BI \(rsx NN\fR,\fP
invisible format characters as
.BI \(rsu{ NNNN }\fR.\fP
.SS "JSON output"
A reporter is an object with the device's
.BR id ,
.BR index ,
.BR name ,
.BR handle ,
.B bus_name
and
.B dev_name
(as in
.BR "accelctl \-j dev info" ),
then
.B reporter
(its name),
.B state
.RB ( \(dqhealthy\(dq ,
.B \(dqerror\(dq
or, for a state this accelctl does not know,
.BR \(dqunknown\(dq ),
.BR error_count ,
.BR recover_count ,
.B last_error_time
(RFC 3339, UTC, nanoseconds),
.BR last_error_msg ,
.BR grace_period_ms ,
.BR auto_recover ,
.B auto_dump
and
.BR dump_time ,
each
.B null
when absent.
.B health show
prints
.BR {"version":\ 2,\ "reporters":\ [...]} ;
.B diagnose
and
.B dump show
print
.BR {"version":\ 2,\ "reporter":\ {...},\ "tree":\ [...]} ,
where each node of the tree is one of
.PP
.nf
.RS
{"name": ..., "type": "object", "members": [...]}
{"name": ..., "type": "array", "elements": [...]}
{"name": ..., "type": TYPE, "value": ...}
.RE
.fi
.PP
with TYPE one of
.BR bool ,
.B uint
and
.B sint
(integers of up to 64 bits: numbers, or digit strings beyond 2^53\-1),
.B string
and
.B binary
(lowercase hexadecimal without separators);
.B name
is
.B null
for array elements.
.B health check
always prints
.BR {"version":\ 1,\ "healthy":\ BOOL,\ "unhealthy":\ [...]}
with the reporters in error; the exit status is as without
.BR \-j .
"#;

const EXAMPLES_HEALTH: &str = r#".SH EXAMPLES
.TP
.B accelctl health show
List every health reporter of every device.
.TP
.B accelctl health show accel0 reporter fw
Show one reporter.
.TP
.B accelctl health set accel0 reporter fw grace_period 60000 auto_recover true
Recover automatically, at most once a minute.
.TP
.B accelctl health recover accel0 reporter fw
Recover now.
.TP
.B accelctl health diagnose accel0 reporter fw
Show what the driver knows about the reporter's current state.
.TP
.B accelctl health dump show accel0 reporter fw; accelctl health dump clear accel0 reporter fw
Read the dump taken at the first error, then delete it so that the next
error takes a fresh one.
.TP
.B accelctl health check || echo unhealthy
Probe the health of all devices (status 3 when a reporter is in error).
.TP
.B accelctl \-j health show | jq \-r '.reporters[] | select(.state == \(dqerror\(dq) | .name + \(dq \(dq + .reporter'
List the reporters in error.
"#;

const EXAMPLES_MAIN: &str = r#".SH EXAMPLES
.TP
.B accelctl dev show
List all accelerators.
.TP
.B accelctl \-jp dev show pci/0000:03:00.0
Show one device as pretty-printed JSON.
.TP
.B accelctl dev info accel0
Show the serial number and firmware versions of one device.
.TP
.B accelctl health show
Show the health reporters of all devices.
.TP
.B accelctl health check
Exit with status 3 if a health reporter of any device is in error.
.TP
.B accelctl monitor
Print device add and remove, device information change and health events
as they happen.
"#;

const EXAMPLES_DEV: &str = r#".SH EXAMPLES
.TP
.B accelctl dev show
List all devices: name, parent handle, driver, NUMA node, PCI ids and the
current/maximum PCIe link, marked degraded when it runs below its maximum.
.TP
.B accelctl dev show accel0
Show every attribute of one device.
.TP
.B accelctl \-j dev show | jq \-r '.devices[].handle'
Print the parent handle of every device.
.TP
.B accelctl dev info
Show serial number and versions of every device.
.TP
.B accelctl \-j dev info | jq \-r '.devices[] | select(.pending_activation != []) | .name'
List the devices with stored firmware waiting for activation.
"#;

const EXAMPLES_MONITOR: &str = r#".SH EXAMPLES
.TP
.B accelctl monitor
Print one line per event, e.g.
.B "[dev,add] accel0: pci/0000:03:00.0"
or, when a driver reports that the device information changed (a firmware
update or activation),
.BR "[info,change] accel0: pci/0000:03:00.0" .
.TP
.B accelctl \-j monitor
Print one JSON object per event and line (JSON Lines), flushed at once:
.B {"version":\ 2,\ "event":\ "dev\-add",\ "device":\ {...}}
(or
.BR dev\-del )
with the device object of
.BR "accelctl \-j dev show" ,
and
.B {"version":\ 2,\ "event":\ "info\-change",\ "info":\ {...}}
with the device object of
.BR "accelctl \-j dev info" .
The text line of an info-change event escapes kernel strings as
.B accelctl dev info
does (see
.BR accelctl\-dev (8));
JSON carries them verbatim.
.TP
.B accelctl monitor
Health reporters print one line per error reported, recovery, and other
change (a setting, a dump taken or cleared), with the reporter's state and
counters:
.BR "[health,error] accel0: accel_sim/accel_sim0 reporter fw: error: firmware timeout (errors 1, recovered 0)" ,
.B "[health,recover] accel0: accel_sim/accel_sim0 reporter fw: healthy (errors 1, recovered 1)"
,
.BR "[health,change] accel0: accel_sim/accel_sim0 reporter fw: healthy (errors 1, recovered 1)" ,
and
.B [health,new]
and
.B [health,del]
lines when a driver creates or destroys a reporter.
Errors reported in quick succession may come as one event: the error
count tells how many there were.
.TP
.B accelctl \-j monitor
Health events are
.B {"version":\ 2,\ "event":\ "health\-error",\ "reporter":\ {...}}
(or
.BR health\-recover ,
.BR health\-change ,
.BR health\-new ,
.BR health\-del )
with the reporter object of
.BR "accelctl \-j health show" .
"#;

const SEE_ALSO: &str = r#".SH "SEE ALSO"
.BR accelctl (8),
.BR accelctl\-dev (8),
.BR accelctl\-health (8),
.BR accelctl\-monitor (8),
.BR devlink (8)
"#;

/// One man page: clap's sections, then ours, in the usual order.
/// `nested`: list the commands of command groups (`health dump show`)
/// rather than the group (`health dump [COMMAND]`), on object pages.
fn page(cmd: clap::Command, title: &str, nested: bool, extra: &[&str]) -> io::Result<Vec<u8>> {
    let man_cmd = &cmd.clone();
    let man = Man::new(cmd).title(title).section("8").manual(MANUAL);
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(commands_section(man_cmd, nested).as_bytes());
    for section in extra {
        out.extend_from_slice(section.as_bytes());
    }
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// A COMMANDS section listing full command lines (`accelctl dev show [DEV]`)
/// instead of clap's per-subcommand page references, which do not exist.
fn commands_section(cmd: &clap::Command, nested: bool) -> String {
    if !cmd.has_subcommands() {
        return String::new();
    }
    let parent = cmd.get_bin_name().unwrap_or(cmd.get_name());
    let mut s = String::from(".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        command_entries(&mut s, parent, sub, nested);
    }
    s
}

fn command_entries(s: &mut String, parent: &str, sub: &clap::Command, nested: bool) {
    let full = format!("{parent} {}", sub.get_name());
    if nested && sub.has_subcommands() && sub.get_positionals().next().is_none() {
        for inner in sub.get_subcommands() {
            command_entries(s, &full, inner, nested);
        }
        return;
    }
    let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
    s.push_str(&format!(
        ".TP\n.B {}\n{}\n",
        roff_escape(&command_line(&full, sub)),
        roff_escape(&about)
    ));
}

/// The synopsis of one command: its override_usage when it has one (the
/// keyword forms of `health`), else built from its positionals. clap has
/// no getter for override_usage, but its own usage always carries
/// `[OPTIONS]` (every command has the global options), an override never.
fn command_line(full: &str, sub: &clap::Command) -> String {
    let usage = sub.clone().render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    if !usage.contains("[OPTIONS]") {
        return usage.trim().to_string();
    }
    let mut line = full.to_string();
    if sub.has_subcommands() {
        line.push_str(" [COMMAND]");
    }
    for arg in sub.get_positionals() {
        let name = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map_or("ARG".to_string(), |n| n.to_string());
        line.push_str(&if arg.is_required_set() {
            format!(" {name}")
        } else {
            format!(" [{name}]")
        });
    }
    line
}

fn roff_escape(s: &str) -> String {
    s.replace('\\', "\\e").replace('-', "\\-")
}

/// Every generated file: (path relative to the repository root, contents).
pub fn render_all() -> io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut root = accelctl::cli::command();
    root.build(); // gives subcommands their "accelctl dev" bin names
    let sub = |name: &str| {
        root.find_subcommand(name)
            .cloned()
            .ok_or_else(|| io::Error::other(format!("no subcommand {name}")))
    };
    let mut files = vec![
        (
            PathBuf::from("man/accelctl.8"),
            page(
                root.clone(),
                "ACCELCTL",
                false,
                &[
                    DEV_HANDLES,
                    EXIT_STATUS,
                    JSON_OUTPUT,
                    FALLBACK,
                    EXAMPLES_MAIN,
                    SEE_ALSO,
                ],
            )?,
        ),
        (
            PathBuf::from("man/accelctl-dev.8"),
            page(
                sub("dev")?,
                "ACCELCTL-DEV",
                true,
                &[
                    DEV_HANDLES,
                    DEV_INFO,
                    EXIT_STATUS,
                    JSON_OUTPUT,
                    FALLBACK,
                    EXAMPLES_DEV,
                    SEE_ALSO,
                ],
            )?,
        ),
        (
            PathBuf::from("man/accelctl-health.8"),
            page(
                sub("health")?,
                "ACCELCTL-HEALTH",
                true,
                &[
                    DEV_HANDLES,
                    HEALTH,
                    EXIT_STATUS,
                    JSON_OUTPUT,
                    EXAMPLES_HEALTH,
                    SEE_ALSO,
                ],
            )?,
        ),
        (
            PathBuf::from("man/accelctl-monitor.8"),
            page(
                sub("monitor")?,
                "ACCELCTL-MONITOR",
                true,
                &[EXIT_STATUS, JSON_OUTPUT, EXAMPLES_MONITOR, SEE_ALSO],
            )?,
        ),
    ];
    for (shell, file) in [
        (Shell::Bash, "completions/accelctl.bash"),
        (Shell::Zsh, "completions/_accelctl"),
        (Shell::Fish, "completions/accelctl.fish"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut accelctl::cli::command(), "accelctl", &mut buf);
        files.push((PathBuf::from(file), buf));
    }
    files.push((
        PathBuf::from(family::OUT),
        family::render_from(&repo_root())?,
    ));
    let mut schema = serde_json::to_string_pretty(&accelctl::output::schema::schema())
        .map_err(io::Error::other)?;
    schema.push('\n');
    files.push((PathBuf::from(SCHEMA), schema.into_bytes()));
    for (rel, data) in codec::render_from(&repo_root())? {
        files.push((PathBuf::from(rel), data));
    }
    Ok(files)
}

/// Write every generated file below `root` (the repository root).
pub fn generate(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (rel, data) in render_all()? {
        let path = root.join(&rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, data)?;
        written.push(path);
    }
    Ok(written)
}

/// The repository root (xtask lives one level below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}
