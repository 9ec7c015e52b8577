//! The superior's review scores from a CSV file: one line per unit and
//! item. This parses and checks each line on its own; the caller checks
//! the lines against the units and their submitted cards and writes
//! nothing unless every line is right.

use super::Score;
use crate::import::ImportError;

/// The columns, in order.
pub const REVIEW_CSV_HEADER: [&str; 4] = ["单位", "事项编号", "审核得分", "审核意见"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedReview {
    pub line: usize,
    pub unit: String,
    pub item_id: String,
    pub score: Score,
    pub opinion: String,
}

/// The good lines and the errors (the header is line 1), so the caller
/// can add its own checks and report every error at once.
pub fn parse_review_csv(text: &str) -> (Vec<ImportedReview>, Vec<ImportError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => return (vec![], vec![ImportError { line: 1, message: format!("表头无法读取：{e}") }]),
    };
    if header != REVIEW_CSV_HEADER {
        let message = format!("表头应为：{}", REVIEW_CSV_HEADER.join(","));
        return (vec![], vec![ImportError { line: 1, message }]);
    }
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut lines = crate::import::RecordLines::new(text);
    for (i, record) in reader.records().enumerate() {
        let line = lines.line_of(&record, i + 2);
        match record.map_err(|e| e.to_string()).and_then(|r| review_row(line, &r)) {
            Ok(row) => rows.push(row),
            Err(message) => errors.push(ImportError { line, message }),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(ImportError { line: 2, message: "文件中没有审核得分".into() });
    }
    (rows, errors)
}

fn review_row(line: usize, r: &csv::StringRecord) -> Result<ImportedReview, String> {
    if r.len() != REVIEW_CSV_HEADER.len() {
        return Err(format!("应有{}列，实有{}列", REVIEW_CSV_HEADER.len(), r.len()));
    }
    let cell = |i: usize| r.get(i).unwrap_or("").trim().to_string();
    if cell(0).is_empty() || cell(1).is_empty() {
        return Err("请填写单位和事项编号".into());
    }
    let score = Score::parse(&cell(2))
        .filter(|s| *s >= Score::ZERO)
        .ok_or_else(|| format!("审核得分应为不小于0、至多两位小数的数字：{}", cell(2)))?;
    Ok(ImportedReview { line, unit: cell(0), item_id: cell(1), score, opinion: cell(3) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_line_is_named() {
        let text = "\u{feff}单位,事项编号,审核得分,审核意见\n县民政局党组,half-year-report,7.5,报告逾期\n县水利局党委,,8,\n县残联党组,study-sessions,-1,\n县残联党组,study-sessions,八,\n县残联党组,first-topic,5\n";
        let (rows, errors) = parse_review_csv(text);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].line, rows[0].score, rows[0].opinion.as_str()),
            (2, Score::parse("7.5").unwrap(), "报告逾期")
        );
        let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            lines,
            [
                "第3行：请填写单位和事项编号",
                "第4行：审核得分应为不小于0、至多两位小数的数字：-1",
                "第5行：审核得分应为不小于0、至多两位小数的数字：八",
                "第6行：应有4列，实有3列",
            ]
        );
        assert_eq!(parse_review_csv("单位,分数\n").1[0].line, 1);
        // Excel's line endings and an opinion over two lines: physical lines.
        let crlf = "单位,事项编号,审核得分,审核意见\r\n县民政局党组,a,7,\"第一行\r\n第二行\"\r\n县残联党组,b,八,\r\n";
        let (rows, errors) = parse_review_csv(crlf);
        assert_eq!((rows[0].line, errors[0].line), (2, 4), "{errors:?}");
        assert_eq!(parse_review_csv("单位,事项编号,审核得分,审核意见\n").1[0].message, "文件中没有审核得分");
    }
}
