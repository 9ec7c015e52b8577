//! 密级: classification markings and internal-use notices. A draft that
//! carries them must not be published.

use crate::doc::Doc;
use crate::finding::{Category, Finding, Severity};
use crate::text::starts_with_at;

/// Notices that mark a document as internal.
const NOTICES: [&str; 9] =
    ["内部资料", "内部文件", "内部刊物", "内部使用", "内部发行", "仅供内部", "注意保密", "不得外传", "严禁外传"];
const LEVELS: [&str; 3] = ["绝密", "机密", "秘密"];
/// The first characters of `LEVELS` and `NOTICES`: most characters start
/// neither, and one test spares twelve comparisons.
const FIRST: [char; 8] = ['绝', '机', '秘', '内', '仅', '注', '不', '严'];

pub fn check(doc: &Doc, out: &mut Vec<Finding>) {
    let chars = &doc.chars;
    for i in 0..chars.len() {
        if !FIRST.contains(&chars[i]) {
            continue;
        }
        for level in LEVELS {
            if starts_with_at(chars, i, level) && is_marking(chars, i, i + 2) {
                let mut end = i + 2;
                // Include the star and a term such as ★10年 / ★长期.
                if chars.get(end) == Some(&'★') {
                    end += 1;
                    while end < chars.len() && (chars[end].is_ascii_digit() || "年月长期".contains(chars[end])) {
                        end += 1;
                    }
                }
                push(doc, i, end, format!("密级标志“{}”：涉密内容不得公开发布", level), out);
            }
        }
        if let Some(n) = NOTICES.iter().find(|n| starts_with_at(chars, i, n)) {
            let end = i + n.chars().count();
            push(doc, i, end, format!("“{n}”属于内部资料标注：内部资料不得公开发布"), out);
        }
    }
    if let Some(i) = find(chars, "密级") {
        push(doc, i, i + 2, "文中标有密级：涉密内容不得公开发布".to_string(), out);
    }
}

/// 绝密/机密/秘密 is a marking (not the ordinary word, as in 保守秘密) when
/// it carries a star or 级, or stands alone at the start of a line.
fn is_marking(chars: &[char], start: usize, end: usize) -> bool {
    let next = chars.get(end).copied();
    if matches!(next, Some('★' | '*' | '级')) {
        return true;
    }
    let line_start = start == 0 || chars[start - 1] == '\n';
    let standalone_end = matches!(next, None | Some('\n' | ' ' | '\u{3000}'));
    line_start && standalone_end || start >= 3 && chars[start - 3..start].iter().collect::<String>() == "密级："
}

fn find(chars: &[char], s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    (0..chars.len()).find(|&i| chars[i] == first && starts_with_at(chars, i, s))
}

fn push(doc: &Doc, start: usize, end: usize, reason: String, out: &mut Vec<Finding>) {
    out.push(Finding::new(&doc.chars, start, end, Category::Secrecy, Severity::Error, Vec::new(), reason));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_characters_cover_every_marking() {
        for s in LEVELS.iter().chain(&NOTICES) {
            assert!(FIRST.contains(&s.chars().next().unwrap()), "{s}");
        }
    }
}
