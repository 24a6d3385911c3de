//! What a node shows and how big it is. Widths are estimated from the characters (no
//! font is read), generously, for a sans-serif font.

use sfn_core::model::StateType;

use crate::graph::{Node, NodeKind};

/// The font size of state names.
pub(crate) const NAME_SIZE: f64 = 13.0;
/// The font size of details, notes and labels.
pub(crate) const SMALL_SIZE: f64 = 11.0;
/// The font size of retry badges.
pub(crate) const BADGE_SIZE: f64 = 10.0;
/// The line height for a font size.
pub(crate) fn line_height(size: f64) -> f64 {
    (size * 1.35).round()
}

/// Padding inside a node.
pub(crate) const PAD_X: f64 = 14.0;
/// Padding above and below a node's lines.
pub(crate) const PAD_Y: f64 = 9.0;
/// The diameter of the start and end markers.
pub(crate) const MARKER: f64 = 48.0;

/// The width of `text` at `size`.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.3,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | 'I' => 0.4,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.9,
            'A'..='Z' => 0.7,
            '0'..='9' | '$' | '_' | '=' | '<' | '>' | '"' => 0.6,
            c if c.is_ascii() => 0.56,
            _ => 1.0,
        })
        .sum();
    (em * size).ceil()
}

/// What a line of a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// The state's name, bold.
    Name,
    /// The type and detail.
    Detail,
    /// An overlay note.
    Note,
    /// A retry badge.
    Badge,
}

/// One line of a node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) kind: LineKind,
}

impl Line {
    pub(crate) fn size(&self) -> f64 {
        match self.kind {
            LineKind::Name => NAME_SIZE,
            LineKind::Detail | LineKind::Note => SMALL_SIZE,
            LineKind::Badge => BADGE_SIZE,
        }
    }

    pub(crate) fn width(&self) -> f64 {
        let w = text_width(&self.text, self.size());
        match self.kind {
            // The badge's pill.
            LineKind::Badge => w + 10.0,
            _ => w,
        }
    }

    pub(crate) fn height(&self) -> f64 {
        match self.kind {
            LineKind::Badge => line_height(self.size()) + 3.0,
            _ => line_height(self.size()),
        }
    }
}

/// The lines a node shows: its name, its type (and detail), the overlay's note, the
/// retry badges.
pub(crate) fn lines(node: &Node) -> Vec<Line> {
    let mut out = vec![Line {
        text: node.name.clone(),
        kind: LineKind::Name,
    }];
    if let NodeKind::State(ty) = node.kind {
        let detail = match (&node.detail, ty) {
            (Some(d), StateType::Map | StateType::Wait | StateType::Fail) => {
                format!("{ty} · {d}")
            }
            (Some(d), _) => d.clone(),
            (None, ty) => ty.as_str().to_owned(),
        };
        out.push(Line {
            text: detail,
            kind: LineKind::Detail,
        });
    }
    if let Some(n) = &node.note {
        out.push(Line {
            text: n.clone(),
            kind: LineKind::Note,
        });
    }
    for r in &node.retry {
        out.push(Line {
            text: crate::label::shorten(&r.text(), crate::label::MAX_LABEL),
            kind: LineKind::Badge,
        });
    }
    out
}

/// The height of a block of lines.
pub(crate) fn lines_height(lines: &[Line]) -> f64 {
    lines.iter().map(Line::height).sum()
}

/// The width of a block of lines.
pub(crate) fn lines_width(lines: &[Line]) -> f64 {
    lines.iter().map(Line::width).fold(0.0, f64::max)
}

/// The size of a node without regions.
pub(crate) fn simple_size(node: &Node) -> (f64, f64) {
    match node.kind {
        NodeKind::Start | NodeKind::End => (MARKER, MARKER),
        NodeKind::State(ty) => {
            let ls = lines(node);
            let h = lines_height(&ls) + 2.0 * PAD_Y;
            let mut w = lines_width(&ls) + 2.0 * PAD_X;
            if ty == StateType::Choice {
                // Room for the pointed sides.
                w += h;
            }
            (w.max(110.0).ceil(), h.ceil())
        }
    }
}

/// A label's size: its text at [`SMALL_SIZE`] with a little padding.
pub(crate) fn label_size(text: &str) -> (f64, f64) {
    (
        text_width(text, SMALL_SIZE) + 6.0,
        line_height(SMALL_SIZE) + 2.0,
    )
}
