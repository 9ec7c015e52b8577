//! The page frame, shared pieces and the error page.

use crate::auth::CurrentUser;
use axum::http::StatusCode;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use taizhang_core::engine::Status;

const STYLE: &str = include_str!("../../assets/style.css");

pub fn page(title: &str, user: Option<&CurrentUser>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — 台账" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.top {
                    a.brand href="/" { "台账 · 意识形态工作责任制" }
                    @if let Some(u) = user {
                        a href="/" { "首页" }
                        a href="/todo" { "待办" }
                        a id="nav-notifications" href="/notifications" {
                            "提醒"
                            @if u.unread > 0 { " " span.count { (u.unread) } }
                        }
                        @if u.has_role(taizhang_core::org::RoleKind::Admin) { a href="/admin" { "系统管理" } }
                        span.who {
                            a href="/account" title="我的账号" { (u.person.name) }
                            form method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(u.csrf);
                                button type="submit" { "退出" }
                            }
                        }
                    }
                }
                div.print-head {
                    span { b { "台账 · " (title) } }
                    span {
                        "打印日期：" (taizhang_core::period::today_in_shanghai().format("%Y-%m-%d"))
                        @if let Some(u) = user { "　打印人：" (u.person.name) }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// The error page; with the signed-in person's header when there is one,
/// so a refused page still leads back through the navigation.
pub fn error_page(status: StatusCode, message: &str, user: Option<&CurrentUser>) -> Markup {
    page(
        "出错了",
        user,
        html! {
            h1 { "无法完成操作（" (status.as_u16()) "）" }
            div.flash.error { (message) }
            p { a href="/" { "返回首页" } }
        },
    )
}

pub fn badge(status: Status) -> Markup {
    html! { span class=(format!("badge s-{}", status.code())) { (status.label()) } }
}

/// The link back to the page a page belongs to.
pub fn back(href: &str, to: &str) -> Markup {
    html! { p.back { a href=(href) { "← " (to) } } }
}

/// A message above a page: `class` is `ok` or `error`.
pub fn flash(class: &str, message: Markup) -> Markup {
    html! { div class=(format!("flash {class}")) { (message) } }
}

/// What an import refused, line by line, above the page it came from.
pub fn import_refused(what: &str, errors: &[taizhang_core::import::ImportError]) -> Markup {
    flash("error", html! { "文件有误，未导入任何" (what) "：" ul { @for e in errors { li { (e.to_string()) } } } })
}

/// A CSV import folded under `summary`: a file named `file` posted to
/// `action` with any hidden `fields`, below `help` (the columns and rules).
pub fn csv_import(user: &CurrentUser, summary: &str, action: &str, fields: Markup, help: Markup) -> Markup {
    html! {
        details {
            summary { (summary) }
            form.record method="post" action=(action) enctype="multipart/form-data" {
                (csrf_field(user))
                (fields)
                p.help { (help) }
                input type="file" name="file" accept=".csv,text/csv" required;
                button.btn type="submit" { "导入" }
            }
        }
    }
}

/// What the file input of an import that reads CSV and .xlsx accepts.
pub const SHEET_ACCEPT: &str = ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An import form (field `file`) that takes an Excel workbook or a CSV
/// file, with a link to the page's .xlsx template.
pub fn sheet_import(user: &CurrentUser, summary: &str, action: &str, template: &str, help: Markup) -> Markup {
    html! {
        details.import {
            summary { (summary) }
            form.record method="post" action=(action) enctype="multipart/form-data" {
                (csrf_field(user))
                p.help {
                    a href=(template) download { "下载 Excel 导入模板" }
                    "（含下拉列表、示例行和填写说明）。可上传 .xlsx 文件或 UTF-8 CSV（Excel 另存为“CSV UTF-8”）。"
                    (help)
                    "整个文件先校验，有错时列出每处问题（第N行，表头为第1行），一条也不导入。"
                }
                input type="file" name="file" accept=(SHEET_ACCEPT) required;
                button.btn type="submit" { "导入" }
            }
        }
    }
}

pub fn csrf_field(user: &CurrentUser) -> Markup {
    html! { input type="hidden" name="csrf" value=(user.csrf); }
}

/// A period picker that keeps the rest of the page's address.
pub fn period_picker(action: &str, current: &str) -> Markup {
    html! {
        form.toolbar method="get" action=(action) {
            label { "期间 " (period_input(current, "")) }
            button.btn.plain type="submit" { "查看" }
        }
    }
}

/// The period box: typed freely (2026、2026年上半年、2026Q3…) or chosen
/// from this year's and last year's year, halves and quarters; `placeholder`
/// says what an empty box means where it may stay empty.
pub fn period_input(current: &str, placeholder: &str) -> Markup {
    use taizhang_core::period::{Cadence, Period};
    let year = Period::parse(current).map(|p| p.year).unwrap_or_else(|_| {
        use chrono::Datelike;
        taizhang_core::period::today_in_shanghai().year()
    });
    let choices: Vec<Period> = [year, year - 1]
        .into_iter()
        .flat_map(|y| {
            std::iter::once(Period::year(y))
                .chain((1..=2).filter_map(move |i| Period::new(y, Cadence::Half, i)))
                .chain((1..=4).filter_map(move |i| Period::new(y, Cadence::Quarter, i)))
        })
        .collect();
    html! {
        input type="text" name="period" value=(current) size="10" list="period-choices" placeholder=(placeholder)
            title="如 2026、2026年上半年、2026年第三季度、2026-03" autocomplete="off";
        datalist #period-choices {
            @for p in &choices { option value=(p.code()) { (p.label()) } }
        }
    }
}
