//! Times a cold and a warm roll-up of the whole organisation, as the
//! superior's roll-up page builds it, without the web layer:
//!
//! `cargo run --release -p taizhang-app --example cold-rollup -- DATABASE_URL [YYYY-MM-DD]`
//!
//! Run with `TAIZHANG_LOG=debug` for the store's per-chunk timings.
use std::time::Instant;

// As in the `taizhang` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use taizhang_core::period::Period;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("TAIZHANG_LOG").unwrap_or_else(|_| "warn".into()))
        .init();
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: cold-rollup DATABASE_URL [YYYY-MM-DD]");
    let today = args
        .next()
        .map_or_else(|| chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), |d| d.parse().expect("date"));
    let store = taizhang_store::Store::open(&url).await.expect("open");
    let mut app = taizhang_app::App::new(store);
    app.today = Some(today);
    let period = Period::year(2026);
    let started = Instant::now();
    let view = taizhang_app::view::View::load(&app).await.expect("organisation");
    let loaded = started.elapsed();
    memory();
    let root = view.org.units.iter().find(|u| u.parent_id.is_none()).expect("a root unit").id;
    // Nothing kept in the database either: every group is evaluated.
    app.store.exec_for_tests("DELETE FROM evaluation_rows").await;
    timed(&app, "roll-up, cold (nothing kept)", || taizhang_app::view::rollup_under(&app, &view, root, period)).await;
    // The rows are kept in the database after the answer.
    timed(&app, "  rows kept for other servers, after the answer", || async {
        app.evaluations.kept_in_database().await;
        Ok::<_, taizhang_app::Error>(())
    })
    .await;
    timed(&app, "roll-up, warm", || taizhang_app::view::rollup_under(&app, &view, root, period)).await;
    timed(&app, "ranking, first (cards computed)", || taizhang_app::assessment::ranking(&app, &view, root, 2026)).await;
    timed(&app, "ranking, warm", || taizhang_app::assessment::ranking(&app, &view, root, 2026)).await;
    // Another server, or this one restarted: nothing in memory, the rows kept.
    let second = taizhang_app::App { evaluations: Default::default(), org_cache: Default::default(), ..app.clone() };
    let view = taizhang_app::view::View::load(&second).await.expect("organisation");
    timed(&second, "roll-up, second server (rows kept)", || {
        taizhang_app::view::rollup_under(&second, &view, root, period)
    })
    .await;
    timed(&second, "ranking, second server (rows kept)", || {
        taizhang_app::assessment::ranking(&second, &view, root, 2026)
    })
    .await;
    println!("organisation: {:.2} s, {} units", loaded.as_secs_f64(), view.org.units.len());
}

/// Runs `f` once and prints how long it took and how many evaluations it cost.
async fn timed<F, Fut, T>(app: &taizhang_app::App, what: &str, f: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T, taizhang_app::Error>>,
{
    let before = app.evaluations.computed();
    let (started, cpu) = (Instant::now(), cpu_seconds());
    f().await.expect(what);
    let secs = started.elapsed().as_secs_f64();
    let (app_cpu, db_cpu) = cpu_seconds();
    println!(
        "{what}: {secs:.2} s, {} evaluations; CPU: this process {:.2} s, PostgreSQL {:.2} s",
        app.evaluations.computed() - before,
        app_cpu - cpu.0,
        db_cpu - cpu.1
    );
    memory();
}

/// CPU time (user and system) used so far by this process and by the
/// processes named `postgres` on this machine (the database server's
/// backends, when it runs here; exited backends are not counted, and this
/// program keeps its connections open).
fn cpu_seconds() -> (f64, f64) {
    let ticks = |stat: &str| -> Option<f64> {
        // The fields after the command name, which is in parentheses.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        Some((fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?) / 100.0)
    };
    let own = std::fs::read_to_string("/proc/self/stat").ok().and_then(|s| ticks(&s)).unwrap_or(0.0);
    let mut database = 0.0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        if stat.contains("(postgres)") {
            database += ticks(&stat).unwrap_or(0.0);
        }
    }
    (own, database)
}

/// The process's peak and current resident memory.
fn memory() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_string()).unwrap_or_default()
    };
    println!("  memory: peak {}, now {}", field("VmHWM:"), field("VmRSS:"));
}
