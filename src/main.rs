//! The `policy-admin` command: a thin shell over [`policy_admin::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    policy_admin::cli::main()
}
