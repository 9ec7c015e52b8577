//! The table every importer reads: a header row and data rows, each with
//! its line in the file (the header is line 1). A CSV file and the first
//! worksheet of an .xlsx workbook (read in the docs crate) both become a
//! [`Sheet`], so one validation path serves both and the line numbers are
//! the ones the person sees in Excel or a text editor.

use crate::import::ImportError;

/// A whole import file as text cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    /// The header cells, trimmed.
    pub header: Vec<String>,
    pub rows: Vec<SheetRow>,
}

/// One data row: its line and its cells, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub line: usize,
    pub cells: Result<Vec<String>, String>,
}

impl SheetRow {
    /// Cell `column`, trimmed; empty when the row is shorter or unreadable.
    pub fn cell(&self, column: Option<usize>) -> String {
        match (&self.cells, column) {
            (Ok(cells), Some(i)) => cells.get(i).map(|c| c.trim().to_string()).unwrap_or_default(),
            _ => String::new(),
        }
    }
}

impl Sheet {
    /// Reads a UTF-8 CSV file (with or without BOM). A row with another
    /// number of cells than the header is kept as unreadable, so that the
    /// importer lists it with the other rows' problems.
    pub fn from_csv(text: &str) -> Result<Sheet, Vec<ImportError>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => return Err(vec![ImportError { line: 1, message: format!("表头无法读取：{e}") }]),
        };
        let mut rows = Vec::new();
        let mut lines = crate::import::RecordLines::new(text);
        for (index, result) in reader.records().enumerate() {
            let line = lines.line_of(&result, index + 2);
            let cells = match result {
                Ok(r) if r.len() == header.len() => Ok(r.iter().map(String::from).collect()),
                Ok(r) => Err(format!("格式有误：应有{}列，实有{}列", header.len(), r.len())),
                Err(e) => Err(format!("格式有误：{e}")),
            };
            rows.push(SheetRow { line, cells });
        }
        Ok(Sheet { header, rows })
    }

    /// The column whose header is one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|h| names.contains(&h.as_str()))
    }

    /// The header cells that are not empty.
    pub fn headers(&self) -> impl Iterator<Item = &str> {
        self.header.iter().map(String::as_str).filter(|h| !h.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_lines_and_short_rows_are_unreadable() {
        let sheet = Sheet::from_csv("\u{feff}a, b \r\n1,2\r\n\r\n3\r\n").unwrap();
        assert_eq!(sheet.header, ["a", "b"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!((sheet.rows[0].line, sheet.rows[0].cell(Some(1))), (2, "2".to_string()));
        assert_eq!(sheet.rows[1].line, 4);
        assert_eq!(sheet.rows[1].cells, Err("格式有误：应有2列，实有1列".to_string()));
        assert_eq!(sheet.rows[1].cell(Some(0)), "");
        assert_eq!(sheet.column(&["x", "b"]), Some(1));
    }
}
