//! The progress line `sfn start --wait` keeps on standard error while the execution
//! runs: the time since it started, the state running now (a Map state with the number
//! of its iterations done; the states inside its iterations are not named) and the
//! number of events. On a terminal the line is rewritten in place; otherwise a line is
//! written each time the state running changes.

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
    /// The states entered and not yet exited outside any Map iteration, oldest first
    /// (several in a Parallel state).
    running: Vec<String>,
    /// The Map iterations started and not yet ended, at any depth.
    open_iterations: usize,
    /// For a Map state running outside any iteration: its iterations, and how many have
    /// ended.
    map: Option<(usize, usize)>,
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
            open_iterations: 0,
            map: None,
            ended: None,
            shown: None,
        }
    }

    /// Takes in the next event of the execution.
    pub(crate) fn event(&mut self, e: &HistoryEvent) {
        self.events += 1;
        let t = e.event_type.as_str();
        let outer = self.open_iterations == 0;
        let name = e.name().map(str::to_owned);
        match t {
            "MapIterationStarted" => self.open_iterations += 1,
            "MapIterationSucceeded" | "MapIterationFailed" | "MapIterationAborted" => {
                self.open_iterations = self.open_iterations.saturating_sub(1);
                let of_outer_map = name.as_ref().is_some_and(|n| self.running.contains(n));
                if let (true, Some((_, done))) = (of_outer_map, &mut self.map) {
                    *done += 1;
                }
            }
            "MapStateStarted" if outer => {
                let length = e.details.get("length").and_then(serde_json::Value::as_u64);
                self.map = length.map(|l| (usize::try_from(l).unwrap_or(usize::MAX), 0));
            }
            _ if t.ends_with("StateEntered") && outer => {
                if let Some(n) = name {
                    self.running.push(n);
                }
            }
            _ if t.ends_with("StateExited") && outer => {
                if t == "MapStateExited" {
                    self.map = None;
                }
                if let Some(n) = name
                    && let Some(i) = self.running.iter().rposition(|r| *r == n)
                {
                    self.running.remove(i);
                }
            }
            _ if e.is_terminal() => {
                self.running.clear();
                self.map = None;
                self.ended = Some(t.trim_start_matches("Execution").to_ascii_lowercase());
            }
            _ => {}
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

    /// The whole line: `sfn start: +1.204s  running Each (2/3 iterations)  12 events`.
    fn line(&self) -> String {
        let events = match self.events {
            1 => "1 event".to_owned(),
            n => format!("{n} events"),
        };
        let iterations = match (self.ended.is_none(), self.map) {
            (true, Some((length, done))) => format!(" ({done}/{length} iterations)"),
            _ => String::new(),
        };
        format!(
            "sfn start: {}  {}{iterations}  {events}",
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
        if t == "MapStateStarted" {
            details.insert("length".into(), Value::from(2));
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
            ("MapIterationStarted", Some("Each")),
            ("MapIterationStarted", Some("Each")),
            ("PassStateEntered", Some("Double")),
            ("PassStateEntered", Some("Double")),
            ("PassStateExited", Some("Double")),
            ("MapIterationSucceeded", Some("Each")),
            ("PassStateExited", Some("Double")),
            ("MapIterationSucceeded", Some("Each")),
            ("MapStateSucceeded", None),
            ("MapStateExited", Some("Each")),
            ("ParallelStateEntered", Some("Both")),
            ("ParallelStateStarted", None),
            ("TaskStateEntered", Some("Left")),
            ("TaskStateEntered", Some("Right")),
            ("TaskStateExited", Some("Left")),
            ("TaskStateExited", Some("Right")),
            ("ParallelStateSucceeded", None),
            ("ParallelStateExited", Some("Both")),
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
                "running Both  14 events",
                "running Left (+1 more)  16 events",
                "running Right (+2 more)  17 events",
                "running Right (+1 more)  18 events",
                "running Both  19 events",
                "ended: succeeded  22 events",
            ]
        );
    }

    #[test]
    fn a_map_shows_its_iterations_done() {
        let mut p = Progress::new(Vec::new(), false);
        p.event(&event(1, "MapStateEntered", Some("Each")));
        p.event(&event(2, "MapStateStarted", None));
        p.event(&event(3, "MapIterationStarted", Some("Each")));
        assert!(
            p.line().contains("running Each (0/2 iterations)  3 events"),
            "{}",
            p.line()
        );
        p.event(&event(4, "MapIterationSucceeded", Some("Each")));
        assert!(
            p.line().contains("running Each (1/2 iterations)  4 events"),
            "{}",
            p.line()
        );
        p.event(&event(5, "MapStateExited", Some("Each")));
        assert!(!p.line().contains("iterations"), "{}", p.line());
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
