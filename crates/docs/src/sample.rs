//! Sample documents for the benchmark, the render check and demos. Every
//! name is a placeholder organ ("某县…"); nothing here is real data and the
//! report composer never uses it.

use chrono::NaiveDate;

use crate::gbt9704::{Imprint, Inline};
use crate::ledger::{Cell, Column, ColumnKind, Ledger};
use crate::report::{title_lines, Item, Report, Section, SubSection};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A half-year 报告 on the 意识形态工作责任制. `extra_subsections` adds
/// more sub-parts to part one: 0 gives two pages, 10 five.
pub fn report(extra_subsections: usize) -> Report {
    let mut work = Section::new("工作开展情况")
        .subsection(SubSection::new("落实主体责任。").run_in(vec![Inline::text(
            "局党组书记履行第一责任人职责，上半年主持召开党组会议3次专题研究意识形态工作，听取各支部意识形态工作情况汇报1次，对意识形态领域风险进行分析研判2次。",
        )]))
        .subsection(
            SubSection::new("加强理论武装。")
                .run_in(vec![Inline::text("组织党组理论学习中心组集体学习4次，其中专题研讨2次，")])
                .paragraph("各党支部开展“三会一课”和主题党日活动，学习记录完整，参学情况登记在册。"),
        )
        .subsection(SubSection::new("管好阵地平台。").run_in(vec![
            Inline::text("对单位门户网站、政务新媒体账号开展巡查"),
            Inline::Placeholder("巡查次数".into()),
            Inline::text("次，落实信息发布“三审三校”制度。"),
        ]));
    for i in 0..extra_subsections {
        let part = SubSection::new(format!("做好第{}项重点工作。", i + 1))
            .run_in(vec![Inline::text(
                "按照年度工作要点，明确责任科室和完成时限，建立工作台账，逐项跟踪落实情况，做到有部署、有检查、有记录，相关材料及时归档备查。",
            )])
            .paragraph("每月对照责任清单开展自查，发现问题及时整改，整改情况在台账中逐项登记。对上级督查指出的问题，逐条制定整改措施，明确整改时限，按期报告整改结果。");
        work = work.subsection(part);
    }
    let problems = Section::new("存在的问题")
        .paragraph("一是理论学习的深度还不够，个别专题研讨发言准备不充分；二是意识形态风险台账更新不够及时。")
        .placeholder("原因分析");
    let next = Section::new("下一步工作打算")
        .item(Item::Point {
            heading: "压实责任。".into(),
            run_in: vec![Inline::text("对照责任清单逐项落实，责任到人。")],
        })
        .item(Item::Point {
            heading: "完善台账。".into(),
            run_in: vec![Inline::text("每季度更新风险台账，按时向上级报告。")],
        });

    let mut report = Report::new(
        title_lines("中共某县民政局党组", &["2026年上半年", "落实意识形态工作责任制情况"]),
        "中共某县民政局党组",
        date(2026, 7, 5),
    )
    .addressee("中共某县委宣传部")
    .opening(vec![Inline::text(
        "根据《中共某县委宣传部关于报送2026年上半年意识形态工作责任制落实情况的通知》要求，局党组对上半年工作进行了认真梳理。",
    )])
    .section(work)
    .section(problems)
    .section(next);
    report.note = Some("联系人：某某，联系电话：0000-0000000".into());
    report.imprint = Some(Imprint {
        copy_to: vec!["某县纪委监委派驻纪检监察组".into()],
        issuer: "某县民政局办公室".into(),
        issue_date: date(2026, 7, 5),
    });
    report
}

/// A study ledger (理论学习中心组学习台账) with `rows` rows of every kind
/// of cell.
pub fn ledger(rows: usize) -> Ledger {
    let columns = vec![
        Column::new("序号", ColumnKind::Int),
        Column::new("学习日期", ColumnKind::Date),
        Column::new("学习形式", ColumnKind::Text),
        Column::new("学习主题", ColumnKind::Text),
        Column::new("主持人", ColumnKind::Text),
        Column::new("参加人数", ColumnKind::Int),
        Column::new("是否开展研讨", ColumnKind::Bool),
        Column::new("主要内容", ColumnKind::LongText),
    ];
    let start = date(2026, 1, 5);
    let rows = (0..rows)
        .map(|i| {
            let day = start + chrono::Days::new((i % 360) as u64);
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Date(day),
                Cell::Text(if i % 3 == 0 { "集体学习" } else { "专题研讨" }.into()),
                Cell::Text(format!("第{}次理论学习", i + 1)),
                Cell::Text("某某".into()),
                Cell::Int(10 + (i % 7) as i64),
                Cell::Bool(i % 3 != 0),
                Cell::Text("传达学习有关文件精神，结合本单位实际进行交流发言，明确下一步工作要求。".into()),
            ]
        })
        .collect();
    Ledger {
        title: "中共某县民政局党组2026年理论学习中心组学习台账".into(),
        sheet_name: "中心组学习".into(),
        columns,
        rows,
    }
}
