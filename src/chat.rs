//! The conversation transcript: the turns the panel shows, and how a draft becomes a turn.

use serde::{Deserialize, Serialize};

/// Who a turn belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person using Pagewise.
    User,
    /// The model.
    Assistant,
    /// Pagewise itself: setup hints and errors, never sent to the model.
    Notice,
}

/// One entry of the transcript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// Stable within the transcript; the UI keys rendered rows by it.
    pub id: u64,
    /// Whose turn it is.
    pub role: Role,
    /// Plain text; rendering treats it as untrusted.
    pub text: String,
}

/// An ordered conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    turns: Vec<Turn>,
    next_id: u64,
}

impl Transcript {
    /// The turns, oldest first.
    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    /// True before anything was said.
    pub fn is_empty(&self) -> bool {
        self.turns.is_empty()
    }

    /// Adds the user's draft as a turn. A draft of only whitespace is not a
    /// message: it is refused and `None` returned, so the draft stays put.
    pub fn submit(&mut self, draft: &str) -> Option<&Turn> {
        let text = draft.trim();
        if text.is_empty() {
            return None;
        }
        Some(self.push(Role::User, text.to_string()))
    }

    /// Adds a notice from Pagewise itself.
    pub fn notice(&mut self, text: &str) -> &Turn {
        self.push(Role::Notice, text.to_string())
    }

    fn push(&mut self, role: Role, text: String) -> &Turn {
        let id = self.next_id;
        self.next_id += 1;
        self.turns.push(Turn { id, role, text });
        &self.turns[self.turns.len() - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_drafts_are_not_sent() {
        let mut transcript = Transcript::default();
        assert!(transcript.submit("  \n\t").is_none());
        assert!(transcript.is_empty());
    }

    #[test]
    fn turns_keep_order_and_unique_ids() {
        let mut transcript = Transcript::default();
        transcript.submit("  What is this page about?\n").unwrap();
        transcript.notice("No model is set up yet.");
        transcript.submit("second").unwrap();
        let turns = transcript.turns();
        assert_eq!(turns.len(), 3);
        assert_eq!(turns[0].text, "What is this page about?");
        assert_eq!(turns[1].role, Role::Notice);
        let ids: Vec<_> = turns.iter().map(|turn| turn.id).collect();
        assert_eq!(ids, [0, 1, 2]);
    }
}
