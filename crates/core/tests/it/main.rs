//! Integration tests of taizhang-core: one binary (see docs/ARCHITECTURE.md).

mod fuzz;
