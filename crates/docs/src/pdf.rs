//! A small PDF writer for evidence the product makes itself (a 签到表 to
//! print and sign, a one-page note): A4 pages of text lines and table
//! rules. Chinese text uses the PDF's predefined CJK font STSong-Light
//! (Adobe-GB1, UniGB-UCS2-H), which every PDF reader supplies, so nothing
//! is embedded and a page stays a few KB.

/// One item on a page, in points from the bottom-left corner.
pub enum Mark {
    Text { x: f32, y: f32, size: f32, text: String },
    Line { x1: f32, y1: f32, x2: f32, y2: f32 },
}

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;

fn ucs2_hex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 4);
    for unit in text.encode_utf16() {
        out.push_str(&format!("{unit:04X}"));
    }
    out
}

fn content(marks: &[Mark]) -> String {
    let mut s = String::from("0.6 w\n");
    for m in marks {
        match m {
            Mark::Text { x, y, size, text } => {
                s.push_str(&format!("BT /F1 {size} Tf {x:.1} {y:.1} Td <{}> Tj ET\n", ucs2_hex(text)));
            }
            Mark::Line { x1, y1, x2, y2 } => s.push_str(&format!("{x1:.1} {y1:.1} m {x2:.1} {y2:.1} l S\n")),
        }
    }
    s
}

/// A PDF of the given pages.
pub fn write(title: &str, pages: &[Vec<Mark>]) -> Vec<u8> {
    // Objects: 1 catalog, 2 pages, 3 font, 4 descendant font, 5 info,
    // then a page and its content stream for each page.
    let mut objects: Vec<String> = Vec::new();
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()));
    objects.push(
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>"
            .into(),
    );
    objects.push(
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
         /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] \
         /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> >>"
            .into(),
    );
    objects.push(format!("<< /Title <FEFF{}> /Producer (taizhang) >>", ucs2_hex(title)));
    for (i, marks) in pages.iter().enumerate() {
        let stream = content(marks);
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            7 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()));
    }
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .bytes(),
    );
    out
}

/// A 签到表 to print and sign: the meeting, then one row per person
/// expected, with a column for the signature.
pub fn sign_in_sheet(unit: &str, title: &str, when: &str, host: &str, people: &[&str]) -> Vec<u8> {
    let mut marks = vec![
        Mark::Text { x: 72.0, y: 780.0, size: 18.0, text: format!("{title}签到表") },
        Mark::Text { x: 72.0, y: 750.0, size: 11.0, text: format!("单位：{unit}") },
        Mark::Text { x: 72.0, y: 732.0, size: 11.0, text: format!("时间：{when}    主持人：{host}") },
    ];
    let (left, right, mid1, mid2) = (72.0, 523.0, 120.0, 300.0);
    let mut y = 710.0;
    let row = 24.0;
    marks.push(Mark::Line { x1: left, y1: y, x2: right, y2: y });
    for cells in std::iter::once(["序号".to_string(), "姓名".into(), "签名".into()])
        .chain(people.iter().enumerate().map(|(i, p)| [(i + 1).to_string(), (*p).into(), String::new()]))
    {
        marks.push(Mark::Text { x: left + 8.0, y: y - 16.0, size: 11.0, text: cells[0].clone() });
        marks.push(Mark::Text { x: mid1 + 8.0, y: y - 16.0, size: 11.0, text: cells[1].clone() });
        marks.push(Mark::Text { x: mid2 + 8.0, y: y - 16.0, size: 11.0, text: cells[2].clone() });
        y -= row;
        marks.push(Mark::Line { x1: left, y1: y, x2: right, y2: y });
    }
    for x in [left, mid1, mid2, right] {
        marks.push(Mark::Line { x1: x, y1: 710.0, x2: x, y2: y });
    }
    marks.push(Mark::Text {
        x: 72.0,
        y: y - 30.0,
        size: 9.0,
        text: "本表由台账系统生成，签到后扫描或拍照上传。".into(),
    });
    write(&format!("{title}签到表"), &[marks])
}

/// A one-page note: a title and paragraphs, wrapped at a fixed width.
pub fn note(title: &str, paragraphs: &[&str]) -> Vec<u8> {
    const PER_LINE: usize = 30;
    let mut marks = vec![Mark::Text { x: 72.0, y: 770.0, size: 16.0, text: title.into() }];
    let mut y = 735.0;
    for p in paragraphs {
        let chars: Vec<char> = format!("　　{p}").chars().collect();
        for line in chars.chunks(PER_LINE) {
            if y < 72.0 {
                break;
            }
            marks.push(Mark::Text { x: 72.0, y, size: 14.0, text: line.iter().collect() });
            y -= 24.0;
        }
    }
    write(title, &[marks])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_sheet_is_a_well_formed_pdf() {
        let pdf = sign_in_sheet("县民政局党组", "中心组学习", "2026年3月5日", "王书记", &["王书记", "李副局长"]);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&pdf);
        // 签到表 in UCS-2.
        assert!(text.contains(&ucs2_hex("签到表")), "the title is written");
        // The cross-reference table points at each object (offsets in bytes).
        let xref: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(pdf[xref..].starts_with(b"xref"));
        let table = std::str::from_utf8(&pdf[xref..]).unwrap();
        for (i, line) in table.lines().skip(3).take(7).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(pdf[offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()), "object {}", i + 1);
        }
        assert!(pdf.len() < 8 * 1024, "{} bytes", pdf.len());
    }
}
