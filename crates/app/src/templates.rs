//! Import templates (.xlsx): for one unit, with its people, departments
//! and units in the drop-down lists and a valid example row; or with
//! placeholders, for no unit in particular.

use crate::view::View;
use crate::{App, Caller, Error, Result};
use taizhang_core::template::{template, ImportKind, Names};
use taizhang_docs::import_template::{file_name, write_template};

/// A template workbook and its file name.
pub struct TemplateFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The template of `kind` for the Party group of `unit`, which the caller
/// must be able to see.
pub fn for_unit(app: &App, view: &View, caller: &Caller, unit: i64, kind: ImportKind) -> Result<TemplateFile> {
    view.access(caller).require_view(unit)?;
    file(kind, &names_of(app, view, unit)?)
}

/// The names of the Party group of `unit`: its units that keep records,
/// its people and its departments (as the news import names them).
pub fn names_of(app: &App, view: &View, unit: i64) -> Result<Names> {
    let group = view.group_of(unit)?.id;
    Ok(Names {
        units: view.record_units(group).into_iter().map(|u| u.name.clone()).collect(),
        people: view.people_of(group).into_iter().map(|p| p.name.clone()).collect(),
        departments: crate::news::departments(view, group).into_iter().map(|(_, name)| name).collect(),
        today: app.today(),
    })
}

/// The template of `kind` with `names`.
pub fn file(kind: ImportKind, names: &Names) -> Result<TemplateFile> {
    let t = template(kind, names);
    let bytes = write_template(&t).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(TemplateFile { name: file_name(&t), bytes })
}
