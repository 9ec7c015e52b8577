//! The registers' lists (drafts, feedback, risks, rectifications, news):
//! newest first, search, filters, 50 a page with links that keep the
//! filters, the same filters over the API, and bad filter values refused
//! in Chinese. Each list gets more than a page of rows first.
//!
//! What a list should show is worked out here from the API's complete
//! list (no filters), independently of the filtering code, and compared
//! with the page's rows and the filtered API list.

use crate::common::*;
use axum::http::{Method, StatusCode};
use chrono::{DateTime, NaiveDate};
use serde_json::{json, Value};

const MZ: &str = "县民政局党组";

/// One register's list, read by a person with a browser and a token.
struct List<'a> {
    app: &'a App,
    /// `/units/{mz}/risks`
    page: String,
    /// Where a row links to: `/risks/`
    link: &'static str,
    /// The field a row is dated by (newest first).
    date: &'static str,
    cookie: String,
    token: String,
}

/// A date or an instant as the API writes it, as a number that sorts.
fn sort_key(v: &Value) -> i64 {
    let text = v.as_str().unwrap_or_else(|| panic!("no date: {v}"));
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_micros(),
        Err(_) => DateTime::parse_from_rfc3339(text).unwrap().timestamp_micros(),
    }
}

/// The ids of the rows a list page links to, in order.
fn row_ids(body: &str, link: &str) -> Vec<i64> {
    let table = body.split("<tbody>").nth(1).and_then(|t| t.split("</tbody>").next()).unwrap_or_default();
    table
        .split(&format!("href=\"{link}"))
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect()
}

impl List<'_> {
    async fn new<'a>(app: &'a App, register: &str, link: &'static str, date: &'static str) -> List<'a> {
        let mz = app.unit_id(MZ).await;
        let b = app.browser("mz-keyuan").await;
        List {
            app,
            page: format!("/units/{mz}/{register}"),
            link,
            date,
            cookie: b.cookie,
            token: app.token("mz-keyuan").await,
        }
    }

    /// The API's list under `query`.
    async fn api(&self, query: &str) -> Vec<Value> {
        let res = self.app.api(Method::GET, &format!("/api/v1{}?{query}", self.page), Some(&self.token), None).await;
        assert_eq!(res.status, StatusCode::OK, "{query}: {}", res.body);
        res.json().as_array().unwrap().clone()
    }

    /// Under `query`, the page shows (and the API lists) the rows of the
    /// complete list `all` that `keep` keeps, newest first, 50 a page.
    async fn shows(&self, query: &str, all: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<i64> {
        let mut expected: Vec<&Value> = all.iter().filter(|v| keep(v)).collect();
        expected.sort_by_key(|v| std::cmp::Reverse((sort_key(&v[self.date]), v["id"].as_i64())));
        let expected: Vec<i64> = expected.iter().map(|v| v["id"].as_i64().unwrap()).collect();
        let api: Vec<i64> = self.api(query).await.iter().map(|v| v["id"].as_i64().unwrap()).collect();
        assert_eq!(api, expected, "the API under {query}");
        let res = self.app.get(&format!("{}?{query}", self.page), Some(&self.cookie)).await;
        assert_eq!(res.status, StatusCode::OK, "{query}: {}", res.body);
        let pages = expected.len().div_ceil(50).max(1);
        assert_eq!(row_ids(&res.body, self.link), expected[..expected.len().min(50)], "the page under {query}");
        assert!(res.body.contains(&format!("共{}条，第1/{pages}页", expected.len())), "{query}: {}", res.body);
        expected
    }

    /// Page 2 under `query` holds rows 51 on, and its links keep the filters.
    async fn second_page(&self, query: &str, expected: &[i64]) {
        let res = self.app.get(&format!("{}?{query}&page=2", self.page), Some(&self.cookie)).await;
        assert_eq!(row_ids(&res.body, self.link), expected[50..expected.len().min(100)], "page 2 under {query}");
        let first =
            if query.is_empty() { self.page.clone() } else { format!("{}?{}", self.page, query.replace('&', "&amp;")) };
        let back = format!("href=\"{first}\"");
        assert!(res.body.contains("上一页") && res.body.contains(&back), "{back}: {}", res.body);
        let api = self.api(&format!("{query}&page=2")).await;
        assert_eq!(api.len(), expected.len().min(100) - 50, "the API's page 2");
    }

    /// `query` is refused with 400 and a Chinese message holding `says`,
    /// on the page (with the person's header) and over the API (as JSON).
    async fn refuses(&self, query: &str, says: &str) {
        let res = self.app.get(&format!("{}?{query}", self.page), Some(&self.cookie)).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{query}: {}", res.body);
        assert!(res.body.contains(says) && res.body.contains("href=\"/todo\""), "{query}: {}", res.body);
        let res = self.app.api(Method::GET, &format!("/api/v1{}?{query}", self.page), Some(&self.token), None).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{query}: {}", res.body);
        assert!(res.json()["error"].as_str().unwrap().contains(says), "{query}: {}", res.body);
    }

    /// A search for words no row holds says so.
    async fn finds_nothing(&self, what: &str) {
        let res = self.app.get(&format!("{}?q=%E6%97%A0%E6%AD%A4zzz", self.page), Some(&self.cookie)).await;
        assert!(res.body.contains(&format!("没有找到包含“无此zzz”的{what}")), "{}", res.body);
    }
}

async fn person(app: &App, name: &str) -> i64 {
    app.store.org().await.unwrap().people.iter().find(|p| p.name == name).unwrap().id
}

async fn post(app: &App, token: &str, path: &str, body: Value) {
    let res = app.api(Method::POST, path, Some(token), Some(body)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
}

fn text(v: &Value, field: &str) -> String {
    v[field].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_risk_ledger_is_newest_first_searchable_filtered_and_paged() {
    let app = App::demo().await;
    let list = List::new(&app, "risks", "/risks/", "identified_on").await;
    let (wu, liu) = (person(&app, "吴海燕").await, person(&app, "刘晓雯").await);
    for i in 0..55 {
        let body = json!({ "domain": "批量领域", "title": format!("批量风险{i}号"), "level": (["high", "medium", "low"][i % 3]),
            "measures": if i % 5 == 0 { "专人巡查" } else { "定期排查" }, "owner_id": if i % 2 == 0 { wu } else { liu },
            "identified_on": format!("2026-{:02}-{:02}", 1 + i % 10, 1 + i % 27) });
        post(&app, &list.token, &format!("/api/v1{}", list.page), body).await;
    }
    let all = list.api("").await;
    assert!(all.len() > 55);
    let every = list.shows("", &all, |_| true).await;
    list.second_page(
        "domain=%E6%89%B9%E9%87%8F%E9%A2%86%E5%9F%9F",
        &list.shows("domain=%E6%89%B9%E9%87%8F%E9%A2%86%E5%9F%9F", &all, |v| text(v, "domain") == "批量领域").await,
    )
    .await;
    assert_eq!(every.len(), all.len());
    list.shows("q=%E6%89%B9%E9%87%8F%E9%A3%8E%E9%99%A97%E5%8F%B7", &all, |v| text(v, "title") == "批量风险7号").await;
    // Every word must be found, in any field (here the title and the measures).
    list.shows("q=%E6%89%B9%E9%87%8F+%E4%B8%93%E4%BA%BA%E5%B7%A1%E6%9F%A5", &all, |v| {
        text(v, "title").contains("批量") && text(v, "measures").contains("专人巡查")
    })
    .await;
    list.shows("level=high", &all, |v| text(v, "level") == "high").await;
    list.shows("level=%E9%AB%98", &all, |v| text(v, "level") == "high").await; // 高, the label
    list.shows("status=resolved", &all, |v| text(v, "status") == "resolved").await;
    list.shows(&format!("person={wu}"), &all, |v| v["owner_id"] == json!(wu)).await;
    list.shows("period=2026Q1", &all, |v| ("2026-01-01".."2026-04-01").contains(&text(v, "identified_on").as_str()))
        .await;
    list.shows("overdue=1", &all, |v| v["review_overdue"] == json!(true)).await;
    list.shows(&format!("level=low&person={liu}"), &all, |v| text(v, "level") == "low" && v["owner_id"] == json!(liu))
        .await;
    list.finds_nothing("风险点").await;
    list.refuses("level=huge", "风险等级“huge”无效，应为：高、中、低").await;
    list.refuses("status=x", "状态“x”无效").await;
    list.refuses("person=abc", "不是本单位的").await;
    let outsider = person(&app, "刘志强").await;
    list.refuses(&format!("person={outsider}"), "不是本单位的").await;
    list.refuses("page=0", "页码“0”无效").await;
    list.refuses("period=%E6%98%8E%E5%B9%B4", "期间有误").await;
    // The export stays the whole ledger.
    let xlsx = app.get(&format!("{}.xlsx?level=high", list.page), Some(&list.cookie)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
}

#[tokio::test]
async fn the_feedback_register_is_newest_first_searchable_filtered_and_paged() {
    let app = App::demo().await;
    let list = List::new(&app, "feedback", "/feedback/", "discovered_at").await;
    for i in 0..52 {
        let body = json!({ "source_kind": "hotline", "source_detail": "12345", "summary": format!("批量诉求{i}号"),
            "category": if i % 4 == 0 { "批量类别" } else { "政策咨询" }, "level": (["一般", "较大"][i % 2]),
            "discovered_at": format!("2026-{:02}-{:02} 09:{:02}", 1 + i % 10, 1 + i % 28, i) });
        post(&app, &list.token, &format!("/api/v1{}", list.page), body).await;
    }
    let all = list.api("").await;
    let every = list.shows("", &all, |_| true).await;
    list.second_page("", &every).await;
    list.shows("q=%E6%89%B9%E9%87%8F%E8%AF%89%E6%B1%82", &all, |v| text(v, "summary").contains("批量诉求")).await;
    list.shows("level=larger", &all, |v| text(v, "level") == "larger").await;
    list.shows("category=%E6%89%B9%E9%87%8F%E7%B1%BB%E5%88%AB", &all, |v| text(v, "category") == "批量类别").await;
    list.shows("status=closed", &all, |v| text(v, "status") == "closed").await;
    list.shows("status=open", &all, |v| text(v, "status") != "closed").await;
    list.shows("status=overdue", &all, |v| v["overdue"] == json!(true)).await;
    let liu = person(&app, "刘晓雯").await;
    list.shows(&format!("person={liu}"), &all, |v| v["owner"]["id"] == json!(liu)).await;
    list.shows("period=2026-03", &all, |v| {
        let at = DateTime::parse_from_rfc3339(&text(v, "discovered_at")).unwrap();
        at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).format("%Y-%m").to_string() == "2026-03"
    })
    .await;
    list.finds_nothing("事项").await;
    list.refuses("status=done", "状态“done”无效，应为：未办结、已逾期、已办结").await;
    list.refuses("category=%E6%97%A0", "类别“无”无效").await;
    list.refuses("level=9", "等级“9”无效").await;
}

#[tokio::test]
async fn the_problem_list_is_newest_first_searchable_filtered_and_paged() {
    let app = App::demo().await;
    let list = List::new(&app, "rectifications", "/rectifications/", "found_on").await;
    let inspector = app.token("xcb-ducha").await;
    for i in 0..53 {
        let body = json!({ "source": (["inspection", "patrol", "self_inspection"][i % 3]),
            "found_on": format!("2026-{:02}-{:02}", 1 + i % 10, 1 + i % 28),
            "problem": format!("批量问题{i}号"), "deadline": "2026-12-31" });
        post(&app, &inspector, &format!("/api/v1{}", list.page), body).await;
    }
    let all = list.api("").await;
    let every = list.shows("", &all, |_| true).await;
    list.second_page("", &every).await;
    list.shows("q=%E6%89%B9%E9%87%8F%E9%97%AE%E9%A2%98", &all, |v| text(v, "problem").contains("批量问题")).await;
    list.shows("source=patrol", &all, |v| text(v, "source") == "patrol").await;
    list.shows("status=open", &all, |v| v["rectified_on"].is_null()).await;
    list.shows("status=overdue", &all, |v| text(v, "status") == "overdue").await;
    list.shows("status=closed", &all, |v| !v["closed_on"].is_null()).await;
    list.shows("period=2026H1", &all, |v| text(v, "found_on").as_str() < "2026-07-01").await;
    list.finds_nothing("问题").await;
    list.refuses("source=rumour", "来源“rumour”无效，应为：上级督查、巡察反馈、自查发现").await;
    list.refuses("status=x", "状态“x”无效").await;
}

#[tokio::test]
async fn the_news_register_is_newest_first_searchable_filtered_and_paged() {
    let app = App::demo().await;
    let list = List::new(&app, "news", "/news/", "submitted_on").await;
    let mz = app.unit_id(MZ).await;
    let office = app.count(&format!("SELECT id FROM units WHERE name = '办公室' AND parent_id = {mz}")).await;
    let liu = person(&app, "刘晓雯").await;
    for i in 0..51 {
        let adopted = (i % 2 == 0).then(|| format!("2026-{:02}-28", 1 + i % 10));
        let body = json!({ "department_id": office, "title": format!("批量信息{i}号"), "author_ids": if i % 3 == 0 { vec![liu] } else { vec![] },
            "outlet": "市委办《信息快报》", "level": (["municipal", "county"][i % 2]),
            "submitted_on": format!("2026-{:02}-{:02}", 1 + i % 10, 1 + i % 27), "adopted_on": adopted });
        post(&app, &list.token, &format!("/api/v1{}", list.page), body).await;
    }
    let all = list.api("period=2026").await;
    let every = list.shows("period=2026", &all, |_| true).await;
    list.second_page("period=2026", &every).await;
    list.shows("period=2026&q=%E6%89%B9%E9%87%8F%E4%BF%A1%E6%81%AF", &all, |v| text(v, "title").contains("批量信息"))
        .await;
    list.shows("period=2026&adopted=yes", &all, |v| v["adopted"] == json!(true)).await;
    list.shows("period=2026&adopted=no", &all, |v| v["adopted"] == json!(false)).await;
    list.shows("period=2026&level=county", &all, |v| text(v, "level") == "county").await;
    list.shows(&format!("period=2026&department={office}"), &all, |v| v["department_id"] == json!(office)).await;
    list.shows(&format!("period=2026&person={liu}"), &all, |v| {
        v["author_ids"].as_array().unwrap().contains(&json!(liu))
    })
    .await;
    list.finds_nothing("信息").await;
    list.refuses("adopted=maybe", "录用情况“maybe”无效，应为：已录用、未录用").await;
    list.refuses("department=1", "科室“1”不是本单位的").await;
}

#[tokio::test]
async fn the_drafts_are_newest_first_searchable_filtered_and_paged() {
    let app = App::demo().await;
    let list = List::new(&app, "drafts", "/drafts/", "created_at").await;
    let channels = app.store.org().await.unwrap().channels;
    let wechat = channels.iter().find(|c| c.name == "县民政局微信公众号").unwrap().id;
    for i in 0..51 {
        let body = json!({ "channel_id": wechat, "title": format!("批量稿件{i}号"), "body": "学习贯彻会议精神。" });
        post(&app, &list.token, &format!("/api/v1{}", list.page), body).await;
    }
    let all = list.api("").await;
    let every = list.shows("", &all, |_| true).await;
    list.second_page("", &every).await;
    list.shows("q=%E6%89%B9%E9%87%8F%E7%A8%BF%E4%BB%B6", &all, |v| text(v, "title").contains("批量稿件")).await;
    list.shows("status=published", &all, |v| text(v, "status") == "published").await;
    list.shows("status=first", &all, |v| text(v, "status") == "first").await;
    list.shows(&format!("channel={wechat}"), &all, |v| v["channel_id"] == json!(wechat)).await;
    let liu = person(&app, "刘晓雯").await;
    list.shows(&format!("person={liu}"), &all, |v| v["author_id"] == json!(liu)).await;
    list.finds_nothing("稿件").await;
    list.refuses("status=draft", "状态“draft”无效，应为：待初审一校、待复审二校、待终审三校、待发布、已发布").await;
    list.refuses("channel=0", "发布阵地“0”不是本单位的").await;
}

/// The roll-up shows the total of every Party group first, then a page of
/// them; its search narrows the rows, not the total; a bad page number is
/// refused in Chinese.
#[tokio::test]
async fn the_rollup_shows_the_total_and_searches_by_name() {
    let app = App::demo().await;
    let b = app.browser("xcb-ducha").await;
    let root = app.unit_id("县委宣传部").await;
    let all = app.get(&format!("/rollup/{root}?period=2026"), Some(&b.cookie)).await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("全部3个党组（党委）"), "the total row");
    assert!(all.body.contains("共3条，第1/1页"), "the pager");
    let searched = app.get(&format!("/rollup/{root}?period=2026&q=%E6%B0%91%E6%94%BF"), Some(&b.cookie)).await;
    assert!(searched.body.contains(&format!(">{MZ}</a>")));
    assert!(!searched.body.contains(">县残联党组</a>"), "only the groups whose name has 民政");
    assert!(searched.body.contains("全部3个党组（党委）"), "the total stays the province's");
    assert!(searched.body.contains("共1条"));
    let none = app.get(&format!("/rollup/{root}?period=2026&q=nothing"), Some(&b.cookie)).await;
    assert!(none.body.contains("没有找到包含“nothing”的党组（党委）"), "{}", none.body);
    let bad = app.get(&format!("/rollup/{root}?page=x"), Some(&b.cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("页码“x”无效"));
}
