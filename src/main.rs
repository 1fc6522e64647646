//! The `redline` command line. Thin: parse the arguments, run one command, map the outcome to
//! the exit codes of the README (0 ok, 1 what it checks failed, 2 it could not do what was
//! asked) and print errors once, on stderr.

mod cli;

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a comparison allocates hundreds of thousands of
/// small strings and sets on three or four threads, and glibc's per-thread arenas grew and faulted
/// in page by page (about 1,900 page faults per real-policy diff, 400 with mimalloc; the diff's
/// CPU time fell by about a tenth). Its v2 line (the `v2` feature) measured about 1 ms of CPU
/// per diff faster than v3.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::main()
}
