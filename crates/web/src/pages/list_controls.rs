//! What every register's list shares: the query string read once (search
//! words, page, person, period and each register's own filters, refused in
//! Chinese when a value is not one the list knows), the page of
//! [`PAGE_SIZE`], the line saying how many match with its page links, and
//! the filter form's boxes. The filters stay in the address, so a filtered
//! list can be bookmarked and sent; the page links keep them.

use crate::error::{refuse_nul, AppError};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, NaiveDate, Utc};
use maud::{html, Markup};
use taizhang_app::view::{PeriodQuery, View};
use taizhang_core::coded::Coded;
use taizhang_core::period::Period;

/// Rows shown per page.
pub const PAGE_SIZE: usize = 50;

/// A list's address as asked for: its path and its query pairs.
#[derive(Debug, Clone)]
pub struct ListQuery {
    path: String,
    pairs: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for ListQuery {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        ListQuery::parse(&parts.uri)
    }
}

fn bad(message: String) -> AppError {
    AppError::BadRequest(message)
}

impl ListQuery {
    pub fn parse(uri: &axum::http::Uri) -> Result<ListQuery, AppError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(uri.query().unwrap_or_default())
            .map_err(|_| bad("网址中的参数有误，无法读取".into()))?;
        pairs.iter().try_for_each(|(k, v)| refuse_nul(k).and(refuse_nul(v)))?;
        Ok(ListQuery { path: uri.path().to_string(), pairs })
    }

    /// `path` with no filters: the list a form's answer shows.
    pub fn at(path: &str) -> ListQuery {
        ListQuery { path: path.to_string(), pairs: Vec::new() }
    }

    /// The first non-blank value of `name`, trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim()).find(|v| !v.is_empty())
    }

    /// The words typed in the search box (`q`).
    pub fn search(&self) -> Search {
        Search(self.get("q").unwrap_or_default().to_string())
    }

    /// The page asked for (`page`), 1-based.
    pub fn page(&self) -> Result<usize, AppError> {
        match self.get("page") {
            None => Ok(1),
            Some(t) => {
                t.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| bad(format!("页码“{t}”无效，应为正整数")))
            }
        }
    }

    /// The period asked for, or this year when none is (lists of a period).
    pub fn period_or_year(&self, state: &AppState) -> Result<Period, AppError> {
        let q =
            PeriodQuery { year: self.get("year").map(str::to_string), period: self.get("period").map(str::to_string) };
        Ok(q.resolve(state)?)
    }

    /// The period asked for, if any (registers show every period by default).
    pub fn period(&self) -> Result<Option<Period>, AppError> {
        self.get("period").map(|t| Period::parse(t).map_err(|e| bad(format!("期间有误：{e}")))).transpose()
    }

    /// The person chosen (`person`, an id): one of the group's people.
    pub fn person(&self, view: &View, group: i64) -> Result<Option<i64>, AppError> {
        self.id_choice("person", "人员", &people(view, group))
    }

    /// One of `choices` (id, name) chosen under `name`, by its id.
    pub fn id_choice(&self, name: &str, what: &str, choices: &[(i64, String)]) -> Result<Option<i64>, AppError> {
        let Some(t) = self.get(name) else { return Ok(None) };
        let known = t.parse::<i64>().ok().filter(|id| choices.iter().any(|(c, _)| c == id));
        known.map(Some).ok_or_else(|| bad(format!("{what}“{t}”不是本单位的，请从列表中选择")))
    }

    /// A coded value (`name`): its code or its Chinese label.
    pub fn coded<T: Coded>(&self, name: &str, what: &str) -> Result<Option<T>, AppError> {
        let Some(t) = self.get(name) else { return Ok(None) };
        let labels: Vec<&str> = T::all().iter().map(|v| v.label()).collect();
        T::parse(t).map(Some).ok_or_else(|| unknown(what, t, &labels))
    }

    /// One of a list's own choices (`name`), by code or label; the code.
    pub fn choice<'c>(&self, name: &str, what: &str, choices: &[(&'c str, &str)]) -> Result<Option<&'c str>, AppError> {
        let Some(t) = self.get(name) else { return Ok(None) };
        let found = choices.iter().find(|(code, label)| *code == t || *label == t).map(|(code, _)| *code);
        found.map(Some).ok_or_else(|| unknown(what, t, &choices.iter().map(|c| c.1).collect::<Vec<_>>()))
    }

    /// This list's address on page `n`, every other parameter kept.
    pub fn page_link(&self, n: usize) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .pairs
            .iter()
            .filter(|(k, v)| !v.trim().is_empty() && !DROPPED.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let page = n.to_string();
        if n > 1 {
            pairs.push(("page", &page));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{query}", self.path)
        }
    }

    /// How many rows an import just wrote (`imported`, shown once).
    pub fn imported(&self) -> Option<usize> {
        self.get("imported").and_then(|n| n.parse().ok())
    }

    /// Whether any filter or search is set (the form then offers 清除).
    pub fn filtered(&self) -> bool {
        self.pairs.iter().any(|(k, v)| !v.trim().is_empty() && !DROPPED.contains(&k.as_str()))
    }
}

/// Parameters a page link does not carry on: the page itself and the
/// one-time notes of an import.
const DROPPED: [&str; 2] = ["page", "imported"];

fn unknown(what: &str, value: &str, allowed: &[&str]) -> AppError {
    bad(format!("{what}“{value}”无效，应为：{}", allowed.join("、")))
}

/// The words of a search box: a row matches when its text holds them all.
#[derive(Debug, Clone, Default)]
pub struct Search(String);

impl Search {
    pub fn text(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `texts` together hold every word (letters in any case).
    pub fn matches<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> bool {
        if self.is_empty() {
            return true;
        }
        let haystack = texts.into_iter().collect::<Vec<_>>().join("\n").to_lowercase();
        self.0.to_lowercase().split_whitespace().all(|w| haystack.contains(w))
    }
}

/// Whether a date lies in the period (no period: every date does).
pub fn in_period(period: Option<Period>, on: NaiveDate) -> bool {
    period.is_none_or(|p| p.first_day() <= on && on <= p.last_day())
}

/// Whether an instant lies in the period (no period: every instant does).
pub fn at_in_period(period: Option<Period>, at: DateTime<Utc>) -> bool {
    period.is_none_or(|p| {
        let (from, to) = p.instants();
        from <= at && at < to
    })
}

/// One page of a filtered list.
pub struct Paged<'a, T> {
    pub rows: &'a [T],
    pub total: usize,
    pub current: usize,
    pub pages: usize,
}

impl<T> Paged<'_, T> {
    /// The running number of the page's first row (序号 go on across pages).
    pub fn first_number(&self) -> usize {
        (self.current - 1) * PAGE_SIZE + 1
    }
}

/// Page `asked` (kept within the pages there are) of `all`.
pub fn paginate<T>(all: &[T], asked: usize) -> Paged<'_, T> {
    let total = all.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let current = asked.clamp(1, pages);
    let rows = &all[(current - 1) * PAGE_SIZE..(current * PAGE_SIZE).min(total)];
    Paged { rows, total, current, pages }
}

/// The page numbers a pager offers: the first, the last and two either
/// side of the current one; `None` marks a gap.
fn page_numbers(current: usize, pages: usize) -> Vec<Option<usize>> {
    let mut out: Vec<Option<usize>> = Vec::new();
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(current) <= 2 {
            out.push(Some(n));
        } else if out.last() != Some(&None) {
            out.push(None);
        }
    }
    out
}

/// "共N条，第x/y页" with the order rows are in and the links to other pages.
pub fn pager<T>(q: &ListQuery, paged: &Paged<T>, order: &str) -> Markup {
    html! {
        nav.pager aria-label="分页" {
            span { "共" (paged.total) "条，第" (paged.current) "/" (paged.pages) "页（" (order) "）" }
            @if paged.pages > 1 {
                @if paged.current > 1 { a href=(q.page_link(paged.current - 1)) rel="prev" { "上一页" } }
                @for n in page_numbers(paged.current, paged.pages) {
                    @match n {
                        Some(n) if n == paged.current => { strong aria-current="page" { (n) } }
                        Some(n) => { a href=(q.page_link(n)) { (n) } }
                        None => { span.muted { "…" } }
                    }
                }
                @if paged.current < paged.pages { a href=(q.page_link(paged.current + 1)) rel="next" { "下一页" } }
            }
        }
    }
}

/// What an empty list of `what` (记录, 稿件…) says: `none` when nothing is
/// filtered, else that nothing matched.
pub fn nothing(q: &ListQuery, what: &str, none: &str) -> Markup {
    let search = q.search();
    html! {
        p.muted {
            @if !search.is_empty() { "没有找到包含“" (search.text()) "”的" (what) "。" }
            @else if q.filtered() { "没有符合条件的" (what) "。" }
            @else { (none) }
        }
    }
}

/// The filter form (GET, so the filters stay in the address): `fields`,
/// then 筛选 and, when something is set, 清除.
pub fn filter_form(q: &ListQuery, fields: Markup) -> Markup {
    html! {
        form.toolbar.filters method="get" action=(q.path) {
            (fields)
            button.btn.plain type="submit" { "筛选" }
            @if q.filtered() { a.btn.plain href=(q.path) { "清除" } }
        }
    }
}

/// The search box.
pub fn search_box(q: &ListQuery, placeholder: &str) -> Markup {
    html! { input type="search" name="q" value=(q.get("q").unwrap_or_default()) placeholder=(placeholder) aria-label="搜索"; }
}

/// Values that are their own code and label (categories, domains).
pub fn same_pairs(values: &[String]) -> Vec<(&str, &str)> {
    values.iter().map(|v| (v.as_str(), v.as_str())).collect()
}

/// A select of `choices` (code, label) under `name`, led by `all`.
pub fn choice_select(q: &ListQuery, name: &str, what: &str, all: &str, choices: &[(&str, &str)]) -> Markup {
    let chosen = q.get(name).unwrap_or_default();
    html! {
        select name=(name) aria-label=(what) {
            option value="" { (all) }
            @for (code, label) in choices { option value=(code) selected[*code == chosen || *label == chosen] { (label) } }
        }
    }
}

/// A select of a coded enum's values.
pub fn coded_select<T: Coded>(q: &ListQuery, name: &str, what: &str, all: &str) -> Markup {
    choice_select(q, name, what, all, &T::choices())
}

/// The group's people as (id, name) choices.
fn people(view: &View, group: i64) -> Vec<(i64, String)> {
    view.people_of(group).iter().map(|p| (p.id, p.name.clone())).collect()
}

/// A select of `choices` (id, name) under `name`.
pub fn id_select(q: &ListQuery, name: &str, what: &str, all: &str, choices: &[(i64, String)]) -> Markup {
    let ids: Vec<String> = choices.iter().map(|(id, _)| id.to_string()).collect();
    let pairs: Vec<(&str, &str)> =
        ids.iter().zip(choices).map(|(id, (_, label))| (id.as_str(), label.as_str())).collect();
    choice_select(q, name, what, all, &pairs)
}

/// A select of the group's people (`person`), labelled `what` (责任人, 撰稿人…).
pub fn person_select(q: &ListQuery, view: &View, group: i64, what: &str) -> Markup {
    id_select(q, "person", what, &format!("全部{what}"), &people(view, group))
}

/// The period box; registers show every period while it is empty.
pub fn period_box(current: Option<Period>) -> Markup {
    let code = current.map(|p| p.code()).unwrap_or_default();
    html! { label { "期间 " (crate::pages::layout::period_input(&code, "全部期间")) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> ListQuery {
        ListQuery::parse(&format!("/units/1/risks?{q}").parse().unwrap()).unwrap()
    }

    #[test]
    fn every_word_must_match_in_any_case() {
        let s = query("q=%E6%AE%A1%E8%91%AC+abc").search();
        assert!(s.matches(["殡葬改革", "ABC 小组"]));
        assert!(!s.matches(["殡葬改革"]));
        assert!(query("").search().matches(["anything"]));
    }

    #[test]
    fn page_links_keep_the_filters_and_drop_blanks() {
        let q = query("status=open&q=&page=3&imported=2&person=7");
        assert_eq!(q.page_link(2), "/units/1/risks?status=open&person=7&page=2");
        assert_eq!(q.page_link(1), "/units/1/risks?status=open&person=7");
        assert!(q.filtered());
        assert!(!query("page=2").filtered());
    }

    #[test]
    fn pages_are_counted_and_kept_in_range() {
        let rows: Vec<u32> = (0..120).collect();
        let p = paginate(&rows, 9);
        assert_eq!((p.total, p.current, p.pages, p.rows.len(), p.rows[0]), (120, 3, 3, 20, 100));
        assert_eq!(paginate::<u32>(&[], 1).pages, 1);
        assert_eq!(page_numbers(6, 12), [Some(1), None, Some(4), Some(5), Some(6), Some(7), Some(8), None, Some(12)]);
    }

    #[test]
    fn bad_values_are_refused_in_chinese() {
        let q = query("page=x&level=huge");
        assert_eq!(q.page().unwrap_err().to_string(), "页码“x”无效，应为正整数");
        let e = q.coded::<taizhang_core::risk::RiskLevel>("level", "风险等级").unwrap_err().to_string();
        assert!(e.starts_with("风险等级“huge”无效，应为："), "{e}");
        assert_eq!(q.choice("page", "页", &[("1", "一")]).unwrap_err().to_string(), "页“x”无效，应为：一");
    }
}
