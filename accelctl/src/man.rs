//! Man page prose every page shares; an object's own prose is beside its
//! module (`objects/<object>*.roff`). xtask assembles the pages in man/
//! from these and the clap definitions: edit the `.roff` files, not man/.

/// DEVICE HANDLES: the forms of DEV.
pub const HANDLES: &str = include_str!("man/handles.roff");
/// EXIT STATUS.
pub const EXIT_STATUS: &str = include_str!("man/exit-status.roff");
/// JSON OUTPUT: the conventions of every -j document.
pub const JSON_OUTPUT: &str = include_str!("man/json-output.roff");
/// SHELL COMPLETION: installing completions/ and the COMPLETE variable.
pub const COMPLETION: &str = include_str!("man/completion.roff");
/// The examples of accelctl(8) (items under EXAMPLES).
pub const EXAMPLES: &str = include_str!("man/examples.roff");
/// SEE ALSO.
pub const SEE_ALSO: &str = include_str!("man/see-also.roff");
