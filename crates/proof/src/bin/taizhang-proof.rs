//! Stand-alone `taizhang-proof FILE`: the same command as `taizhang proof`.

use clap::Parser;
use taizhang_proof::cli::{run, ProofArgs};

#[derive(Parser)]
#[command(name = "taizhang-proof", version, about = "校对文稿（台账系统校对工具）")]
struct Cli {
    #[command(flatten)]
    args: ProofArgs,
}

fn main() {
    let cli = Cli::parse();
    std::process::exit(run(&cli.args));
}
