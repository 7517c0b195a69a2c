//! `bench-timer N CMD [ARGS...]`: run CMD N times (after one warm-up run,
//! output discarded) and print one line `median_us=M min_us=A max_us=B
//! maxrss_kb=R` where R is the largest peak RSS of any run (wait4's
//! rusage). Busybox in the test VM has no sub-second clock, hence this.

use std::ffi::CString;
use std::process::exit;
use std::time::Instant;

fn run_once(argv: &[CString]) -> Result<(u128, i64), String> {
    let start = Instant::now();
    // SAFETY: fork/exec/wait4 with argv built from valid C strings; the child
    // only calls async-signal-safe functions before exec.
    unsafe {
        let pid = libc::fork();
        if pid < 0 {
            return Err("fork failed".into());
        }
        if pid == 0 {
            let devnull = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
            if devnull >= 0 {
                libc::dup2(devnull, 1);
                libc::dup2(devnull, 2);
            }
            let mut ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
            ptrs.push(std::ptr::null());
            libc::execvp(ptrs[0], ptrs.as_ptr());
            libc::_exit(127);
        }
        let mut status = 0;
        let mut ru: libc::rusage = std::mem::zeroed();
        if libc::wait4(pid, &mut status, 0, &mut ru) < 0 {
            return Err("wait4 failed".into());
        }
        let us = start.elapsed().as_micros();
        if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
            return Err(format!("command failed (status {status})"));
        }
        Ok((us, ru.ru_maxrss))
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || -> ! {
        eprintln!("usage: bench-timer N CMD [ARGS...]");
        exit(2)
    };
    if args.len() < 2 {
        usage();
    }
    let n: usize = args[0].parse().unwrap_or_else(|_| usage());
    let argv: Vec<CString> = match args[1..].iter().map(|a| CString::new(a.as_str())).collect() {
        Ok(v) => v,
        Err(_) => usage(),
    };
    let mut times = Vec::with_capacity(n);
    let mut rss = 0;
    for i in 0..=n {
        match run_once(&argv) {
            Ok((us, kb)) => {
                rss = rss.max(kb);
                if i > 0 {
                    times.push(us);
                }
            }
            Err(e) => {
                eprintln!("bench-timer: {}: {e}", args[1]);
                exit(1)
            }
        }
    }
    times.sort_unstable();
    let median = times.get(times.len() / 2).copied().unwrap_or(0);
    let min = times.first().copied().unwrap_or(0);
    let max = times.last().copied().unwrap_or(0);
    println!("median_us={median} min_us={min} max_us={max} maxrss_kb={rss}");
}
