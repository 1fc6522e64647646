//! The `redline` command line. Thin: parse the arguments, run one command, map the outcome to
//! the exit codes of the README (0 ok, 1 what it checks failed, 2 it could not do what was
//! asked) and print errors once, on stderr.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
