//! taizhang's domain: the organisation, typed records, duty lists and the
//! pure duty engine. Nothing here does I/O or reads the clock, except
//! [`period::today_in_shanghai`] which callers use at the edge.

pub mod assessment;
pub mod attachment;
pub mod coded;
pub mod drafts;
pub mod duty;
pub mod engine;
pub mod feedback;
pub mod fields;
pub mod import;
pub mod news;
pub mod org;
pub mod period;
pub mod record;
pub mod rectification;
pub mod register;
pub mod reminder;
pub mod risk;
pub mod sheet;
pub mod template;

pub use duty::{load_duty_list, DutyItem, DutyList, DutyListError};
pub use engine::{evaluate, Evaluation, Status};
pub use period::Period;
