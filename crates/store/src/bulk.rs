//! Numbered placeholders: for multi-row statements of bulk writes (the
//! synthetic province of `taizhang seed`: one statement per few hundred
//! rows instead of one each, with the same audit entries,
//! [`crate::audit::append_many`]) and for the `IN (…)` lists of reads.

/// `($1, $2, $3), ($4, $5, $6), …` for `rows` rows of `columns` values.
pub(crate) fn placeholders(rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..columns {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(r * columns + c + 1).to_string());
        }
        out.push(')');
    }
    out
}

/// `$first, $first+1, …`, `count` of them: the values of an `IN (…)` list.
pub(crate) fn numbered(first: usize, count: usize) -> String {
    (first..first + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbered_counts_from_the_first() {
        assert_eq!(super::numbered(3, 3), "$3, $4, $5");
        assert_eq!(super::numbered(1, 0), "");
    }

    #[test]
    fn placeholders_number_every_value_once() {
        assert_eq!(super::placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::placeholders(1, 1), "($1)");
    }
}
