//! Running the real `taizhang` binary against a demo database file.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use taizhang_store::testing::fresh_sqlite;

pub fn taizhang(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .args(args)
        .env_remove("TAIZHANG_DB")
        .env_remove("TAIZHANG_DATABASE_URL")
        .output()
        .unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A SQLite file in `dir` holding the demo data; returns its path.
pub async fn demo_db(dir: &Path) -> String {
    let store = fresh_sqlite(dir).await.unwrap();
    taizhang_demo::seed(&store).await.unwrap();
    store.close().await;
    dir.join("taizhang-test.db").to_str().unwrap().to_string()
}
