//! Accent-free search: queries are folded the same way as the `*_search` columns.

use chiso_core::text::fold;

/// A `LIKE` pattern for a typed query, or `None` when there is nothing to search for.
/// `%` and `_` typed by the person are dropped rather than treated as wildcards.
pub(crate) fn like_pattern(query: Option<&str>) -> Option<String> {
    let folded = fold(query?).replace(['%', '_'], "");
    (!folded.is_empty()).then(|| format!("%{folded}%"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_folded_and_wildcards_dropped() {
        assert_eq!(like_pattern(Some("Tư Pháp")).as_deref(), Some("%tu phap%"));
        assert_eq!(like_pattern(Some("50%_")).as_deref(), Some("%50%"));
        assert_eq!(like_pattern(Some("  ")), None);
        assert_eq!(like_pattern(None), None);
    }
}
