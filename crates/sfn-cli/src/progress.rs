//! The progress line `sfn start --wait` keeps on standard error while the execution
//! runs: the time since it started, the state running now and the number of events.
//! On a terminal the line is rewritten in place; otherwise a line is written each time
//! the state running changes.

use std::{io::Write, time::Instant};

use sfn_runtime::client::HistoryEvent;

use crate::run::elapsed_text;

/// Erases the terminal's current line and returns to its start.
const CLEAR_LINE: &str = "\r\x1b[2K";

/// What the execution is doing, as the events told it.
pub(crate) struct Progress<W: Write> {
    out: W,
    /// Whether `out` is a terminal: one line rewritten in place.
    terminal: bool,
    started: Instant,
    events: usize,
    /// The states entered and not yet exited, oldest first (several in a Map or
    /// Parallel state).
    running: Vec<String>,
    /// Set when the execution has ended: how.
    ended: Option<String>,
    /// The activity the line shows.
    shown: Option<String>,
}

impl<W: Write> Progress<W> {
    /// Progress written to `out`, rewritten in place when `terminal`.
    pub(crate) fn new(out: W, terminal: bool) -> Self {
        Progress {
            out,
            terminal,
            started: Instant::now(),
            events: 0,
            running: Vec::new(),
            ended: None,
            shown: None,
        }
    }

    /// Takes in the next event of the execution.
    pub(crate) fn event(&mut self, e: &HistoryEvent) {
        self.events += 1;
        let t = e.event_type.as_str();
        let name = e.name().map(str::to_owned);
        if t.ends_with("StateEntered") {
            if let Some(n) = name {
                self.running.push(n);
            }
        } else if t.ends_with("StateExited") {
            if let Some(n) = name
                && let Some(i) = self.running.iter().rposition(|r| *r == n)
            {
                self.running.remove(i);
            }
        } else if e.is_terminal() {
            self.running.clear();
            self.ended = Some(t.trim_start_matches("Execution").to_ascii_lowercase());
        }
        let activity = self.activity();
        let changed = self.shown.as_ref() != Some(&activity);
        self.shown = Some(activity);
        if self.terminal {
            self.draw();
        } else if changed {
            let line = self.line();
            let _ = writeln!(self.out, "{line}");
        }
    }

    /// Rewrites the line on a terminal, the time having moved on.
    pub(crate) fn tick(&mut self) {
        if self.terminal {
            self.draw();
        }
    }

    /// Clears the line on a terminal, before the result is printed.
    pub(crate) fn finish(&mut self) {
        if self.terminal {
            let _ = write!(self.out, "{CLEAR_LINE}");
            let _ = self.out.flush();
        }
    }

    fn draw(&mut self) {
        let line = self.line();
        let _ = write!(self.out, "{CLEAR_LINE}{line}");
        let _ = self.out.flush();
    }

    /// `running Double (+2 more)`, `ended: succeeded`, `starting`; between two states,
    /// the one before.
    fn activity(&self) -> String {
        if let Some(how) = &self.ended {
            return format!("ended: {how}");
        }
        match self.running.split_last() {
            None => self.shown.clone().unwrap_or_else(|| "starting".to_owned()),
            Some((last, [])) => format!("running {last}"),
            Some((last, others)) => format!("running {last} (+{} more)", others.len()),
        }
    }

    /// The whole line: `sfn start: +1.204s  running Double  12 events`.
    fn line(&self) -> String {
        let events = match self.events {
            1 => "1 event".to_owned(),
            n => format!("{n} events"),
        };
        format!(
            "sfn start: {}  {}  {events}",
            elapsed_text(self.started.elapsed()),
            self.activity()
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use super::*;

    fn event(id: i64, t: &str, name: Option<&str>) -> HistoryEvent {
        let mut details = Map::new();
        if let Some(n) = name {
            details.insert("name".into(), Value::String(n.into()));
        }
        HistoryEvent::new(id, id - 1, chrono::Utc::now(), t, details)
    }

    /// The lines written off a terminal, the elapsed times left out.
    fn lines(out: &[u8]) -> Vec<String> {
        String::from_utf8_lossy(out)
            .lines()
            .map(|l| {
                let parts: Vec<&str> = l.split("  ").collect();
                parts[1..].join("  ")
            })
            .collect()
    }

    #[test]
    fn a_line_per_change_off_a_terminal() {
        let mut p = Progress::new(Vec::new(), false);
        for (i, (t, n)) in [
            ("ExecutionStarted", None),
            ("MapStateEntered", Some("Each")),
            ("MapStateStarted", None),
            ("PassStateEntered", Some("Double")),
            ("PassStateEntered", Some("Double")),
            ("PassStateExited", Some("Double")),
            ("PassStateExited", Some("Double")),
            ("MapStateExited", Some("Each")),
            ("ExecutionSucceeded", None),
        ]
        .into_iter()
        .enumerate()
        {
            p.event(&event(i as i64 + 1, t, n));
        }
        p.tick();
        p.finish();
        assert_eq!(
            lines(&p.out),
            [
                "starting  1 event",
                "running Each  2 events",
                "running Double (+1 more)  4 events",
                "running Double (+2 more)  5 events",
                "running Double (+1 more)  6 events",
                "running Each  7 events",
                "ended: succeeded  9 events",
            ]
        );
    }

    #[test]
    fn rewritten_in_place_on_a_terminal() {
        let mut p = Progress::new(Vec::new(), true);
        p.event(&event(1, "ExecutionStarted", None));
        p.event(&event(2, "TaskStateEntered", Some("Work")));
        p.tick();
        p.finish();
        let text = String::from_utf8_lossy(&p.out).into_owned();
        assert!(!text.contains('\n'), "{text:?}");
        assert_eq!(text.matches(CLEAR_LINE).count(), 4, "{text:?}");
        assert!(text.contains("running Work  2 events"), "{text:?}");
        assert!(text.ends_with(CLEAR_LINE));
    }
}
