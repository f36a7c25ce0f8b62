//! The score ledger: every score event (self-assessment, appraisal, explanation, final, admin
//! correction) with who, when, the old and new value and the reason, chained by SHA-256 so that
//! altering, removing or reordering any stored entry is detected.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What kind of score event an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    SelfScore,
    Appraisal1,
    Explanation,
    Appraisal2,
    Final,
    AdminCorrection,
    /// Survey points of a survey-sourced item (from the survey or a published decision).
    Survey,
}

impl EventKind {
    /// Every kind, for reading stored codes.
    pub const ALL: [EventKind; 7] = [
        EventKind::SelfScore,
        EventKind::Appraisal1,
        EventKind::Explanation,
        EventKind::Appraisal2,
        EventKind::Final,
        EventKind::AdminCorrection,
        EventKind::Survey,
    ];

    /// The kind of a stored code.
    pub fn from_code(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind as shown in an item's history.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        let (vi, en) = match self {
            EventKind::SelfScore => ("Tự chấm", "Self score"),
            EventKind::Appraisal1 => ("Thẩm định lần 1", "Appraisal 1"),
            EventKind::Explanation => ("Giải trình", "Explanation"),
            EventKind::Appraisal2 => ("Thẩm định lần 2", "Appraisal 2"),
            EventKind::Final => ("Chốt điểm", "Final"),
            EventKind::AdminCorrection => ("Quản trị điều chỉnh", "Admin correction"),
            EventKind::Survey => ("Điểm điều tra XHH", "Survey points"),
        };
        match lang {
            crate::lang::Lang::Vi => vi,
            crate::lang::Lang::En => en,
        }
    }

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::SelfScore => "self",
            EventKind::Appraisal1 => "appraisal_1",
            EventKind::Explanation => "explanation",
            EventKind::Appraisal2 => "appraisal_2",
            EventKind::Final => "final",
            EventKind::AdminCorrection => "admin_correction",
            EventKind::Survey => "survey",
        }
    }
}

/// One score event, as hashed. Values are the exact stored texts (points × 10 000 as integers,
/// figures as decimal text) so that the hash never depends on formatting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub round: i64,
    pub unit: i64,
    pub node: String,
    pub kind: EventKind,
    pub actor: String,
    /// Unix milliseconds.
    pub at: i64,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: String,
}

/// A stored entry: the event, its place, and the chain hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub event: Event,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an event chained after `prev_hash`.
pub fn chain_hash(prev_hash: &str, seq: i64, e: &Event) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different events share an encoding.
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(prev_hash);
    field(&seq.to_string());
    field(&e.round.to_string());
    field(&e.unit.to_string());
    field(&e.node);
    field(e.kind.code());
    field(&e.actor);
    field(&e.at.to_string());
    field(e.old_value.as_deref().unwrap_or("\u{0}none"));
    field(e.new_value.as_deref().unwrap_or("\u{0}none"));
    field(&e.reason);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an event after the last entry (or the genesis).
pub fn append(last: Option<&Entry>, event: Event) -> Entry {
    let (seq, prev) = match last {
        Some(l) => (l.seq + 1, l.hash.clone()),
        None => (1, GENESIS.to_string()),
    };
    let hash = chain_hash(&prev, seq, &event);
    Entry {
        seq,
        event,
        prev_hash: prev,
        hash,
    }
}

/// The first entry that breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub seq: i64,
    pub why: BrokenWhy,
}

/// How the chain is broken at an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokenWhy {
    /// The entry's content no longer matches its hash.
    Altered,
    /// The entry does not follow the one before (removed or reordered entries).
    Unlinked,
}

impl Broken {
    /// A sentence for the operator.
    pub fn message(&self, lang: Lang) -> String {
        match (self.why, lang) {
            (BrokenWhy::Altered, Lang::Vi) => {
                format!("Bản ghi số {} đã bị sửa sau khi ghi.", self.seq)
            }
            (BrokenWhy::Unlinked, Lang::Vi) => format!(
                "Bản ghi số {} không nối tiếp bản ghi trước (bị xóa hoặc đảo thứ tự).",
                self.seq
            ),
            (BrokenWhy::Altered, Lang::En) => {
                format!("Entry {} was altered after it was written.", self.seq)
            }
            (BrokenWhy::Unlinked, Lang::En) => format!(
                "Entry {} does not follow the previous one (removed or reordered).",
                self.seq
            ),
        }
    }
}

/// Verifies entries in sequence order; returns the first break.
pub fn verify(entries: &[Entry]) -> Result<(), Broken> {
    let mut prev = GENESIS.to_string();
    for (expected_seq, e) in (1..).zip(entries) {
        if e.prev_hash != prev || e.seq != expected_seq {
            return Err(Broken {
                seq: e.seq,
                why: BrokenWhy::Unlinked,
            });
        }
        if chain_hash(&e.prev_hash, e.seq, &e.event) != e.hash {
            return Err(Broken {
                seq: e.seq,
                why: BrokenWhy::Altered,
            });
        }
        prev = e.hash.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event(i: i64) -> Event {
        Event {
            round: 1,
            unit: 7,
            node: format!("2.1.{i}"),
            kind: if i % 2 == 0 {
                EventKind::SelfScore
            } else {
                EventKind::Appraisal1
            },
            actor: "tuan.thamdinh".into(),
            at: 1_765_000_000_000 + i,
            old_value: (i > 0).then(|| "7500".to_string()),
            new_value: Some("5000".into()),
            reason: if i % 2 == 0 {
                String::new()
            } else {
                "Thiếu tài liệu kiểm chứng".into()
            },
        }
    }

    fn chain(n: i64) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        for i in 0..n {
            let e = append(out.last(), event(i));
            out.push(e);
        }
        out
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(()));
        assert_eq!(verify(&[]), Ok(()));
        assert_eq!(chain(1)[0].prev_hash, GENESIS);
    }

    #[test]
    fn tampering_is_found_at_the_right_entry() {
        let mut c = chain(5);
        c[2].event.new_value = Some("10000".into());
        assert_eq!(
            verify(&c),
            Err(Broken {
                seq: 3,
                why: BrokenWhy::Altered
            })
        );
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(
            verify(&c),
            Err(Broken {
                seq: 3,
                why: BrokenWhy::Unlinked
            })
        );
        let mut c = chain(5);
        c.swap(3, 4);
        assert_eq!(verify(&c).unwrap_err().seq, 5);
        assert_eq!(
            Broken {
                seq: 3,
                why: BrokenWhy::Altered
            }
            .message(Lang::Vi),
            "Bản ghi số 3 đã bị sửa sau khi ghi."
        );
    }

    proptest! {
        #[test]
        fn any_single_change_to_any_entry_is_detected(n in 1i64..12, at in 0usize..12, what in 0u8..6, text in "[a-z0-9 ]{0,8}") {
            let mut c = chain(n);
            let i = at % c.len();
            let before = c[i].clone();
            match what {
                0 => c[i].event.new_value = Some(format!("x{text}")),
                1 => c[i].event.reason.push_str(&format!("!{text}")),
                2 => c[i].event.actor.push('x'),
                3 => c[i].event.at += 1,
                4 => c[i].event.old_value = Some(format!("y{text}")),
                _ => c[i].event.node.push('9'),
            }
            prop_assume!(c[i] != before);
            let broken = verify(&c).unwrap_err();
            prop_assert_eq!(broken.seq, c[i].seq);
        }
    }
}
