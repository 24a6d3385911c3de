//! Why a management command failed, and the exit status that says so.
//!
//! | status | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | the execution did not succeed (`sfn start --wait`) |
//! | 2 | bad input: an unreadable file, invalid JSON, an invalid definition, a bad argument, or one the service refused as invalid |
//! | 3 | the service refused the request, or could not be reached |

use std::process::ExitCode;

use sfn_runtime::client::Error;

/// A command's failure: its exit status and a one-line reason for standard error.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Exit status 2: the input or an argument is not valid.
    BadInput(String),
    /// Exit status 2, the reason already printed (a definition's diagnostics).
    Reported,
    /// Exit status 3: the service refused the request or could not be reached.
    Service(String),
}

impl Failure {
    /// The exit status.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Failure::BadInput(_) | Failure::Reported => ExitCode::from(2),
            Failure::Service(_) => ExitCode::from(3),
        }
    }

    /// Prints the reason on standard error, as `sfn COMMAND: reason` on one line, and
    /// returns the exit status.
    pub(crate) fn report(&self, command: &str) -> ExitCode {
        match self {
            Failure::BadInput(m) | Failure::Service(m) => {
                eprintln!("sfn {command}: {}", one_line(m));
            }
            Failure::Reported => {}
        }
        self.exit_code()
    }
}

impl From<Error> for Failure {
    /// Arguments the client or the service found invalid are bad input (2); anything
    /// else the service answered, or not reaching it, is the service's refusal (3).
    fn from(e: Error) -> Self {
        let message = e.to_string();
        match e {
            Error::InvalidArgument(_)
            | Error::InvalidDefinition { .. }
            | Error::InvalidArn { .. }
            | Error::InvalidName { .. }
            | Error::InvalidExecutionInput { .. }
            | Error::Validation { .. }
            | Error::Decode { .. } => Failure::BadInput(message),
            _ => Failure::Service(message),
        }
    }
}

/// `text` on one line: its lines joined with `; `.
pub(crate) fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_statuses_by_error() {
        let code = |e: Error| Failure::from(e).exit_code();
        assert_eq!(code(Error::InvalidArgument("x".into())), ExitCode::from(2));
        assert_eq!(
            code(Error::from_service("InvalidArn", "x")),
            ExitCode::from(2)
        );
        assert_eq!(
            code(Error::from_service("StateMachineDoesNotExist", "x")),
            ExitCode::from(3)
        );
        assert_eq!(
            code(Error::Transport {
                message: "refused".into()
            }),
            ExitCode::from(3)
        );
    }

    #[test]
    fn reasons_fit_on_one_line() {
        assert_eq!(one_line("a\n  b\n\nc"), "a; b; c");
    }
}
