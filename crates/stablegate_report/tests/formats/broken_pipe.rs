//! A reader that goes away: the error comes back, the verdict stays.

use std::io::{self, Write};

use stablegate_model::Status;
use stablegate_report::{render, Format, Style};

use crate::fixture;

/// Accepts `budget` bytes, then fails every write with a broken pipe.
struct ClosingPipe {
    budget: usize,
}

impl Write for ClosingPipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.budget == 0 {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "reader went away",
            ));
        }
        let taken = buf.len().min(self.budget);
        self.budget -= taken;
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failed_write_returns_the_error_and_leaves_the_report_red() {
    let report = fixture::report();
    let before = report.clone();
    for format in Format::ALL {
        for budget in [0, 1, 100] {
            let mut pipe = ClosingPipe { budget };
            let result = render(
                &report,
                format,
                &fixture::sources(),
                &Style::COLOR,
                &mut pipe,
            );
            let error = result.expect_err(format.name());
            assert_eq!(
                error.kind(),
                io::ErrorKind::BrokenPipe,
                "{format} after {budget} bytes"
            );
            assert_eq!(report, before, "{format}");
            assert_eq!(report.status(), Status::Fail, "{format}");
            assert_eq!(report.summary().gates.fail, 2, "{format}");
        }
    }
}
